package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
)

// firstSchema is the storage service's schema before segments.part, segments.is_last and
// pieces.hash, with one object of one segment of one piece written under it.
const firstSchema = `
CREATE TABLE buckets (tenant VARCHAR(128) NOT NULL, name {BYTES} NOT NULL, created BIGINT NOT NULL, PRIMARY KEY (tenant, name));
CREATE TABLE objects (tenant VARCHAR(128) NOT NULL, bucket {BYTES} NOT NULL, okey {BYTES} NOT NULL, id {BYTES} NOT NULL,
	version BIGINT NOT NULL, etag VARCHAR(256) NOT NULL, size BIGINT NOT NULL, metadata {BYTES} NOT NULL, created BIGINT NOT NULL,
	PRIMARY KEY (tenant, bucket, okey));
CREATE UNIQUE INDEX objects_id ON objects (id);
CREATE TABLE segments (owner {BYTES} NOT NULL, idx INTEGER NOT NULL, plain_size BIGINT NOT NULL, cipher_size BIGINT NOT NULL,
	k INTEGER NOT NULL, n INTEGER NOT NULL, wrapped_key {BYTES} NOT NULL, padding BIGINT NOT NULL, PRIMARY KEY (owner, idx));
CREATE TABLE pieces (owner {BYTES} NOT NULL, segment INTEGER NOT NULL, piece INTEGER NOT NULL, provider VARCHAR(128) NOT NULL,
	node_id VARCHAR(128) NOT NULL, piece_id VARCHAR(128) NOT NULL, merkle_root {BYTES} NOT NULL, size BIGINT NOT NULL,
	receipt {BYTES} NOT NULL, PRIMARY KEY (owner, segment, piece));
INSERT INTO buckets VALUES ('0x1111111111111111111111111111111111111111', {B:bkt}, 1);
INSERT INTO objects VALUES ('0x1111111111111111111111111111111111111111', {B:bkt}, {B:key}, {B:id01}, 1, 'etag', 10, {B:md}, 1);
INSERT INTO segments VALUES ({B:id01}, 0, 10, 26, 1, 1, {B:wk}, 0);
INSERT INTO pieces VALUES ({B:id01}, 0, 0, '0xaaaa000000000000000000000000000000000001', 'node-0', 'p0', {B:root}, 26, {B:rc})
`

// A database written before the later columns opens: they are added, and a piece's missing
// hash is its Merkle root, so objects written then still read.
func TestOpenUpgradesTheFirstSchema(t *testing.T) {
	for _, b := range []struct {
		name, driver, bytesType string
		dsn                     func(t *testing.T) (driverDSN, storeDSN string)
		lit                     func(string) string
	}{
		{"sqlite", "sqlite", "BLOB", func(t *testing.T) (string, string) {
			p := filepath.Join(t.TempDir(), "old.db")
			return "file:" + p, "sqlite://" + p
		}, func(s string) string { return "X'" + hex.EncodeToString([]byte(s)) + "'" }},
		{"postgres", "pgx", "BYTEA", func(t *testing.T) (string, string) {
			u := postgresDatabase(t)
			return u, u
		}, func(s string) string { return `'\x` + hex.EncodeToString([]byte(s)) + `'::bytea` }},
	} {
		t.Run(b.name, func(t *testing.T) {
			raw, storeDSN := b.dsn(t)
			db, err := sql.Open(b.driver, raw)
			if err != nil {
				t.Fatal(err)
			}
			for _, stmt := range strings.Split(firstSchema, ";") {
				stmt = strings.ReplaceAll(strings.TrimSpace(stmt), "{BYTES}", b.bytesType)
				for _, v := range []string{"bkt", "key", "id01", "md", "wk", "root", "rc"} {
					stmt = strings.ReplaceAll(stmt, "{B:"+v+"}", b.lit(v))
				}
				if stmt == "" {
					continue
				}
				if _, err := db.ExecContext(context.Background(), stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			_ = db.Close()

			s, err := sqlstore.Open(context.Background(), storeDSN)
			if err != nil {
				t.Fatalf("opening a database of the first schema: %v", err)
			}
			defer s.Close()
			o, err := s.GetObject(context.Background(), alice, []byte("bkt"), []byte("key"))
			if err != nil {
				t.Fatalf("reading an object written before the upgrade: %v", err)
			}
			p := o.Segments[0].Pieces[0]
			if o.Segments[0].Part != 0 || o.Segments[0].Last || !bytes.Equal(p.Hash, []byte("root")) || !bytes.Equal(p.MerkleRoot, []byte("root")) {
				t.Errorf("upgraded object: segment %+v, piece hash %q root %q", o.Segments[0], p.Hash, p.MerkleRoot)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			// Opening again finds nothing to add.
			again, err := sqlstore.Open(context.Background(), storeDSN)
			if err != nil {
				t.Fatalf("reopening the upgraded database: %v", err)
			}
			_ = again.Close()
		})
	}
}
