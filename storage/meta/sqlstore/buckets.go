package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// CreateBucket creates tenant's bucket name; meta.ErrBucketExists when it has one so named.
func (s *Store) CreateBucket(ctx context.Context, tenant string, name []byte) (meta.Bucket, error) {
	if err := validTenantName(tenant, "bucket", name); err != nil {
		return meta.Bucket{}, err
	}
	b := meta.Bucket{Name: name, Created: time.Now().UTC()}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO buckets (tenant, name, created) VALUES ($1, $2, $3)
			ON CONFLICT (tenant, name) DO NOTHING`, tenant, name, b.Created.UnixNano())
		if err != nil {
			return fmt.Errorf("creating bucket: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("creating bucket: %w", err)
		} else if n == 0 {
			return meta.ErrBucketExists
		}
		return nil
	})
	if err != nil {
		return meta.Bucket{}, err
	}
	return b, nil
}

// DeleteBucket deletes tenant's bucket when it holds no object.
func (s *Store) DeleteBucket(ctx context.Context, tenant string, name []byte) error {
	if err := validTenantName(tenant, "bucket", name); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := bucketExists(ctx, tx, tenant, name); err != nil {
			return err
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM objects WHERE tenant = $1 AND bucket = $2 LIMIT 1`, tenant, name).Scan(&one)
		switch {
		case err == nil:
			return meta.ErrBucketNotEmpty
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("deleting bucket: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM buckets WHERE tenant = $1 AND name = $2`, tenant, name); err != nil {
			return fmt.Errorf("deleting bucket: %w", err)
		}
		return nil
	})
}

// ListBuckets lists tenant's buckets by name.
func (s *Store) ListBuckets(ctx context.Context, tenant string) ([]meta.Bucket, error) {
	if err := meta.ValidateTenant(tenant); err != nil {
		return nil, err
	}
	var out []meta.Bucket
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT name, created FROM buckets WHERE tenant = $1 ORDER BY name`, tenant)
		if err != nil {
			return fmt.Errorf("listing buckets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var b meta.Bucket
			var created int64
			if err := rows.Scan(&b.Name, &created); err != nil {
				return fmt.Errorf("listing buckets: %w", err)
			}
			b.Created = time.Unix(0, created).UTC()
			out = append(out, b)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("listing buckets: %w", err)
		}
		return nil
	})
	return out, err
}

func bucketExists(ctx context.Context, tx *sql.Tx, tenant string, name []byte) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM buckets WHERE tenant = $1 AND name = $2`, tenant, name).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return meta.ErrNoSuchBucket
	case err != nil:
		return fmt.Errorf("reading bucket: %w", err)
	}
	return nil
}

func validTenantName(tenant, field string, name []byte) error {
	if err := meta.ValidateTenant(tenant); err != nil {
		return err
	}
	return meta.ValidateName(field, name)
}
