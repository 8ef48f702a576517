package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dec2-cloud/dec2/storage/meta"
)

// stored is an object row and its owner id.
type stored struct {
	id []byte
	meta.Object
}

const objectColumns = `id, version, etag, size, metadata, created`

// readObject reads the object row (locking it on PostgreSQL when lock is set); nil when absent.
func (s *Store) readObject(ctx context.Context, tx *sql.Tx, tenant string, bucket, key []byte, lock bool) (*stored, error) {
	q := `SELECT ` + objectColumns + ` FROM objects WHERE tenant = $1 AND bucket = $2 AND okey = $3`
	if lock {
		q += s.d.forUpdate
	}
	o := stored{Object: meta.Object{Bucket: bucket, Key: key}}
	var created int64
	err := tx.QueryRowContext(ctx, q, tenant, bucket, key).Scan(&o.id, &o.Version, &o.ETag, &o.Size, &o.Metadata, &created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("reading object: %w", err)
	}
	o.Created = time.Unix(0, created).UTC()
	return &o, nil
}

// PutObject writes o as the object's new version with its segments and pieces, replacing the
// old version's in the same transaction. The new version is max(old+1, now in Unix ns): it
// grows with every write of the key, and a key deleted and written again does not reuse a
// version a compare-and-swap writer may still hold (short of the clock stepping back further
// than the time between the two writes).
func (s *Store) PutObject(ctx context.Context, tenant string, o meta.Object, opt meta.PutOptions) (meta.PutResult, error) {
	if err := meta.ValidateTenant(tenant); err != nil {
		return meta.PutResult{}, err
	}
	if err := o.Validate(); err != nil {
		return meta.PutResult{}, err
	}
	var res meta.PutResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res = meta.PutResult{}
		if err := bucketExists(ctx, tx, tenant, o.Bucket); err != nil {
			return err
		}
		old, err := s.readObject(ctx, tx, tenant, o.Bucket, o.Key, true)
		if err != nil {
			return err
		}
		if err := checkVersion(old, opt); err != nil {
			return err
		}
		now := time.Now().UTC()
		id := newID()
		res.Version = now.UnixNano()
		if old != nil {
			res.Version = max(res.Version, old.Version+1)
			if err := s.loadSegments(ctx, tx, old); err != nil {
				return err
			}
			if err := deleteOwned(ctx, tx, old.id); err != nil {
				return err
			}
			replaced := old.Object
			res.Replaced = &replaced
			_, err = tx.ExecContext(ctx, `UPDATE objects SET id = $4, version = $5, etag = $6, size = $7, metadata = $8, created = $9
				WHERE tenant = $1 AND bucket = $2 AND okey = $3`,
				tenant, o.Bucket, o.Key, id, res.Version, o.ETag, o.Size, nz(o.Metadata), now.UnixNano())
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO objects (tenant, bucket, okey, id, version, etag, size, metadata, created)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				tenant, o.Bucket, o.Key, id, res.Version, o.ETag, o.Size, nz(o.Metadata), now.UnixNano())
		}
		if err != nil {
			return fmt.Errorf("writing object: %w", err)
		}
		return insertSegments(ctx, tx, id, o.Segments)
	})
	if err != nil {
		return meta.PutResult{}, err
	}
	return res, nil
}

func checkVersion(old *stored, opt meta.PutOptions) error {
	if opt.IfVersion == nil {
		return nil
	}
	var current int64
	if old != nil {
		current = old.Version
	}
	if current != *opt.IfVersion {
		return &meta.Conflict{Current: current, Want: *opt.IfVersion}
	}
	return nil
}

// GetObject reads an object with its segments and pieces.
func (s *Store) GetObject(ctx context.Context, tenant string, bucket, key []byte) (meta.Object, error) {
	if err := validTenantName(tenant, "bucket", bucket); err != nil {
		return meta.Object{}, err
	}
	if err := meta.ValidateName("key", key); err != nil {
		return meta.Object{}, err
	}
	var out meta.Object
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		o, err := s.findObject(ctx, tx, tenant, bucket, key, false)
		if err != nil {
			return err
		}
		if err := s.loadSegments(ctx, tx, o); err != nil {
			return err
		}
		out = o.Object
		return nil
	})
	return out, err
}

