package metaapi

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"

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
