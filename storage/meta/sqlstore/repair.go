package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// atVersion reads the object ref names, locking its row on PostgreSQL when lock is set, and
// checks that it is still at ref.Version.
func (s *Store) atVersion(ctx context.Context, tx *sql.Tx, ref meta.SegmentRef, lock bool) (*stored, error) {
	o, err := s.findObject(ctx, tx, ref.Tenant, ref.Bucket, ref.Key, lock)
	if err != nil {
		return nil, err
	}
	if o.Version != ref.Version {
		return nil, &meta.Conflict{Current: o.Version, Want: ref.Version}
	}
	return o, nil
}

// Segment reads one segment of the object version ref names, with its pieces.
func (s *Store) Segment(ctx context.Context, ref meta.SegmentRef) (meta.Segment, error) {
	if err := ref.Validate(); err != nil {
		return meta.Segment{}, err
	}
	var g meta.Segment
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		o, err := s.atVersion(ctx, tx, ref, false)
		if err != nil {
			return err
		}
		var last int
		err = tx.QueryRowContext(ctx, `SELECT idx, plain_size, cipher_size, k, n, wrapped_key, padding, part, is_last
			FROM segments WHERE owner = $1 AND idx = $2`, o.id, ref.Segment).
			Scan(&g.Index, &g.PlainSize, &g.CipherSize, &g.K, &g.N, &g.WrappedKey, &g.Padding, &g.Part, &last)
		if errors.Is(err, sql.ErrNoRows) {
			return &meta.Invalid{Field: "segment", Reason: fmt.Sprintf("the object has no segment %d", ref.Segment)}
		}
		if err != nil {
			return fmt.Errorf("reading segment %d: %w", ref.Segment, err)
		}
		g.Last, g.Pieces = last != 0, nil
		rows, err := tx.QueryContext(ctx, `SELECT piece, provider, node_id, piece_id, merkle_root, size, receipt, hash
			FROM pieces WHERE owner = $1 AND segment = $2 ORDER BY piece`, o.id, ref.Segment)
		if err != nil {
			return fmt.Errorf("reading segment %d's pieces: %w", ref.Segment, err)
		}
		defer rows.Close()
		for rows.Next() {
			var p meta.Piece
			if err := rows.Scan(&p.Index, &p.Provider, &p.NodeID, &p.PieceID, &p.MerkleRoot, &p.Size, &p.Receipt, &p.Hash); err != nil {
				return fmt.Errorf("reading segment %d's pieces: %w", ref.Segment, err)
			}
			g.Pieces = append(g.Pieces, p)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reading segment %d's pieces: %w", ref.Segment, err)
		}
		return nil
	})
	return g, err
}