// DeleteObject deletes an object (compare-and-swap with opt.IfVersion) and returns it with its
// segments and pieces.
func (s *Store) DeleteObject(ctx context.Context, tenant string, bucket, key []byte, opt meta.PutOptions) (meta.Object, error) {
	if err := validTenantName(tenant, "bucket", bucket); err != nil {
		return meta.Object{}, err
	}
	if err := meta.ValidateName("key", key); err != nil {
		return meta.Object{}, err
	}
	var out meta.Object
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		o, err := s.findObject(ctx, tx, tenant, bucket, key, true)
		if err != nil {
			return err
		}
		if err := checkVersion(o, opt); err != nil {
			return err
		}
		if err := s.loadSegments(ctx, tx, o); err != nil {
			return err
		}
		if err := deleteOwned(ctx, tx, o.id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM objects WHERE tenant = $1 AND bucket = $2 AND okey = $3`, tenant, bucket, key); err != nil {
			return fmt.Errorf("deleting object: %w", err)
		}
		out = o.Object
		return nil
	})
	return out, err
}

// findObject is readObject where absence is an error naming the bucket or the key.
func (s *Store) findObject(ctx context.Context, tx *sql.Tx, tenant string, bucket, key []byte, lock bool) (*stored, error) {
	o, err := s.readObject(ctx, tx, tenant, bucket, key, lock)
	if err != nil || o != nil {
		return o, err
	}
	if err := bucketExists(ctx, tx, tenant, bucket); err != nil {
		return nil, err
	}
	return nil, meta.ErrNoSuchKey
}

func (s *Store) loadSegments(ctx context.Context, tx *sql.Tx, o *stored) error {
	rows, err := tx.QueryContext(ctx, `SELECT idx, plain_size, cipher_size, k, n, wrapped_key, padding, part, is_last
		FROM segments WHERE owner = $1 ORDER BY idx`, o.id)
	if err != nil {
		return fmt.Errorf("reading segments: %w", err)
	}
	defer rows.Close()
	o.Segments = nil
	for rows.Next() {
		var g meta.Segment
		var last int
		if err := rows.Scan(&g.Index, &g.PlainSize, &g.CipherSize, &g.K, &g.N, &g.WrappedKey, &g.Padding, &g.Part, &last); err != nil {
			return fmt.Errorf("reading segments: %w", err)
		}
		g.Last = last != 0
		o.Segments = append(o.Segments, g)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading segments: %w", err)
	}
	prows, err := tx.QueryContext(ctx, `SELECT segment, piece, provider, node_id, piece_id, merkle_root, size, receipt, hash
		FROM pieces WHERE owner = $1 ORDER BY segment, piece`, o.id)
	if err != nil {
		return fmt.Errorf("reading pieces: %w", err)
	}
	defer prows.Close()
	for prows.Next() {
		var seg int
		var p meta.Piece
		if err := prows.Scan(&seg, &p.Index, &p.Provider, &p.NodeID, &p.PieceID, &p.MerkleRoot, &p.Size, &p.Receipt, &p.Hash); err != nil {
			return fmt.Errorf("reading pieces: %w", err)
		}
		if seg < 0 || seg >= len(o.Segments) {
			return fmt.Errorf("reading pieces: piece of segment %d, but the object has %d segments", seg, len(o.Segments))
		}
		o.Segments[seg].Pieces = append(o.Segments[seg].Pieces, p)
	}
	if err := prows.Err(); err != nil {
		return fmt.Errorf("reading pieces: %w", err)
	}
	return nil
}

func deleteOwned(ctx context.Context, tx *sql.Tx, owner []byte) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM pieces WHERE owner = $1`, owner); err != nil {
		return fmt.Errorf("deleting pieces: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM segments WHERE owner = $1`, owner); err != nil {
		return fmt.Errorf("deleting segments: %w", err)
	}
	return nil
}

// batchRows bounds the rows of one multi-row INSERT: 10 columns × 500 stays far below both
// databases' limits on bound parameters, and few round trips carry a large object's pieces.
const batchRows = 500

func insertSegments(ctx context.Context, tx *sql.Tx, owner []byte, segs []meta.Segment) error {
	var segRows, pieceRows [][]any
	for _, g := range segs {
		last := 0
		if g.Last {
			last = 1
		}
		segRows = append(segRows, []any{owner, g.Index, g.PlainSize, g.CipherSize, g.K, g.N, g.WrappedKey, g.Padding, g.Part, last})
		for _, p := range g.Pieces {
			pieceRows = append(pieceRows, []any{owner, g.Index, p.Index, p.Provider, p.NodeID, p.PieceID, nz(p.MerkleRoot), p.Size, nz(p.Receipt), nz(p.Hash)})
		}
	}
	if err := insertRows(ctx, tx, "segments (owner, idx, plain_size, cipher_size, k, n, wrapped_key, padding, part, is_last)", segRows); err != nil {
		return fmt.Errorf("writing segments: %w", err)
	}
	if err := insertRows(ctx, tx, "pieces (owner, segment, piece, provider, node_id, piece_id, merkle_root, size, receipt, hash)", pieceRows); err != nil {
		return fmt.Errorf("writing pieces: %w", err)
	}
	return nil
}

func insertRows(ctx context.Context, tx *sql.Tx, into string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), batchRows)
		var q strings.Builder
		q.WriteString("INSERT INTO " + into + " VALUES ")
		args := make([]any, 0, n*len(rows[0]))
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					q.WriteByte(',')
				}
				args = append(args, v)
				q.WriteString("$" + strconv.Itoa(len(args)))
			}
			q.WriteByte(')')
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// ListObjects lists a page of a bucket's keys in byte order. With a delimiter it skips over
// each common prefix with one query (a skip scan), so a folder of a million keys costs one row.
func (s *Store) ListObjects(ctx context.Context, tenant string, bucket []byte, opt meta.ListOptions) (meta.ListPage, error) {
	if err := validTenantName(tenant, "bucket", bucket); err != nil {
		return meta.ListPage{}, err
	}
	if err := opt.Normalize(); err != nil {
		return meta.ListPage{}, err
	}
	var page meta.ListPage
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		page = meta.ListPage{}
		if err := bucketExists(ctx, tx, tenant, bucket); err != nil {
			return err
		}
		l := lister{s: s, tx: tx, tenant: tenant, bucket: bucket, opt: opt, lo: opt.Prefix, after: opt.StartAfter}
		return l.run(ctx, &page)
	})
	return page, err
}

