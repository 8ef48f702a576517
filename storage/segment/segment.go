// Package segment is the storage data path: it cuts an object's bytes into segments of at most
// 64 MiB and, per segment, draws a random key, encrypts with crypt's STREAM and erasure-codes
// the ciphertext into n pieces; reading fetches pieces, decodes and decrypts, for the whole
// object or a byte range. It moves no bytes itself: pieces go to a Sink and come from a Source
// that the caller implements over storage nodes.
package segment

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/erasure"
)

// MaxSize is the most plaintext one segment holds (Storj's segment size).
const MaxSize = 64 << 20

// Segment is what metadata keeps of one segment: nothing in it is secret.
type Segment struct {
	// Part is the multipart upload's part number, 0 for a single PUT; Index counts the part's
	// segments from 0, and Last marks its final one.
	Part  int
	Index int
	Last  bool
	// Size is the segment's plaintext bytes; the ciphertext is crypt.CipherSize(Size) and each
	// piece erasure.Code.PieceSize of that.
	Size int64
	K, N int
	// WrappedKey is the segment's key wrapped by the object key, bound to Part, Index, Last and
	// Size: metadata that moves, drops or resizes segments fails to unwrap.
	WrappedKey []byte
	// Hashes is each piece's BLAKE3-256 hash, checked when a read has to fall back to
	// reconstruction.
	Hashes []erasure.PieceHash
}

func (s *Segment) context() []byte {
	b := make([]byte, 0, 25)
	b = binary.BigEndian.AppendUint64(b, uint64(s.Part))
	b = binary.BigEndian.AppendUint64(b, uint64(s.Index))
	b = binary.BigEndian.AppendUint64(b, uint64(s.Size))
	if s.Last {
		return append(b, 1)
	}
	return append(b, 0)
}

// Sink stores a segment's pieces, pieces[i] being piece i (one per provider). The buffers are
// reused once Put returns, so Put must finish with them (or copy) before returning.
type Sink interface {
	Put(ctx context.Context, seg *Segment, pieces [][]byte) error
}

// Source reads back length bytes from offset off of piece i of seg; a whole piece is off 0 and
// length erasure.Code.PieceSize. It may return any error for a piece it cannot get: the reader
// tries other pieces.
type Source interface {
	Get(ctx context.Context, seg *Segment, piece int, off, length int64) ([]byte, error)
}

var (
	// ErrLayout means a segment list is not one an Encoder produces: parts out of order, a gap
	// in the indexes, a part without its final segment, an oversized segment.
	ErrLayout = errors.New("segment: segments out of layout")
	// ErrSegmentSize means an Encoder's SegmentSize is not a positive multiple of
	// crypt.ChunkSize up to MaxSize.
	ErrSegmentSize = errors.New("segment: segment size must be a multiple of 64 KiB up to 64 MiB")
)

// Encoder writes objects (or multipart parts) through the data path. It keeps a buffer of up to
// Code.EncodedSize(crypt.CipherSize(SegmentSize)) bytes between calls and is not safe for
// concurrent use: a gateway keeps a pool of them.
type Encoder struct {
	// ObjectKey wraps the segment keys (crypt.ObjectKey).
	ObjectKey crypt.Key
	// Code is the region's erasure code (erasure.Choose).
	Code *erasure.Code
	// Part is the multipart part number, 0 for a single PUT.
	Part int
	// SegmentSize is the plaintext per segment; 0 means MaxSize.
	SegmentSize int64

	// buf holds one segment, its plaintext read straight into the places its ciphertext chunks
	// will occupy, then sealed and erasure-coded in place. It grows with what is read and is
	// kept between calls: allocating (and page-faulting) up to 2 × 64 MiB per object would
	// cost more than the encryption.
	buf []byte
}

