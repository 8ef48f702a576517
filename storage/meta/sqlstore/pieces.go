package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// PiecesOn pages through the pieces provider holds, of every tenant, ordered by piece id:
// what audits challenge and billing meters. limit 0 means meta.MaxPiecesOnPage.
func (s *Store) PiecesOn(ctx context.Context, provider, after string, limit int) ([]meta.HeldPiece, error) {
	if err := meta.ValidateTenant(provider); err != nil {
		return nil, &meta.Invalid{Field: "provider", Reason: "want the provider's wallet"}
	}
	if limit < 0 || limit > meta.MaxPiecesOnPage {
		return nil, &meta.Invalid{Field: "limit", Reason: fmt.Sprintf("%d; want 0 to %d", limit, meta.MaxPiecesOnPage)}
	}
	if limit == 0 {
		limit = meta.MaxPiecesOnPage
	}
	var out []meta.HeldPiece
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT o.tenant, o.bucket, o.okey, o.version,
				p.segment, p.piece, p.provider, p.node_id, p.piece_id, p.merkle_root, p.size, p.receipt
			FROM pieces p JOIN objects o ON o.id = p.owner
			WHERE p.provider = $1 AND p.piece_id > $2 ORDER BY p.piece_id LIMIT $3`, provider, after, limit)
		if err != nil {
			return fmt.Errorf("listing pieces on %s: %w", provider, err)
		}
		defer rows.Close()
		for rows.Next() {
			var h meta.HeldPiece
			if err := rows.Scan(&h.Tenant, &h.Bucket, &h.Key, &h.Version, &h.Segment, &h.Index, &h.Provider,
				&h.NodeID, &h.PieceID, &h.MerkleRoot, &h.Size, &h.Receipt); err != nil {
				return fmt.Errorf("listing pieces on %s: %w", provider, err)
			}
			out = append(out, h)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("listing pieces on %s: %w", provider, err)
		}
		return nil
	})
	return out, err
}

// UsageByProvider sums, per provider, the pieces it holds for tenant and their bytes.
func (s *Store) UsageByProvider(ctx context.Context, tenant string) ([]meta.ProviderUsage, error) {
	if err := meta.ValidateTenant(tenant); err != nil {
		return nil, err
	}
	var out []meta.ProviderUsage
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT p.provider, COUNT(*), SUM(p.size)
			FROM pieces p JOIN objects o ON o.id = p.owner
			WHERE o.tenant = $1 GROUP BY p.provider ORDER BY p.provider`, tenant)
		if err != nil {
			return fmt.Errorf("summing usage: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u meta.ProviderUsage
			if err := rows.Scan(&u.Provider, &u.Pieces, &u.Bytes); err != nil {
				return fmt.Errorf("summing usage: %w", err)
			}
			out = append(out, u)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("summing usage: %w", err)
		}
		return nil
	})
	return out, err
}

// UsageAll sums, per (tenant, provider) pair after after, the pieces the provider holds for
// the tenant and their bytes, in pair order. limit 0 means meta.MaxUsagePage.
func (s *Store) UsageAll(ctx context.Context, after meta.UsageKey, limit int) ([]meta.TenantUsage, error) {
	if limit < 0 || limit > meta.MaxUsagePage {
		return nil, &meta.Invalid{Field: "limit", Reason: fmt.Sprintf("%d; want 0 to %d", limit, meta.MaxUsagePage)}
	}
	if limit == 0 {
		limit = meta.MaxUsagePage
	}
	var out []meta.TenantUsage
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		// (tenant, provider) > (after) spelled out: both backends take it, and the
		// objects' primary key (tenant first) serves the tenant bound.
		rows, err := tx.QueryContext(ctx, `SELECT o.tenant, p.provider, COUNT(*), SUM(p.size)
			FROM pieces p JOIN objects o ON o.id = p.owner
			WHERE o.tenant > $1 OR (o.tenant = $1 AND p.provider > $2)
			GROUP BY o.tenant, p.provider ORDER BY o.tenant, p.provider LIMIT $3`, after.Tenant, after.Provider, limit)
		if err != nil {
			return fmt.Errorf("summing usage of every tenant: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u meta.TenantUsage
			if err := rows.Scan(&u.Tenant, &u.Provider, &u.Pieces, &u.Bytes); err != nil {
				return fmt.Errorf("summing usage of every tenant: %w", err)
			}
			out = append(out, u)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("summing usage of every tenant: %w", err)
		}
		return nil
	})
	return out, err
}
