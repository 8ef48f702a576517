// Package piecestore keeps a storage provider's pieces as files under a data directory, one
// file per piece id, each with a fixed header (size, Merkle root, owner, expiry) before the
// piece's bytes.
//
// A piece is visible whole or not at all: it is streamed into a temporary file, its header
// written last, fsynced, then hard-linked under its id (a link, unlike a rename, never replaces
// a piece another upload committed first) and the directory fsynced. A crash leaves at most
// temporary files, which Open removes. The store refuses uploads past its configured capacity
// while they stream, counting bytes still in flight, so concurrent uploads cannot overcommit it.
package piecestore

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/merkle"
)

// ID names a piece: 32 bytes, written as 64 lowercase hex digits in file names and URLs.
type ID [32]byte

// ParseID reads 64 hex digits (no 0x: ids are path segments).
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 64 {
		return id, &BadID{Input: s}
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, &BadID{Input: s}
	}
	return id, nil
}

func (id ID) String() string { return hex.EncodeToString(id[:]) }

// BadID is a piece id that is not 64 hex digits.
type BadID struct{ Input string }

func (e *BadID) Error() string { return fmt.Sprintf("piece id %q: want 64 hex digits", e.Input) }

// Info is what the store knows of a piece.
type Info struct {
	ID     ID
	Size   uint64
	Root   merkle.Hash
	Owner  common.Address
	Expiry uint64 // unix seconds
}

// NotFound is a piece the store does not hold.
type NotFound struct{ ID ID }

func (e *NotFound) Error() string { return "piece " + e.ID.String() + " not found" }

// Exists is an upload of a piece id the store already holds: pieces are immutable.
type Exists struct{ ID ID }

func (e *Exists) Error() string {
	return "piece " + e.ID.String() + " already exists (pieces are immutable)"
}

// OverCapacity is an upload that would take the store past its capacity.
type OverCapacity struct {
	ID       ID
	Capacity uint64
	Free     uint64
}

func (e *OverCapacity) Error() string {
	return fmt.Sprintf("piece %s does not fit: %d bytes free of %d", e.ID, e.Free, e.Capacity)
}

// NotOwner is a deletion asked by a wallet other than the one that uploaded the piece.
type NotOwner struct {
	ID    ID
	Owner common.Address
}

func (e *NotOwner) Error() string {
	return "piece " + e.ID.String() + " belongs to " + e.Owner.Hex()
}

// Corrupt is a piece file whose header the store cannot read.
type Corrupt struct {
	ID     ID
	Reason string
}

func (e *Corrupt) Error() string { return "piece " + e.ID.String() + " is corrupt: " + e.Reason }

// Header layout; the rest up to headerSize is zero, room for later fields.
const (
	headerSize  = 128
	magic       = "DEC2PC\x00\x01"
	offSize     = 8
	offRoot     = 16
	offOwner    = 48
	offExpiry   = 68
	chunkSize   = 1 << 20
	piecesDir   = "pieces"
	tempDir     = "tmp"
	tempPattern = "put-*"
)

func (i Info) header() []byte {
	h := make([]byte, headerSize)
	copy(h, magic)
	binary.BigEndian.PutUint64(h[offSize:], i.Size)
	copy(h[offRoot:], i.Root[:])
	copy(h[offOwner:], i.Owner[:])
	binary.BigEndian.PutUint64(h[offExpiry:], i.Expiry)
	return h
}

func parseHeader(id ID, h []byte, fileSize int64) (Info, error) {
	if string(h[:len(magic)]) != magic {
		return Info{}, &Corrupt{ID: id, Reason: "bad magic"}
	}
	i := Info{ID: id, Size: binary.BigEndian.Uint64(h[offSize:]), Expiry: binary.BigEndian.Uint64(h[offExpiry:])}
	copy(i.Root[:], h[offRoot:])
	copy(i.Owner[:], h[offOwner:])
	if fileSize-headerSize < 0 || uint64(fileSize-headerSize) != i.Size {
		return Info{}, &Corrupt{ID: id, Reason: fmt.Sprintf("header says %d bytes, the file holds %d", i.Size, fileSize-headerSize)}
	}
	return i, nil
}

// Store is one data directory of pieces. It is safe for concurrent use.
type Store struct {
	dir      string
	capacity uint64

	mu       sync.Mutex
	used     uint64 // bytes of committed pieces
	reserved uint64 // bytes of uploads in flight
	pieces   int
}