// Encode reads r to its end and hands each segment's pieces to sink in order, returning the
// segments for metadata. An empty r still makes one (empty) segment, so that its end is
// authenticated like any other.
func (e *Encoder) Encode(ctx context.Context, r io.Reader, sink Sink) ([]Segment, error) {
	segSize := e.SegmentSize
	if segSize == 0 {
		segSize = MaxSize
	}
	if segSize < 0 || segSize > MaxSize || segSize%crypt.ChunkSize != 0 {
		return nil, fmt.Errorf("segment: size %d: %w", segSize, ErrSegmentSize)
	}
	// Peeking one byte past a full segment tells whether it is the last.
	br := bufio.NewReaderSize(r, crypt.ChunkSize)
	var segs []Segment
	for index := 0; ; index++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("segment: %w", err)
		}
		size, last, err := e.readPlain(br, segSize)
		if err != nil {
			return nil, fmt.Errorf("segment %d: read: %w", index, err)
		}
		seg := Segment{Part: e.Part, Index: index, Last: last, Size: size, K: e.Code.K(), N: e.Code.N()}
		pieces, err := e.seal(&seg)
		if err != nil {
			return nil, fmt.Errorf("segment %d: %w", index, err)
		}
		if err := sink.Put(ctx, &seg, pieces); err != nil {
			return nil, fmt.Errorf("segment %d: put: %w", index, err)
		}
		segs = append(segs, seg)
		if last {
			return segs, nil
		}
	}
}

// room makes e.buf at least n bytes long, keeping its first keep bytes.
func (e *Encoder) room(n, keep int64) {
	if int64(len(e.buf)) < n {
		buf := make([]byte, n)
		copy(buf, e.buf[:keep])
		e.buf = buf
	}
}

// readPlain reads up to segSize bytes into e.buf, chunk i at i·crypt.CipherChunkSize, growing
// the buffer geometrically from 1 MiB so that small objects stay small.
func (e *Encoder) readPlain(br *bufio.Reader, segSize int64) (size int64, last bool, err error) {
	for off := int64(0); size < segSize; off += crypt.CipherChunkSize {
		if off+crypt.ChunkSize > int64(len(e.buf)) {
			e.room(e.Code.EncodedSize(crypt.CipherSize(min(segSize, max(2*size, 1<<20)))), off)
		}
		m, err := io.ReadFull(br, e.buf[off:off+crypt.ChunkSize])
		size += int64(m)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return size, true, nil
		}
		if err != nil {
			return 0, false, err
		}
	}
	if _, err := br.Peek(1); errors.Is(err, io.EOF) {
		return size, true, nil
	} else if err != nil {
		return 0, false, err
	}
	return size, false, nil
}

func (e *Encoder) seal(seg *Segment) ([][]byte, error) {
	// Room for the parity too, so that the code works in place.
	e.room(e.Code.EncodedSize(crypt.CipherSize(seg.Size)), crypt.CipherSize(seg.Size))
	key := crypt.RandomKey()
	ct, err := crypt.NewStream(key).SealInPlace(e.buf, seg.Size)
	if err != nil {
		return nil, err
	}
	pieces, err := e.Code.Encode(ct)
	if err != nil {
		return nil, err
	}
	seg.Hashes = make([]erasure.PieceHash, len(pieces))
	for i, p := range pieces {
		seg.Hashes[i] = erasure.HashPiece(p)
	}
	seg.WrappedKey = crypt.WrapKey(e.ObjectKey, key, seg.context())
	return pieces, nil
}

// Size is an object's plaintext size: the sum of its segments'.
func Size(segs []Segment) int64 {
	var n int64
	for i := range segs {
		n += segs[i].Size
	}
	return n
}

func checkLayout(segs []Segment) error {
	for i := range segs {
		s, bad := &segs[i], ""
		switch {
		case s.Size < 0 || s.Size > MaxSize:
			bad = "size"
		case i == 0 && s.Index != 0:
			bad = "first index"
		case i > 0 && segs[i-1].Last && (s.Part <= segs[i-1].Part || s.Index != 0):
			bad = "part order"
		case i > 0 && !segs[i-1].Last && (s.Part != segs[i-1].Part || s.Index != segs[i-1].Index+1):
			bad = "index order"
		case i == len(segs)-1 && !s.Last:
			bad = "missing final segment"
		}
		if bad != "" {
			return fmt.Errorf("segment: entry %d (part %d, index %d): %s: %w", i, s.Part, s.Index, bad, ErrLayout)
		}
	}
	return nil
}
