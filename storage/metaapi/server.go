// Package metaapi is the storage service's HTTP API over a meta.Store, and the typed client
// the S3 gateway uses. Every request is signed by a wallet (EIP-191, see Sign) and the signer
// is the tenant: a gateway reaches only the rows of the wallet whose key it holds. The one
// cross-tenant call, the pieces a provider holds, answers the provider itself and the
// operators (billing, auditors). HTTP status codes are chosen here only, from meta's errors.
package metaapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// Config is what the API serves with.
type Config struct {
	Store meta.Store
	Log   *slog.Logger
	// Operators may read the pieces any provider holds (billing meters them, auditors
	// challenge them).
	Operators []common.Address
	// Meters may read every tenant's usage per provider (GET /v1/usage/all): who stores how
	// much with whom, which billing pays providers by and nobody else needs.
	Meters []common.Address
	// Repairers may read and repair any tenant's segments and list any provider's pieces
	// (dec2-repair: see repair.go).
	Repairers []common.Address
	Now       func() time.Time // default time.Now
}

type server struct {
	Config
	nonces *nonces
}

// maxNonces bounds the replay guard's memory (~100 MB at the bound): 8,000 requests a second
// sustained over its two-minute window.
const maxNonces = 1_000_000

// New returns the API's handler.
func New(c Config) http.Handler {
	if c.Now == nil {
		c.Now = time.Now
	}
	s := &server{Config: c, nonces: newNonces(maxNonces)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.handle(mux, "GET /v1/buckets", s.listBuckets)
	s.handle(mux, "PUT /v1/buckets/{bucket}", s.createBucket)
	s.handle(mux, "DELETE /v1/buckets/{bucket}", s.deleteBucket)
	s.handle(mux, "GET /v1/buckets/{bucket}/objects", s.listObjects)
	s.handle(mux, "PUT /v1/buckets/{bucket}/objects/{key}", s.putObject)
	s.handle(mux, "GET /v1/buckets/{bucket}/objects/{key}", s.getObject)
	s.handle(mux, "DELETE /v1/buckets/{bucket}/objects/{key}", s.deleteObject)
	s.handle(mux, "GET /v1/usage", s.usage)
	s.handle(mux, "GET /v1/usage/all", s.usageAll)
	s.handle(mux, "GET /v1/providers/{provider}/pieces", s.piecesOn)
	s.handle(mux, "GET /v1/repair/segment", s.repairSegment)
	s.handle(mux, "POST /v1/repair/segment", s.replacePieces)
	s.handle(mux, "GET /v1/repair/narrow", s.narrowSegments)
	s.handle(mux, "POST /v1/repair/widen", s.widenSegment)
	s.handle(mux, "GET /v1/repair/orphans", s.orphans)
	s.handle(mux, "DELETE /v1/repair/orphans/{provider}/{piece}", s.forgetOrphan)
	return mux
}

// request is a verified request: its signer (the tenant, lowercase hex) and body.
type request struct {
	*http.Request
	wallet common.Address
	tenant string
	body   []byte
}

func (s *server) handle(mux *http.ServeMux, pattern string, h func(context.Context, *request) (int, any, error)) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		wallet, body, err := verify(r, s.nonces, s.Now())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		req := &request{Request: r, wallet: wallet, tenant: tenantOf(wallet), body: body}
		code, resp, err := h(r.Context(), req)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if resp == nil {
			w.WriteHeader(code)
			return
		}
		writeJSON(w, code, resp)
	})
}

// tenantOf is how a wallet names its rows: lowercase hex, so the checksum's case never splits
// a tenant.
func tenantOf(a common.Address) string { return strings.ToLower(a.Hex()) }

func (s *server) listBuckets(ctx context.Context, r *request) (int, any, error) {
	bs, err := s.Store.ListBuckets(ctx, r.tenant)
	if bs == nil {
		bs = []meta.Bucket{}
	}
	return http.StatusOK, bs, err
}