// lister walks keys k with lo <= k, after < k and k below the prefix's end.
type lister struct {
	s         *Store
	tx        *sql.Tx
	tenant    string
	bucket    []byte
	opt       meta.ListOptions
	lo, after []byte
}

func (l *lister) run(ctx context.Context, page *meta.ListPage) error {
	for {
		room := l.opt.Limit - len(page.Objects) - len(page.Prefixes)
		if room == 0 {
			more, err := l.query(ctx, 1)
			page.Truncated = len(more) > 0
			return err
		}
		batch, err := l.query(ctx, room)
		if err != nil || len(batch) == 0 {
			return err
		}
		rolled := false
		for _, o := range batch {
			cp := l.commonPrefix(o.Key)
			if cp == nil {
				page.Objects = append(page.Objects, o)
				page.Next, l.after = o.Key, o.Key
				continue
			}
			// Every key under cp rolls up into it: report it once (unless a previous page
			// ended on it) and resume past all of them.
			if bytes.Compare(cp, l.opt.StartAfter) > 0 {
				page.Prefixes = append(page.Prefixes, cp)
				page.Next = cp
			}
			if l.lo = meta.PrefixEnd(cp); l.lo == nil {
				return nil
			}
			rolled = true
			break
		}
		if !rolled && len(batch) < room {
			return nil // the keys ran out before the page filled
		}
	}
}

// commonPrefix is the prefix key rolls up into under the delimiter, nil when it does not.
func (l *lister) commonPrefix(key []byte) []byte {
	if len(l.opt.Delimiter) == 0 {
		return nil
	}
	rest := key[len(l.opt.Prefix):]
	i := bytes.IndexByte(rest, l.opt.Delimiter[0])
	if i < 0 {
		return nil
	}
	return key[:len(l.opt.Prefix)+i+1]
}

func (l *lister) query(ctx context.Context, limit int) ([]meta.Object, error) {
	q := `SELECT okey, version, etag, size, metadata, created FROM objects
		WHERE tenant = $1 AND bucket = $2 AND okey >= $3 AND okey > $4`
	args := []any{l.tenant, l.bucket, nz(l.lo), nz(l.after)}
	if end := meta.PrefixEnd(l.opt.Prefix); end != nil {
		q += ` AND okey < $5`
		args = append(args, end)
	}
	q += ` ORDER BY okey LIMIT ` + strconv.Itoa(limit)
	rows, err := l.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing objects: %w", err)
	}
	defer rows.Close()
	var out []meta.Object
	for rows.Next() {
		o := meta.Object{Bucket: l.bucket}
		var created int64
		if err := rows.Scan(&o.Key, &o.Version, &o.ETag, &o.Size, &o.Metadata, &created); err != nil {
			return nil, fmt.Errorf("listing objects: %w", err)
		}
		o.Created = time.Unix(0, created).UTC()
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing objects: %w", err)
	}
	return out, nil
}
