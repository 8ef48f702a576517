package metaapi

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// PutRequest is the body of PUT /v1/buckets/{bucket}/objects/{key}: the object (its bucket and
// key are the path's) and an optional compare-and-swap version.
type PutRequest struct {
	ETag      string         `json:"etag"`
	Size      int64          `json:"size"`
	Metadata  []byte         `json:"metadata,omitempty"`
	Segments  []meta.Segment `json:"segments"`
	IfVersion *int64         `json:"if_version,omitempty"`
}

// UsagePage is the answer to GET /v1/usage/all: usage per (tenant, provider) in that order;
// while Next is set there may be more, after it.
type UsagePage struct {
	Usage []meta.TenantUsage `json:"usage"`
	Next  *meta.UsageKey     `json:"next,omitempty"`
}

// ErrorBody is every refusal: a message, a stable code, and for a version conflict the stored
// version, for an invalid request the field.
type ErrorBody struct {
	Error   string `json:"error"`
	Code    string `json:"code"`
	Current *int64 `json:"current,omitempty"`
	Want    *int64 `json:"want,omitempty"`
	Field   string `json:"field,omitempty"`
}

// Names travel in paths and queries as unpadded base64url: they are arbitrary bytes.
var names = base64.RawURLEncoding

func decodeName(field, s string) ([]byte, error) {
	b, err := names.DecodeString(s)
	if err != nil {
		return nil, &meta.Invalid{Field: field, Reason: "want unpadded base64url"}
	}
	if err := meta.ValidateName(field, b); err != nil {
		return nil, err
	}
	return b, nil
}

// listQuery encodes o as the query of a listing.
func listQuery(o meta.ListOptions) url.Values {
	q := url.Values{}
	if len(o.Prefix) > 0 {
		q.Set("prefix", names.EncodeToString(o.Prefix))
	}
	if len(o.StartAfter) > 0 {
		q.Set("start_after", names.EncodeToString(o.StartAfter))
	}
	if len(o.Delimiter) > 0 {
		q.Set("delimiter", names.EncodeToString(o.Delimiter))
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	return q
}

// parseList reads a listing's query: the inverse of listQuery, refusing anything else.
func parseList(q url.Values) (meta.ListOptions, error) {
	var o meta.ListOptions
	for k, v := range q {
		if len(v) != 1 {
			return o, &meta.Invalid{Field: k, Reason: "given more than once"}
		}
		var err error
		switch k {
		case "prefix":
			o.Prefix, err = names.DecodeString(v[0])
		case "start_after":
			o.StartAfter, err = names.DecodeString(v[0])
		case "delimiter":
			o.Delimiter, err = names.DecodeString(v[0])
		case "limit":
			o.Limit, err = strconv.Atoi(v[0])
		default:
			return o, &meta.Invalid{Field: k, Reason: "unknown parameter; want prefix, start_after, delimiter, limit"}
		}
		if err != nil {
			return o, &meta.Invalid{Field: k, Reason: fmt.Sprintf("%q: want base64url bytes (limit: a number)", v[0])}
		}
	}
	return o, o.Normalize()
}

// usageQuery encodes a page request of GET /v1/usage/all.
func usageQuery(after meta.UsageKey, limit int) url.Values {
	q := url.Values{}
	if after != (meta.UsageKey{}) {
		q.Set("after_tenant", after.Tenant)
		q.Set("after_provider", after.Provider)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	return q
}

// parseUsageQuery reads a page request of GET /v1/usage/all, the inverse of usageQuery: a
// continuation is a tenant and a provider, both wallets in lowercase hex as the store keeps
// them, or neither.
func parseUsageQuery(q url.Values) (meta.UsageKey, int, error) {
	var after meta.UsageKey
	limit := 0
	for k, v := range q {
		if len(v) != 1 {
			return after, 0, &meta.Invalid{Field: k, Reason: "given more than once"}
		}
		switch k {
		case "after_tenant":
			after.Tenant = v[0]
		case "after_provider":
			after.Provider = v[0]
		case "limit":
			n, err := strconv.Atoi(v[0])
			if err != nil || n < 1 || n > meta.MaxUsagePage {
				return after, 0, &meta.Invalid{Field: k, Reason: fmt.Sprintf("%q: want 1 to %d", v[0], meta.MaxUsagePage)}
			}
			limit = n
		default:
			return after, 0, &meta.Invalid{Field: k, Reason: "unknown parameter; want after_tenant, after_provider, limit"}
		}
	}
	if after == (meta.UsageKey{}) {
		return after, limit, nil
	}
	for field, w := range map[string]string{"after_tenant": after.Tenant, "after_provider": after.Provider} {
		if !common.IsHexAddress(w) || w != tenantOf(common.HexToAddress(w)) {
			return after, 0, &meta.Invalid{Field: field, Reason: "want a wallet in lowercase 0x hex (both continuation parameters, or neither)"}
		}
	}
	return after, limit, nil
}
