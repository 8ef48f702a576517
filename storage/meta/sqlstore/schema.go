package sqlstore

import "strings"

// schema is the one schema both databases run; {BYTES} is the dialect's byte-string type.
// Keys and names are byte strings, which SQLite (BLOB, memcmp) and PostgreSQL (BYTEA) order the
// same way, so pages and continuation tokens agree across backends. Times are Unix nanoseconds
// in BIGINT, the one time type every Postgres-wire database and SQLite store alike.
//
// Each object version has a random 16-byte id that its segments and pieces hang off (their
// owner): a replacing write deletes the old owner's rows and writes a new owner's, and random
// ids spread writes across a distributed database's ranges where a sequence would not.
//
// segments_narrow indexes the few segments written narrow (n below 2k, while the attestors
// barred providers), which every repair round asks for (NarrowSegments): without it, each
// round would scan every segment.
//
// repaired lists the pieces a repairer put on nodes (ReplacePieces): the node lets only the
// uploader delete a piece, so once the catalog stops listing one the repairer, not the
// tenant's gateway, collects it (Orphans). A table of its own leaves object writes untouched.
const schema = `
CREATE TABLE IF NOT EXISTS buckets (
	tenant  VARCHAR(128) NOT NULL,
	name    {BYTES} NOT NULL,
	created BIGINT NOT NULL,
	PRIMARY KEY (tenant, name)
);
CREATE TABLE IF NOT EXISTS objects (
	tenant   VARCHAR(128) NOT NULL,
	bucket   {BYTES} NOT NULL,
	okey     {BYTES} NOT NULL,
	id       {BYTES} NOT NULL,
	version  BIGINT NOT NULL,
	etag     VARCHAR(256) NOT NULL,
	size     BIGINT NOT NULL,
	metadata {BYTES} NOT NULL,
	created  BIGINT NOT NULL,
	PRIMARY KEY (tenant, bucket, okey)
);
CREATE UNIQUE INDEX IF NOT EXISTS objects_id ON objects (id);
CREATE TABLE IF NOT EXISTS segments (
	owner       {BYTES} NOT NULL,
	idx         INTEGER NOT NULL,
	plain_size  BIGINT NOT NULL,
	cipher_size BIGINT NOT NULL,
	k           INTEGER NOT NULL,
	n           INTEGER NOT NULL,
	wrapped_key {BYTES} NOT NULL,
	padding     BIGINT NOT NULL,
	part        INTEGER NOT NULL DEFAULT 0,
	is_last     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (owner, idx)
);
CREATE TABLE IF NOT EXISTS pieces (
	owner       {BYTES} NOT NULL,
	segment     INTEGER NOT NULL,
	piece       INTEGER NOT NULL,
	provider    VARCHAR(128) NOT NULL,
	node_id     VARCHAR(128) NOT NULL,
	piece_id    VARCHAR(128) NOT NULL,
	merkle_root {BYTES} NOT NULL,
	size        BIGINT NOT NULL,
	receipt     {BYTES} NOT NULL,
	hash        {BYTES} NOT NULL,
	PRIMARY KEY (owner, segment, piece)
);
CREATE INDEX IF NOT EXISTS pieces_provider ON pieces (provider, piece_id);
CREATE INDEX IF NOT EXISTS segments_narrow ON segments (owner, idx) WHERE n < 2 * k;
CREATE TABLE IF NOT EXISTS repaired (
	repairer VARCHAR(128) NOT NULL,
	provider VARCHAR(128) NOT NULL,
	piece_id VARCHAR(128) NOT NULL,
	node_id  VARCHAR(128) NOT NULL,
	PRIMARY KEY (repairer, provider, piece_id)
)
`

// statements is schema for one dialect, one statement each: not every driver runs several in
// one Exec.
func statements(bytesType string) []string {
	var out []string
	for _, s := range strings.Split(strings.ReplaceAll(schema, "{BYTES}", bytesType), ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// added are the columns that came after the first schema, each with what a row written before
// it holds: a store opened on an older database adds them (an empty piece hash is the piece's
// Merkle root, which the data path records as its hash).
var added = []struct{ table, column, definition, backfill string }{
	{"segments", "part", "INTEGER NOT NULL DEFAULT 0", ""},
	{"segments", "is_last", "INTEGER NOT NULL DEFAULT 0", ""},
	{"pieces", "hash", "{BYTES}", "UPDATE pieces SET hash = merkle_root WHERE hash IS NULL"},
}