func (s *server) createBucket(ctx context.Context, r *request) (int, any, error) {
	name, err := decodeName("bucket", r.PathValue("bucket"))
	if err != nil {
		return 0, nil, err
	}
	b, err := s.Store.CreateBucket(ctx, r.tenant, name)
	return http.StatusCreated, b, err
}

func (s *server) deleteBucket(ctx context.Context, r *request) (int, any, error) {
	name, err := decodeName("bucket", r.PathValue("bucket"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, s.Store.DeleteBucket(ctx, r.tenant, name)
}

func (s *server) listObjects(ctx context.Context, r *request) (int, any, error) {
	bucket, err := decodeName("bucket", r.PathValue("bucket"))
	if err != nil {
		return 0, nil, err
	}
	opt, err := parseList(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	page, err := s.Store.ListObjects(ctx, r.tenant, bucket, opt)
	if page.Objects == nil {
		page.Objects = []meta.Object{}
	}
	return http.StatusOK, page, err
}

func (s *server) objectName(r *request) (bucket, key []byte, err error) {
	if bucket, err = decodeName("bucket", r.PathValue("bucket")); err != nil {
		return nil, nil, err
	}
	key, err = decodeName("key", r.PathValue("key"))
	return bucket, key, err
}

func (s *server) putObject(ctx context.Context, r *request) (int, any, error) {
	bucket, key, err := s.objectName(r)
	if err != nil {
		return 0, nil, err
	}
	pr, err := decodePut(r.body)
	if err != nil {
		return 0, nil, err
	}
	o := meta.Object{Bucket: bucket, Key: key, ETag: pr.ETag, Size: pr.Size, Metadata: pr.Metadata, Segments: pr.Segments}
	res, err := s.Store.PutObject(ctx, r.tenant, o, meta.PutOptions{IfVersion: pr.IfVersion})
	return http.StatusOK, res, err
}

// decodePut reads a put's body strictly (unknown fields refused) and names every piece's
// provider in lowercase hex, as PiecesOn is asked for it.
func decodePut(body []byte) (PutRequest, error) {
	var pr PutRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pr); err != nil {
		return pr, &meta.Invalid{Field: "body", Reason: err.Error()}
	}
	if dec.More() {
		return pr, &meta.Invalid{Field: "body", Reason: "more than one JSON value"}
	}
	for i := range pr.Segments {
		for j := range pr.Segments[i].Pieces {
			p := &pr.Segments[i].Pieces[j]
			if !common.IsHexAddress(p.Provider) {
				return pr, &meta.Invalid{Field: fmt.Sprintf("segments[%d].pieces[%d].provider", i, j), Reason: "want the provider's wallet address"}
			}
			p.Provider = tenantOf(common.HexToAddress(p.Provider))
		}
	}
	return pr, nil
}

func (s *server) getObject(ctx context.Context, r *request) (int, any, error) {
	bucket, key, err := s.objectName(r)
	if err != nil {
		return 0, nil, err
	}
	o, err := s.Store.GetObject(ctx, r.tenant, bucket, key)
	return http.StatusOK, o, err
}

func (s *server) deleteObject(ctx context.Context, r *request) (int, any, error) {
	bucket, key, err := s.objectName(r)
	if err != nil {
		return 0, nil, err
	}
	var opt meta.PutOptions
	if v := r.URL.Query().Get("if_version"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, nil, &meta.Invalid{Field: "if_version", Reason: "want a version number"}
		}
		opt.IfVersion = &n
	}
	o, err := s.Store.DeleteObject(ctx, r.tenant, bucket, key, opt)
	return http.StatusOK, o, err
}

func (s *server) usage(ctx context.Context, r *request) (int, any, error) {
	u, err := s.Store.UsageByProvider(ctx, r.tenant)
	if u == nil {
		u = []meta.ProviderUsage{}
	}
	return http.StatusOK, u, err
}

// errForbidden: a wallet asked for the pieces of a provider that is neither itself nor
// served to it as an operator.
var errForbidden = errors.New("only the provider itself and the service's operators and repairers may list a provider's pieces")

// errNotMeter: a wallet asked for every tenant's usage without being a meter.
var errNotMeter = errors.New("only the service's meters (dec2-storage --meter, the billing operator) may read every tenant's usage; a tenant reads its own with GET /v1/usage")

func (s *server) usageAll(ctx context.Context, r *request) (int, any, error) {
	if !slices.Contains(s.Meters, r.wallet) {
		return 0, nil, errNotMeter
	}
	after, limit, err := parseUsageQuery(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	u, err := s.Store.UsageAll(ctx, after, limit)
	page := UsagePage{Usage: u}
	if page.Usage == nil {
		page.Usage = []meta.TenantUsage{}
	}
	if len(u) > 0 && len(u) == cmp.Or(limit, meta.MaxUsagePage) {
		last := u[len(u)-1]
		page.Next = &meta.UsageKey{Tenant: last.Tenant, Provider: last.Provider}
	}
	return http.StatusOK, page, err
}

func (s *server) piecesOn(ctx context.Context, r *request) (int, any, error) {
	p := r.PathValue("provider")
	if !common.IsHexAddress(p) {
		return 0, nil, &meta.Invalid{Field: "provider", Reason: "want a wallet address"}
	}
	provider := common.HexToAddress(p)
	if provider != r.wallet && !s.isOperator(r.wallet) {
		return 0, nil, errForbidden
	}
	limit := 0
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, nil, &meta.Invalid{Field: "limit", Reason: "want a number"}
		}
		limit = n
	}
	held, err := s.Store.PiecesOn(ctx, tenantOf(provider), r.URL.Query().Get("after"), limit)
	if held == nil {
		held = []meta.HeldPiece{}
	}
	return http.StatusOK, held, err
}

