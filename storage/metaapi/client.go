package metaapi

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// Client is the gateway's view of the storage service: the tenant is the wallet of Key.
// Refusals come back as meta's errors (meta.ErrNoSuchKey, *meta.Conflict, *meta.Invalid, ...)
// where there is one, else as *Refused.
type Client struct {
	URL  string // base URL, e.g. http://127.0.0.1:4659
	Key  *ecdsa.PrivateKey
	HTTP *http.Client     // default http.DefaultClient
	Now  func() time.Time // default time.Now
}

// Refused is an answer other than success that maps to no meta error.
type Refused struct {
	Status int
	Code   string
	Reason string
}

func (e *Refused) Error() string {
	return fmt.Sprintf("storage service refused (%d %s): %s", e.Status, e.Code, e.Reason)
}

// CreateBucket creates a bucket named name (the gateway's hash or encryption of it).
func (c *Client) CreateBucket(ctx context.Context, name []byte) (meta.Bucket, error) {
	var b meta.Bucket
	return b, c.do(ctx, http.MethodPut, bucketPath(name), nil, nil, &b)
}

// DeleteBucket deletes an empty bucket.
func (c *Client) DeleteBucket(ctx context.Context, name []byte) error {
	return c.do(ctx, http.MethodDelete, bucketPath(name), nil, nil, nil)
}

// ListBuckets lists the tenant's buckets by name.
func (c *Client) ListBuckets(ctx context.Context) ([]meta.Bucket, error) {
	var bs []meta.Bucket
	return bs, c.do(ctx, http.MethodGet, "/v1/buckets", nil, nil, &bs)
}

// PutObject writes o (see meta.Store.PutObject).
func (c *Client) PutObject(ctx context.Context, o meta.Object, opt meta.PutOptions) (meta.PutResult, error) {
	var res meta.PutResult
	req := PutRequest{ETag: o.ETag, Size: o.Size, Metadata: o.Metadata, Segments: o.Segments, IfVersion: opt.IfVersion}
	return res, c.do(ctx, http.MethodPut, objectPath(o.Bucket, o.Key), nil, req, &res)
}

// GetObject reads an object with its segments and pieces.
func (c *Client) GetObject(ctx context.Context, bucket, key []byte) (meta.Object, error) {
	var o meta.Object
	return o, c.do(ctx, http.MethodGet, objectPath(bucket, key), nil, nil, &o)
}

// DeleteObject deletes an object and returns it, with the pieces to delete from providers.
func (c *Client) DeleteObject(ctx context.Context, bucket, key []byte, opt meta.PutOptions) (meta.Object, error) {
	q := url.Values{}
	if opt.IfVersion != nil {
		q.Set("if_version", strconv.FormatInt(*opt.IfVersion, 10))
	}
	var o meta.Object
	return o, c.do(ctx, http.MethodDelete, objectPath(bucket, key), q, nil, &o)
}

// ListObjects lists one page; pass page.Next as StartAfter for the next while page.Truncated.
func (c *Client) ListObjects(ctx context.Context, bucket []byte, opt meta.ListOptions) (meta.ListPage, error) {
	var page meta.ListPage
	return page, c.do(ctx, http.MethodGet, bucketPath(bucket)+"/objects", listQuery(opt), nil, &page)
}

// Usage is what each provider holds for the tenant.
func (c *Client) Usage(ctx context.Context) ([]meta.ProviderUsage, error) {
	var u []meta.ProviderUsage
	return u, c.do(ctx, http.MethodGet, "/v1/usage", nil, nil, &u)
}

// UsageAll reads what every provider holds for every tenant, page by page (for a meter:
// dec2-storage --meter). The pages are read one after another, not as one snapshot: a pair
// comes at most once, with its usage as of its page.
func (c *Client) UsageAll(ctx context.Context) ([]meta.TenantUsage, error) {
	var all []meta.TenantUsage
	var after meta.UsageKey
	for {
		var page UsagePage
		if err := c.do(ctx, http.MethodGet, "/v1/usage/all", usageQuery(after, 0), nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Usage...)
		if page.Next == nil {
			return all, nil
		}
		after = *page.Next
	}
}

// PiecesOn pages through the pieces provider holds (for the provider itself or an operator).
func (c *Client) PiecesOn(ctx context.Context, provider common.Address, after string, limit int) ([]meta.HeldPiece, error) {
	q := url.Values{}
	if after != "" {
		q.Set("after", after)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var held []meta.HeldPiece
	return held, c.do(ctx, http.MethodGet, "/v1/providers/"+provider.Hex()+"/pieces", q, nil, &held)
}

// HeldPiece is the catalog's row for piece id on provider, nil when it lists none: the first
// of the provider's pieces after id's predecessor.
// Piece ids are as the catalog writes them: 64 lower-case hex digits.
func (c *Client) HeldPiece(ctx context.Context, provider common.Address, id common.Hash) (*meta.HeldPiece, error) {
	after := ""
	if n := id.Big(); n.Sign() > 0 {
		prev := common.BigToHash(n.Sub(n, big.NewInt(1)))
		after = hex.EncodeToString(prev[:])
	}
	held, err := c.PiecesOn(ctx, provider, after, 1)
	if err != nil {
		return nil, fmt.Errorf("reading piece %x of %s from the storage service: %w", id[:], provider.Hex(), err)
	}
	if len(held) == 0 || held[0].PieceID != hex.EncodeToString(id[:]) {
		return nil, nil
	}
	return &held[0], nil
}

func bucketPath(name []byte) string { return "/v1/buckets/" + names.EncodeToString(name) }

func objectPath(bucket, key []byte) string {
	return bucketPath(bucket) + "/objects/" + names.EncodeToString(key)
}

func (c *Client) do(ctx context.Context, method, path string, q url.Values, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("encoding %s %s: %w", method, path, err)
		}
	}
	u := strings.TrimRight(c.URL, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	r, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("storage service request: %w", err)
	}
	if in != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	if err := Sign(r, c.Key, body, now()); err != nil {
		return err
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(r)
	if err != nil {
		return fmt.Errorf("asking the storage service: %w", err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, MaxBody+1))
	if err != nil {
		return fmt.Errorf("reading the storage service's answer: %w", err)
	}
	if res.StatusCode >= 300 {
		return refusal(res.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("decoding the storage service's answer to %s %s: %w", method, path, err)
	}
	return nil
}

// refusal turns an error answer back into the meta error the server mapped it from.
func refusal(status int, b []byte) error {
	var eb ErrorBody
	if err := json.Unmarshal(b, &eb); err != nil {
		return &Refused{Status: status, Reason: strings.TrimSpace(string(b))}
	}
	switch eb.Code {
	case "no_such_bucket":
		return meta.ErrNoSuchBucket
	case "no_such_key":
		return meta.ErrNoSuchKey
	case "bucket_exists":
		return meta.ErrBucketExists
	case "bucket_not_empty":
		return meta.ErrBucketNotEmpty
	case "piece_changed":
		return meta.ErrPieceChanged
	case "version_conflict":
		if eb.Current != nil && eb.Want != nil {
			return &meta.Conflict{Current: *eb.Current, Want: *eb.Want}
		}
	case "invalid":
		return &meta.Invalid{Field: eb.Field, Reason: eb.Error}
	}
	return &Refused{Status: status, Code: eb.Code, Reason: eb.Error}
}
