package meta

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// SegmentRef names one segment of one object version across tenants: what a held piece
// (HeldPiece) points a repairer at.
type SegmentRef struct {
	Tenant  string `json:"tenant"`
	Bucket  []byte `json:"bucket"`
	Key     []byte `json:"key"`
	Version int64  `json:"version"`
	Segment int    `json:"segment"`
}

// Ref is the segment a held piece belongs to.
func (h *HeldPiece) Ref() SegmentRef {
	return SegmentRef{Tenant: h.Tenant, Bucket: h.Bucket, Key: h.Key, Version: h.Version, Segment: h.Segment}
}

// Validate checks a reference before the store looks it up.
func (r *SegmentRef) Validate() error {
	if err := ValidateTenant(r.Tenant); err != nil {
		return err
	}
	if err := ValidateName("bucket", r.Bucket); err != nil {
		return err
	}
	if err := ValidateName("key", r.Key); err != nil {
		return err
	}
	if r.Segment < 0 || r.Segment >= MaxSegments {
		return &Invalid{Field: "segment", Reason: fmt.Sprintf("%d; want 0 to %d", r.Segment, MaxSegments-1)}
	}
	return nil
}

// Replacement swaps the piece at New.Index, which must still be the piece with id Old, for New:
// a rebuilt piece on another provider.
type Replacement struct {
	Old string `json:"old"`
	New Piece  `json:"new"`
}

// Widening adds pieces to a narrow segment (NarrowSegments): Add are pieces From, From+1, …
// of the segment's wider code, rebuilt from the pieces it has, and the segment's n becomes
// From + len(Add).
type Widening struct {
	Ref SegmentRef `json:"ref"`
	// From is the segment's n as the repair read it.
	From int     `json:"from"`
	Add  []Piece `json:"add"`
}

// Validate checks the new pieces as a write's pieces are checked, at the indexes they take.
func (w *Widening) Validate() error {
	if err := w.Ref.Validate(); err != nil {
		return err
	}
	n := w.From + len(w.Add)
	if w.From < 1 || len(w.Add) == 0 || n > MaxN {
		return &Invalid{Field: "add", Reason: fmt.Sprintf("%d pieces from %d; want 1 or more, up to n = %d", len(w.Add), w.From, MaxN)}
	}
	for i := range w.Add {
		if w.Add[i].Index != w.From+i {
			return &Invalid{Field: fmt.Sprintf("add[%d].index", i), Reason: fmt.Sprintf("%d; want %d (the pieces follow the segment's n = %d)", w.Add[i].Index, w.From+i, w.From)}
		}
		if err := checkPiece(w.Add[i], n, fmt.Sprintf("add[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

// Orphan is a piece a repairer put on a node that the catalog no longer lists (its object was
// replaced or deleted, or a later repair replaced it): only the repairer owns it on the node,
// so only the repairer can delete it.
type Orphan struct {
	Provider string `json:"provider"`
	NodeID   string `json:"node_id"`
	PieceID  string `json:"piece_id"`
}

// MaxReplacements bounds one ReplacePieces call: a segment has at most MaxN pieces.
const MaxReplacements = MaxN

// ErrPieceChanged is a replacement of a piece the catalog no longer lists at that index: a
// concurrent repair or write got there first, and the rebuilt piece is not needed.
var ErrPieceChanged = errors.New("the piece to replace is no longer the segment's (another repair or a write came first)")

// Repairs is what a repair worker needs of the store beyond PiecesOn. Every call crosses
// tenants and is served to the service's repairers only.
type Repairs interface {
	// Segment reads one segment with its pieces, of the object at ref.Version: *Conflict when
	// the object is at another version now, ErrNoSuchKey when it is gone.
	Segment(ctx context.Context, ref SegmentRef) (Segment, error)
	// ReplacePieces swaps pieces of the segment, all or none, only while the object is at
	// ref.Version (*Conflict) and each replaced piece is still Old (ErrPieceChanged), and
	// records each new piece as repairer's, so that it is collected once the catalog stops
	// listing it (Orphans).
	ReplacePieces(ctx context.Context, ref SegmentRef, repairer string, reps []Replacement) error
	// NarrowSegments lists up to limit segments (MaxPiecesOnPage when 0) written narrow, with n
	// below 2k (the code storage/erasure's Choose pairs with k; a gateway narrows it while
	// the attestors bar providers), whose full code fits providers (2k <= fits), in
	// (tenant, bucket, key, segment) order.
	NarrowSegments(ctx context.Context, fits, limit int) ([]SegmentRef, error)
	// WidenSegment adds w.Add to the segment and raises its n to match, all or none, only
	// while the object is at w.Ref.Version (*Conflict) and the segment's n is still w.From
	// (ErrPieceChanged), and records each new piece as repairer's, as ReplacePieces does.
	WidenSegment(ctx context.Context, repairer string, w Widening) error
	// Orphans lists up to limit pieces repairer put that the catalog no longer lists
	// (MaxPiecesOnPage when 0).
	Orphans(ctx context.Context, repairer string, limit int) ([]Orphan, error)
	// ForgetOrphan drops the record of an orphan its repairer deleted from its node.
	ForgetOrphan(ctx context.Context, repairer string, o Orphan) error
}

// Validate checks a replacement's new piece as a write's pieces are checked, and that it
// names the piece it replaces.
func (r *Replacement) Validate(n, i int) error {
	field := fmt.Sprintf("replace[%d]", i)
	if r.Old == "" || !text(r.Old, 128) {
		return &Invalid{Field: field + ".old", Reason: "want the replaced piece's id"}
	}
	if r.Old == r.New.PieceID {
		return &Invalid{Field: field + ".new.piece_id", Reason: "the same id as the replaced piece"}
	}
	if n < 1 || n > MaxN {
		return &Invalid{Field: field, Reason: fmt.Sprintf("segment of %d pieces", n)}
	}
	return checkPiece(r.New, n, field+".new")
}

// checkPiece checks p as Object.Validate checks a piece of a segment of n pieces, naming it
// field in a refusal.
func checkPiece(p Piece, n int, field string) error {
	g := Segment{Index: 0, K: 1, N: n, WrappedKey: []byte{0}, Pieces: []Piece{p}}
	if err := g.validate(0); err != nil {
		var inv *Invalid
		if errors.As(err, &inv) {
			return &Invalid{Field: field + strings.TrimPrefix(inv.Field, "segments[0].pieces[0]"), Reason: inv.Reason}
		}
		return err
	}
	return nil
}