// Open opens (creating it if needed) the store in dir with room for capacity bytes of pieces,
// removes what interrupted uploads left and counts the pieces already there.
func Open(dir string, capacity uint64) (*Store, error) {
	s := &Store{dir: dir, capacity: capacity}
	if err := os.RemoveAll(filepath.Join(dir, tempDir)); err != nil {
		return nil, fmt.Errorf("removing interrupted uploads in %s: %w", dir, err)
	}
	for _, d := range []string{piecesDir, tempDir} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("opening piece store: %w", err)
		}
	}
	err := filepath.WalkDir(filepath.Join(dir, piecesDir), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if _, perr := ParseID(d.Name()); perr != nil {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Size() >= headerSize {
			s.used += uint64(fi.Size() - headerSize)
			s.pieces++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("counting pieces in %s: %w", dir, err)
	}
	return s, nil
}

// path fans pieces out over 256 directories by their first byte, keeping directories small.
func (s *Store) path(id ID) string {
	h := id.String()
	return filepath.Join(s.dir, piecesDir, h[:2], h)
}

// Usage is the store's accounting.
type Usage struct {
	Capacity uint64 `json:"capacity_bytes"`
	Used     uint64 `json:"used_bytes"`
	// Free is what an upload may still take: the capacity less committed pieces and uploads in
	// flight, and never more than the file system has left.
	Free   uint64 `json:"free_bytes"`
	Pieces int    `json:"pieces"`
}

// Usage reports capacity, use and free space now.
func (s *Store) Usage() Usage {
	s.mu.Lock()
	u := Usage{Capacity: s.capacity, Used: s.used, Pieces: s.pieces, Free: s.freeLocked()}
	s.mu.Unlock()
	return u
}

func (s *Store) freeLocked() uint64 {
	free := uint64(0)
	if taken := s.used + s.reserved; taken < s.capacity {
		free = s.capacity - taken
	}
	var st syscall.Statfs_t
	if syscall.Statfs(s.dir, &st) == nil {
		free = min(free, st.Bavail*uint64(st.Bsize))
	}
	return free
}

func (s *Store) reserve(id ID, n uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if free := s.freeLocked(); n > free {
		return &OverCapacity{ID: id, Capacity: s.capacity, Free: free}
	}
	s.reserved += n
	return nil
}

func (s *Store) release(n uint64) {
	s.mu.Lock()
	s.reserved -= n
	s.mu.Unlock()
}

// Put stores piece id owned by owner until expiry, reading it from r to its end. accept sees
// the piece's Info once its bytes are on disk and before anyone can see it; an error from
// accept (say, a root other than the one the uploader signed) drops the piece and is returned
// as it is.
func (s *Store) Put(id ID, owner common.Address, expiry uint64, r io.Reader, accept func(Info) error) (Info, error) {
	if _, err := os.Stat(s.path(id)); err == nil {
		return Info{}, &Exists{ID: id}
	}
	f, err := os.CreateTemp(filepath.Join(s.dir, tempDir), tempPattern)
	if err != nil {
		return Info{}, fmt.Errorf("storing piece %s: %w", id, err)
	}
	var reserved uint64
	defer func() {
		f.Close()
		os.Remove(f.Name())
		s.release(reserved)
	}()
	if _, err := f.Write(make([]byte, headerSize)); err != nil {
		return Info{}, fmt.Errorf("storing piece %s: %w", id, err)
	}
	tree := merkle.NewBuilder()
	buf := make([]byte, chunkSize)
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			if err := s.reserve(id, uint64(n)); err != nil {
				// Say how much room there was for this piece, its own bytes so far included.
				var over *OverCapacity
				if errors.As(err, &over) {
					over.Free += reserved
				}
				return Info{}, err
			}
			reserved += uint64(n)
			tree.Write(buf[:n])
			if _, err := f.Write(buf[:n]); err != nil {
				return Info{}, fmt.Errorf("storing piece %s: %w", id, err)
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return Info{}, fmt.Errorf("reading piece %s: %w", id, rerr)
		}
	}
	info := Info{ID: id, Size: tree.Size(), Root: tree.Root(), Owner: owner, Expiry: expiry}
	if _, err := f.WriteAt(info.header(), 0); err != nil {
		return Info{}, fmt.Errorf("storing piece %s: %w", id, err)
	}
	if err := f.Sync(); err != nil {
		return Info{}, fmt.Errorf("syncing piece %s: %w", id, err)
	}
	if err := accept(info); err != nil {
		return Info{}, err
	}
	final := s.path(id)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return Info{}, fmt.Errorf("storing piece %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.Link(f.Name(), final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Info{}, &Exists{ID: id}
		}
		return Info{}, fmt.Errorf("committing piece %s: %w", id, err)
	}
	// The link must survive a crash before the upload is acknowledged.
	if err := syncDir(filepath.Dir(final)); err != nil {
		return Info{}, fmt.Errorf("committing piece %s: %w", id, err)
	}
	s.used += info.Size
	s.pieces++
	return info, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Piece is an open piece: its Info and its bytes, which Seek and ReadAt read without the header
