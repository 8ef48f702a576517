package metaapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// RepairRequest is the body of POST /v1/repair/segment: the segment as the repair read it and
// the pieces it rebuilt.
type RepairRequest struct {
	Ref     meta.SegmentRef    `json:"ref"`
	Replace []meta.Replacement `json:"replace"`
}

// errNotRepairer: a wallet that is not one of the service's repairers asked for another
// tenant's segment or to repair it.
var errNotRepairer = errors.New("only the service's repairers (dec2-storage --repairer) may read and repair any tenant's segments")

func (s *server) repairer(r *request) error {
	if !slices.Contains(s.Repairers, r.wallet) {
		return errNotRepairer
	}
	return nil
}

func (s *server) repairSegment(ctx context.Context, r *request) (int, any, error) {
	if err := s.repairer(r); err != nil {
		return 0, nil, err
	}
	ref, err := parseSegmentRef(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	g, err := s.Store.Segment(ctx, ref)
	return http.StatusOK, g, err
}

func (s *server) replacePieces(ctx context.Context, r *request) (int, any, error) {
	if err := s.repairer(r); err != nil {
		return 0, nil, err
	}
	var rr RepairRequest
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rr); err != nil {
		return 0, nil, &meta.Invalid{Field: "body", Reason: err.Error()}
	}
	// Providers are kept in lowercase hex, as PiecesOn and billing are asked for them.
	for i := range rr.Replace {
		p := &rr.Replace[i].New
		if !common.IsHexAddress(p.Provider) {
			return 0, nil, &meta.Invalid{Field: fmt.Sprintf("replace[%d].new.provider", i), Reason: "want the provider's wallet address"}
		}
		p.Provider = tenantOf(common.HexToAddress(p.Provider))
	}
	return http.StatusNoContent, nil, s.Store.ReplacePieces(ctx, rr.Ref, r.tenant, rr.Replace)
}

func (s *server) narrowSegments(ctx context.Context, r *request) (int, any, error) {
	if err := s.repairer(r); err != nil {
		return 0, nil, err
	}
	var fits, limit int
	for k, v := range r.URL.Query() {
		n, err := strconv.Atoi(v[0])
		switch {
		case k != "fits" && k != "limit":
			return 0, nil, &meta.Invalid{Field: k, Reason: "unknown parameter; want fits, limit"}
		case len(v) != 1 || err != nil:
			return 0, nil, &meta.Invalid{Field: k, Reason: "want one number"}
		case k == "fits":
			fits = n
		default:
			limit = n
		}
	}
	out, err := s.Store.NarrowSegments(ctx, fits, limit)
	if out == nil {
		out = []meta.SegmentRef{}
	}
	return http.StatusOK, out, err
}

func (s *server) widenSegment(ctx context.Context, r *request) (int, any, error) {
	if err := s.repairer(r); err != nil {
		return 0, nil, err
	}
	var w meta.Widening
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return 0, nil, &meta.Invalid{Field: "body", Reason: err.Error()}
	}
	// Providers are kept in lowercase hex, as PiecesOn and billing are asked for them.
	for i := range w.Add {
		p := &w.Add[i]
		if !common.IsHexAddress(p.Provider) {
			return 0, nil, &meta.Invalid{Field: fmt.Sprintf("add[%d].provider", i), Reason: "want the provider's wallet address"}
		}
		p.Provider = tenantOf(common.HexToAddress(p.Provider))
	}
	return http.StatusNoContent, nil, s.Store.WidenSegment(ctx, r.tenant, w)
}

func (s *server) orphans(ctx context.Context, r *request) (int, any, error) {
	if err := s.repairer(r); err != nil {
		return 0, nil, err
	}
	limit := 0
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, nil, &meta.Invalid{Field: "limit", Reason: "want a number"}
		}
		limit = n
	}
	out, err := s.Store.Orphans(ctx, r.tenant, limit)
	if out == nil {
		out = []meta.Orphan{}
	}
	return http.StatusOK, out, err
}

func (s *server) forgetOrphan(ctx context.Context, r *request) (int, any, error) {
	if err := s.repairer(r); err != nil {
		return 0, nil, err
	}
	p := r.PathValue("provider")
	if !common.IsHexAddress(p) {
		return 0, nil, &meta.Invalid{Field: "provider", Reason: "want a wallet address"}
	}
	o := meta.Orphan{Provider: tenantOf(common.HexToAddress(p)), PieceID: r.PathValue("piece")}
	return http.StatusNoContent, nil, s.Store.ForgetOrphan(ctx, r.tenant, o)
}