// ReplacePieces swaps rebuilt pieces into a segment, all or none: the object must still be at
// ref.Version and each piece still the one the repair read. Each new piece is recorded as
// repairer's, for Orphans to find once the catalog stops listing it.
func (s *Store) ReplacePieces(ctx context.Context, ref meta.SegmentRef, repairer string, reps []meta.Replacement) error {
	if err := ref.Validate(); err != nil {
		return err
	}
	if err := meta.ValidateTenant(repairer); err != nil {
		return &meta.Invalid{Field: "repairer", Reason: "want the repairer's wallet"}
	}
	if len(reps) == 0 || len(reps) > meta.MaxReplacements {
		return &meta.Invalid{Field: "replace", Reason: fmt.Sprintf("%d replacements; want 1 to %d", len(reps), meta.MaxReplacements)}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		o, err := s.atVersion(ctx, tx, ref, true)
		if err != nil {
			return err
		}
		var n int
		err = tx.QueryRowContext(ctx, `SELECT n FROM segments WHERE owner = $1 AND idx = $2`, o.id, ref.Segment).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return &meta.Invalid{Field: "segment", Reason: fmt.Sprintf("the object has no segment %d", ref.Segment)}
		}
		if err != nil {
			return fmt.Errorf("reading segment %d: %w", ref.Segment, err)
		}
		seen := make(map[int]bool, len(reps))
		for i := range reps {
			r := &reps[i]
			if err := r.Validate(n, i); err != nil {
				return err
			}
			if seen[r.New.Index] {
				return &meta.Invalid{Field: fmt.Sprintf("replace[%d].new.index", i), Reason: "replaced twice"}
			}
			seen[r.New.Index] = true
			p := r.New
			res, err := tx.ExecContext(ctx, `UPDATE pieces SET provider = $5, node_id = $6, piece_id = $7, merkle_root = $8,
					size = $9, receipt = $10, hash = $11
				WHERE owner = $1 AND segment = $2 AND piece = $3 AND piece_id = $4`,
				o.id, ref.Segment, p.Index, r.Old, p.Provider, p.NodeID, p.PieceID, nz(p.MerkleRoot), p.Size, nz(p.Receipt), nz(p.Hash))
			if err != nil {
				return fmt.Errorf("replacing piece %d: %w", p.Index, err)
			}
			if changed, err := res.RowsAffected(); err != nil || changed != 1 {
				return errors.Join(fmt.Errorf("piece %d (%s): %w", p.Index, r.Old, meta.ErrPieceChanged), err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO repaired (repairer, provider, piece_id, node_id) VALUES ($1, $2, $3, $4)`,
				repairer, p.Provider, p.PieceID, p.NodeID); err != nil {
				return fmt.Errorf("recording repaired piece %d: %w", p.Index, err)
			}
		}
		return nil
	})
}

// NarrowSegments lists segments written with n below 2k whose full code fits providers.
// segments_narrow holds them, so the scan is over the narrow ones only.
func (s *Store) NarrowSegments(ctx context.Context, fits, limit int) ([]meta.SegmentRef, error) {
	if limit < 0 || limit > meta.MaxPiecesOnPage {
		return nil, &meta.Invalid{Field: "limit", Reason: fmt.Sprintf("%d; want 0 to %d", limit, meta.MaxPiecesOnPage)}
	}
	if limit == 0 {
		limit = meta.MaxPiecesOnPage
	}
	var out []meta.SegmentRef
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT o.tenant, o.bucket, o.okey, o.version, s.idx
			FROM segments s JOIN objects o ON o.id = s.owner
			WHERE s.n < 2 * s.k AND 2 * s.k <= $1 ORDER BY o.tenant, o.bucket, o.okey, s.idx LIMIT $2`, fits, limit)
		if err != nil {
			return fmt.Errorf("listing narrow segments: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r meta.SegmentRef
			if err := rows.Scan(&r.Tenant, &r.Bucket, &r.Key, &r.Version, &r.Segment); err != nil {
				return fmt.Errorf("listing narrow segments: %w", err)
			}
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("listing narrow segments: %w", err)
		}
		return nil
	})
	return out, err
}

// WidenSegment adds pieces to a segment and raises its n, all or none: the object must still
// be at the version the repair read and the segment at the n it read. Each new piece is
// recorded as repairer's, for Orphans to find once the catalog stops listing it.
func (s *Store) WidenSegment(ctx context.Context, repairer string, w meta.Widening) error {
	if err := meta.ValidateTenant(repairer); err != nil {
		return &meta.Invalid{Field: "repairer", Reason: "want the repairer's wallet"}
	}
	if err := w.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		o, err := s.atVersion(ctx, tx, w.Ref, true)
		if err != nil {
			return err
		}
		n := w.From + len(w.Add)
		res, err := tx.ExecContext(ctx, `UPDATE segments SET n = $3 WHERE owner = $1 AND idx = $2 AND n = $4`, o.id, w.Ref.Segment, n, w.From)
		if err != nil {
			return fmt.Errorf("widening segment %d: %w", w.Ref.Segment, err)
		}
		if changed, err := res.RowsAffected(); err != nil || changed != 1 {
			return errors.Join(fmt.Errorf("segment %d is not at n = %d: %w", w.Ref.Segment, w.From, meta.ErrPieceChanged), err)
		}
		rows := make([][]any, 0, len(w.Add))
		for _, p := range w.Add {
			rows = append(rows, []any{o.id, w.Ref.Segment, p.Index, p.Provider, p.NodeID, p.PieceID, nz(p.MerkleRoot), p.Size, nz(p.Receipt), nz(p.Hash)})
		}
		if err := insertRows(ctx, tx, "pieces (owner, segment, piece, provider, node_id, piece_id, merkle_root, size, receipt, hash)", rows); err != nil {
			return fmt.Errorf("adding segment %d's pieces: %w", w.Ref.Segment, err)
		}
		for _, p := range w.Add {
			if _, err := tx.ExecContext(ctx, `INSERT INTO repaired (repairer, provider, piece_id, node_id) VALUES ($1, $2, $3, $4)`,
				repairer, p.Provider, p.PieceID, p.NodeID); err != nil {
				return fmt.Errorf("recording repaired piece %d: %w", p.Index, err)
			}
		}
		return nil
	})
}

// unlisted is the condition on a repaired row r that the catalog lists its piece no more; the
// pieces_provider index answers it.
const unlisted = `NOT EXISTS (SELECT 1 FROM pieces p WHERE p.provider = r.provider AND p.piece_id = r.piece_id)`

// Orphans lists the pieces repairer put on nodes that no object lists any more.
func (s *Store) Orphans(ctx context.Context, repairer string, limit int) ([]meta.Orphan, error) {
	if err := meta.ValidateTenant(repairer); err != nil {
		return nil, &meta.Invalid{Field: "repairer", Reason: "want the repairer's wallet"}
	}
	if limit < 0 || limit > meta.MaxPiecesOnPage {
		return nil, &meta.Invalid{Field: "limit", Reason: fmt.Sprintf("%d; want 0 to %d", limit, meta.MaxPiecesOnPage)}
	}
	if limit == 0 {
		limit = meta.MaxPiecesOnPage
	}
	var out []meta.Orphan
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT r.provider, r.node_id, r.piece_id FROM repaired r
			WHERE r.repairer = $1 AND `+unlisted+` ORDER BY r.provider, r.piece_id LIMIT $2`, repairer, limit)
		if err != nil {
			return fmt.Errorf("listing orphans: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var o meta.Orphan
			if err := rows.Scan(&o.Provider, &o.NodeID, &o.PieceID); err != nil {
				return fmt.Errorf("listing orphans: %w", err)
			}
			out = append(out, o)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("listing orphans: %w", err)
		}
		return nil
	})
	return out, err
}

// ForgetOrphan drops the record of an orphan; a piece the catalog still lists keeps its record.
func (s *Store) ForgetOrphan(ctx context.Context, repairer string, o meta.Orphan) error {
	if err := meta.ValidateTenant(repairer); err != nil {
		return &meta.Invalid{Field: "repairer", Reason: "want the repairer's wallet"}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM repaired AS r WHERE r.repairer = $1 AND r.provider = $2 AND r.piece_id = $3 AND `+unlisted,
			repairer, o.Provider, o.PieceID); err != nil {
			return fmt.Errorf("forgetting orphan %s: %w", o.PieceID, err)
		}
		return nil
	})
}