// (http.ServeContent answers ranges from it).
type Piece struct {
	Info
	*io.SectionReader
	f *os.File
}

// Close closes the piece's file.
func (p *Piece) Close() error { return p.f.Close() }

// Get opens piece id for reading. A piece deleted while open stays readable until closed.
func (s *Store) Get(id ID) (*Piece, error) {
	f, err := os.Open(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotFound{ID: id}
	}
	if err != nil {
		return nil, fmt.Errorf("opening piece %s: %w", id, err)
	}
	info, err := readInfo(id, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Piece{Info: info, SectionReader: io.NewSectionReader(f, headerSize, int64(info.Size)), f: f}, nil
}

func readInfo(id ID, f *os.File) (Info, error) {
	fi, err := f.Stat()
	if err != nil {
		return Info{}, fmt.Errorf("reading piece %s: %w", id, err)
	}
	h := make([]byte, headerSize)
	if _, err := f.ReadAt(h, 0); err != nil {
		return Info{}, &Corrupt{ID: id, Reason: "short header"}
	}
	return parseHeader(id, h, fi.Size())
}

// Stat returns piece id's Info.
func (s *Store) Stat(id ID) (Info, error) {
	p, err := s.Get(id)
	if err != nil {
		return Info{}, err
	}
	defer p.Close()
	return p.Info, nil
}

// Delete removes piece id if owner uploaded it.
func (s *Store) Delete(id ID, owner common.Address) error {
	// Under the lock, so that no upload commits the same id between the owner check and the
	// removal.
	s.mu.Lock()
	defer s.mu.Unlock()
	info, err := s.Stat(id)
	if err != nil {
		return err
	}
	if info.Owner != owner {
		return &NotOwner{ID: id, Owner: info.Owner}
	}
	if err := os.Remove(s.path(id)); err != nil {
		return fmt.Errorf("deleting piece %s: %w", id, err)
	}
	if err := syncDir(filepath.Dir(s.path(id))); err != nil {
		return fmt.Errorf("deleting piece %s: %w", id, err)
	}
	s.used -= info.Size
	s.pieces--
	return nil
}

// Challenge answers an audit: leaf index of piece id and its Merkle proof, read from the bytes
// on disk (so a piece that rotted answers a proof that fails against its receipt's root).
func (s *Store) Challenge(id ID, index uint64) (Info, []byte, merkle.Proof, error) {
	p, err := s.Get(id)
	if err != nil {
		return Info{}, nil, merkle.Proof{}, err
	}
	defer p.Close()
	leaf, proof, err := merkle.Prove(p.SectionReader, index)
	if err != nil {
		return Info{}, nil, merkle.Proof{}, fmt.Errorf("challenge of piece %s: %w", id, err)
	}
	return p.Info, leaf, proof, nil
}

// MaxList bounds one listing: an owner's pieces under a prefix it chose for them, such as the
// storage service's metadata snapshots, are few.
const MaxList = 1000

// List returns the pieces whose ids start with prefix (at least one byte, so that one fan-out
// directory is read) and that owner uploaded, in id order, at most MaxList. Pieces whose
// header does not parse are left out: a listing is no audit.
func (s *Store) List(owner common.Address, prefix []byte) ([]Info, error) {
	if len(prefix) == 0 || len(prefix) > len(ID{}) {
		return nil, &BadPrefix{Len: len(prefix)}
	}
	want := hex.EncodeToString(prefix)
	dir := filepath.Join(s.dir, piecesDir, want[:2])
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing pieces under %s: %w", want, err)
	}
	var out []Info
	for _, e := range entries { // ReadDir sorts by name, so by id
		id, err := ParseID(e.Name())
		if err != nil || !strings.HasPrefix(e.Name(), want) {
			continue
		}
		info, err := s.Stat(id)
		if err != nil || info.Owner != owner {
			continue
		}
		out = append(out, info)
		if len(out) == MaxList {
			break
		}
	}
	return out, nil
}

// BadPrefix is a listing prefix that is empty or longer than an id.
type BadPrefix struct{ Len int }

func (e *BadPrefix) Error() string {
	return fmt.Sprintf("a listing prefix of %d bytes: want 1 to %d bytes (2 to 64 hex digits)", e.Len, len(ID{}))
}