// isOperator: repairers list lost providers' pieces as operators do.
func (s *server) isOperator(a common.Address) bool {
	return slices.Contains(s.Operators, a) || slices.Contains(s.Repairers, a)
}

// status maps an error to its HTTP status and code; anything unrecognised is the service's
// (or its database's) fault.
func status(err error) (int, string) {
	var tooBig *http.MaxBytesError
	var unauth *Unauthenticated
	var invalid *meta.Invalid
	var conflict *meta.Conflict
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "request_too_large"
	case errors.As(err, &unauth):
		return http.StatusUnauthorized, "unauthenticated"
	case errors.Is(err, errForbidden), errors.Is(err, errNotMeter), errors.Is(err, errNotRepairer):
		return http.StatusForbidden, "forbidden"
	case errors.As(err, &invalid):
		return http.StatusBadRequest, "invalid"
	case errors.Is(err, meta.ErrNoSuchBucket):
		return http.StatusNotFound, "no_such_bucket"
	case errors.Is(err, meta.ErrNoSuchKey):
		return http.StatusNotFound, "no_such_key"
	case errors.Is(err, meta.ErrBucketExists):
		return http.StatusConflict, "bucket_exists"
	case errors.Is(err, meta.ErrBucketNotEmpty):
		return http.StatusConflict, "bucket_not_empty"
	case errors.As(err, &conflict):
		return http.StatusPreconditionFailed, "version_conflict"
	case errors.Is(err, meta.ErrPieceChanged):
		return http.StatusConflict, "piece_changed"
	case errors.Is(err, errTooManyNonces):
		return http.StatusServiceUnavailable, "busy"
	}
	return http.StatusInternalServerError, "internal"
}

// fail answers with err's status; server-side failures are logged, not detailed to the caller.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, name := status(err)
	body := ErrorBody{Error: err.Error(), Code: name}
	var conflict *meta.Conflict
	var invalid *meta.Invalid
	switch {
	case errors.As(err, &conflict):
		body.Current, body.Want = &conflict.Current, &conflict.Want
	case errors.As(err, &invalid):
		body.Field, body.Error = invalid.Field, invalid.Reason
	}
	if code >= 500 {
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		if code == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "5")
		} else {
			body.Error = "the storage service could not complete the request; it is logged"
		}
	} else {
		s.Log.Info("request refused", "method", r.Method, "path", r.URL.Path, "code", name, "err", err)
	}
	writeJSON(w, code, body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