// segmentQuery encodes ref as the query of GET /v1/repair/segment.
func segmentQuery(ref meta.SegmentRef) url.Values {
	return url.Values{
		"tenant": {ref.Tenant}, "bucket": {names.EncodeToString(ref.Bucket)}, "key": {names.EncodeToString(ref.Key)},
		"version": {strconv.FormatInt(ref.Version, 10)}, "segment": {strconv.Itoa(ref.Segment)},
	}
}

// parseSegmentRef is segmentQuery's inverse, refusing anything else.
func parseSegmentRef(q url.Values) (meta.SegmentRef, error) {
	var ref meta.SegmentRef
	for k, v := range q {
		if len(v) != 1 {
			return ref, &meta.Invalid{Field: k, Reason: "given more than once"}
		}
		var err error
		switch k {
		case "tenant":
			ref.Tenant = v[0]
		case "bucket":
			ref.Bucket, err = decodeName(k, v[0])
		case "key":
			ref.Key, err = decodeName(k, v[0])
		case "version":
			if ref.Version, err = strconv.ParseInt(v[0], 10, 64); err != nil {
				err = &meta.Invalid{Field: k, Reason: "want a version number"}
			}
		case "segment":
			if ref.Segment, err = strconv.Atoi(v[0]); err != nil {
				err = &meta.Invalid{Field: k, Reason: "want a segment index"}
			}
		default:
			return ref, &meta.Invalid{Field: k, Reason: "unknown parameter; want tenant, bucket, key, version, segment"}
		}
		if err != nil {
			return ref, err
		}
	}
	return ref, ref.Validate()
}

// Segment reads one segment of any tenant's object at ref.Version (for a repairer:
// dec2-storage --repairer): *meta.Conflict when the object has moved on, meta.ErrNoSuchKey
// when it is gone.
func (c *Client) Segment(ctx context.Context, ref meta.SegmentRef) (meta.Segment, error) {
	var g meta.Segment
	return g, c.do(ctx, http.MethodGet, "/v1/repair/segment", segmentQuery(ref), nil, &g)
}

// ReplacePieces swaps rebuilt pieces into a segment (for a repairer), all or none, while the
// object is at ref.Version (*meta.Conflict) and each piece still the one read
// (meta.ErrPieceChanged). The new pieces are recorded as the signer's.
func (c *Client) ReplacePieces(ctx context.Context, ref meta.SegmentRef, reps []meta.Replacement) error {
	return c.do(ctx, http.MethodPost, "/v1/repair/segment", nil, RepairRequest{Ref: ref, Replace: reps}, nil)
}

// NarrowSegments lists up to limit segments (0: the service's page size) written with n below
// 2k whose full code fits providers (for a repairer; meta.Repairs.NarrowSegments).
func (c *Client) NarrowSegments(ctx context.Context, fits, limit int) ([]meta.SegmentRef, error) {
	q := url.Values{"fits": {strconv.Itoa(fits)}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out []meta.SegmentRef
	return out, c.do(ctx, http.MethodGet, "/v1/repair/narrow", q, nil, &out)
}

// WidenSegment adds rebuilt pieces to a narrow segment (for a repairer), all or none, while the
// object is at w.Ref.Version (*meta.Conflict) and the segment at n = w.From
// (meta.ErrPieceChanged). The new pieces are recorded as the signer's.
func (c *Client) WidenSegment(ctx context.Context, w meta.Widening) error {
	return c.do(ctx, http.MethodPost, "/v1/repair/widen", nil, w, nil)
}

// Orphans lists up to limit pieces the signer put as a repairer that no object lists any more
// (0: the service's page size).
func (c *Client) Orphans(ctx context.Context, limit int) ([]meta.Orphan, error) {
	q := url.Values{}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out []meta.Orphan
	return out, c.do(ctx, http.MethodGet, "/v1/repair/orphans", q, nil, &out)
}

// ForgetOrphan drops the record of an orphan the signer deleted from its node.
func (c *Client) ForgetOrphan(ctx context.Context, o meta.Orphan) error {
	if !common.IsHexAddress(o.Provider) {
		return &meta.Invalid{Field: "provider", Reason: "want a wallet address"}
	}
	return c.do(ctx, http.MethodDelete, "/v1/repair/orphans/"+common.HexToAddress(o.Provider).Hex()+"/"+url.PathEscape(o.PieceID), nil, nil, nil)
}
