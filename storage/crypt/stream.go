package crypt

import (
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// The STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár, "Online Authenticated-Encryption
// and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015): the plaintext is cut into chunks and
// chunk i is sealed with nonce prefix ‖ i ‖ last, last being 1 only on the final chunk. A chunk
// moved to another position fails (wrong counter), a stream cut at a chunk boundary fails (its
// new final chunk was sealed with last = 0), and a chunk taken from another stream fails (other
// key). Each chunk is authenticated on its own, which is what lets a range read decrypt only the
// chunks it needs.
const (
	// ChunkSize is the plaintext size of every chunk but the final one, which holds 0 to
	// ChunkSize bytes.
	ChunkSize = 64 << 10
	// Overhead is the GCM tag each chunk carries.
	Overhead = gcmTag
	// CipherChunkSize is a full chunk's ciphertext size.
	CipherChunkSize = ChunkSize + Overhead
	// MaxChunks is how many chunks the 32-bit counter numbers.
	MaxChunks = math.MaxUint32 + 1
)

// Chunks is the number of chunks a plaintext of size bytes is sealed into: at least one, so that
// even an empty stream ends in an authenticated final chunk.
func Chunks(size int64) int64 {
	if size <= 0 {
		return 1
	}
	return (size + ChunkSize - 1) / ChunkSize
}

// CipherSize is the ciphertext size of a plaintext of size bytes.
func CipherSize(size int64) int64 { return size + Chunks(size)*Overhead }

// Stream seals and opens one STREAM ciphertext. Its key must seal exactly one plaintext: the nonce
// prefix is fixed (all zero), which is safe only because every segment has its own random key.
type Stream struct {
	aead cipher.AEAD
}

// NewStream returns the STREAM cipher for key.
func NewStream(key Key) *Stream { return &Stream{aead: newGCM(key)} }

func chunkNonce(n *[gcmNonce]byte, i int64, last bool) {
	// 7-byte zero prefix ‖ 32-bit big-endian counter ‖ last flag.
	binary.BigEndian.PutUint32(n[7:11], uint32(i))
	n[11] = 0
	if last {
		n[11] = 1
	}
}

// SealInPlace encrypts a plaintext of size bytes laid out in buf with chunk i at offset
// i·CipherChunkSize, the gaps left for the tags, and returns buf[:CipherSize(size)]. Reading the
// plaintext straight into that layout lets the segment path encrypt without copying.
func (s *Stream) SealInPlace(buf []byte, size int64) ([]byte, error) {
	n := Chunks(size)
	if n > MaxChunks {
		return nil, fmt.Errorf("crypt: %d bytes is more than one stream holds: %w", size, ErrRange)
	}
	if int64(len(buf)) < CipherSize(size) {
		return nil, fmt.Errorf("crypt: buffer of %d bytes for %d-byte ciphertext: %w", len(buf), CipherSize(size), ErrMalformed)
	}
	var nonce [gcmNonce]byte
	for i := range n {
		off := i * CipherChunkSize
		m := min(size-i*ChunkSize, ChunkSize)
		chunkNonce(&nonce, i, i == n-1)
		s.aead.Seal(buf[off:off], nonce[:], buf[off:off+m], nil)
	}
	return buf[:CipherSize(size)], nil
}

// Seal appends the ciphertext of plain to dst.
func (s *Stream) Seal(dst, plain []byte) ([]byte, error) {
	size := int64(len(plain))
	if Chunks(size) > MaxChunks {
		return nil, fmt.Errorf("crypt: %d bytes is more than one stream holds: %w", size, ErrRange)
	}
	// GCM grows dst to exactly what each chunk needs; growing it once up front avoids
	// reallocating the whole output per chunk.
	dst = slices.Grow(dst, int(CipherSize(size)))
	var nonce [gcmNonce]byte
	n := Chunks(size)
	for i := range n {
		chunkNonce(&nonce, i, i == n-1)
		dst = s.aead.Seal(dst, nonce[:], plain[i*ChunkSize:min(size, (i+1)*ChunkSize)], nil)
	}
	return dst, nil
}

// openChunk opens chunk i; when it fails as the final chunk but opens as an inner one, the
// stream was cut short and the error says so.
func (s *Stream) openChunk(dst, ct []byte, i int64, last bool) ([]byte, error) {
	if len(ct) < Overhead {
		return nil, &ChunkError{Chunk: i, Err: ErrTruncated}
	}
	var nonce [gcmNonce]byte
	chunkNonce(&nonce, i, last)
	out, err := s.aead.Open(dst, nonce[:], ct, nil)
	if err == nil {
		return out, nil
	}
	if last && len(ct) == CipherChunkSize {
		chunkNonce(&nonce, i, false)
		if _, err := s.aead.Open(nil, nonce[:], ct, nil); err == nil {
			return nil, &ChunkError{Chunk: i, Err: ErrTruncated}
		}
	}
	return nil, &ChunkError{Chunk: i, Err: ErrTampered}
}

// Open appends the plaintext of a whole STREAM ciphertext to dst.
func (s *Stream) Open(dst, ct []byte) ([]byte, error) {
	n := (int64(len(ct)) + CipherChunkSize - 1) / CipherChunkSize
	if n == 0 {
		return nil, &ChunkError{Chunk: 0, Err: ErrTruncated}
	}
	if n > MaxChunks {
		return nil, fmt.Errorf("crypt: %d-byte ciphertext is more than one stream holds: %w", len(ct), ErrMalformed)
	}
	dst = slices.Grow(dst, max(0, len(ct)-int(n)*Overhead))
	for i := range n {
		var err error
		dst, err = s.openChunk(dst, ct[i*CipherChunkSize:min(int64(len(ct)), (i+1)*CipherChunkSize)], i, i == n-1)
		if err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// Span is the run of chunks that covers a plaintext byte range, and where it lies in the
// ciphertext.
type Span struct {
	First, Count int64 // chunk indexes [First, First+Count)
	CipherOff    int64 // offset of chunk First in the ciphertext
	CipherLen    int64 // ciphertext bytes of the run
	Skip         int64 // plaintext bytes of chunk First before the range starts
}

// SpanOf maps the plaintext range [off, off+length) of a size-byte plaintext to its chunks. An
// empty range maps to no chunks.
func SpanOf(off, length, size int64) (Span, error) {
	if off < 0 || length < 0 || off > size || length > size-off {
		return Span{}, fmt.Errorf("crypt: range [%d, +%d) of %d bytes: %w", off, length, size, ErrRange)
	}
	if length == 0 {
		return Span{}, nil
	}
	first, last := off/ChunkSize, (off+length-1)/ChunkSize
	end := min((last+1)*CipherChunkSize, CipherSize(size))
	return Span{
		First:     first,
		Count:     last - first + 1,
		CipherOff: first * CipherChunkSize,
		CipherLen: end - first*CipherChunkSize,
		Skip:      off - first*ChunkSize,
	}, nil
}

// OpenSpan appends the plaintext of the chunks sp covers, whose ciphertext is ct, in a stream
// whose plaintext is size bytes. size comes from metadata and need not be trusted: a wrong size
// marks the wrong chunk as final or expects the wrong length, and authentication fails.
func (s *Stream) OpenSpan(dst, ct []byte, sp Span, size int64) ([]byte, error) {
	if int64(len(ct)) != sp.CipherLen {
		return nil, fmt.Errorf("crypt: span of %d bytes, got %d: %w", sp.CipherLen, len(ct), ErrTruncated)
	}
	dst = slices.Grow(dst, int(sp.CipherLen-sp.Count*Overhead))
	n := Chunks(size)
	for j := range sp.Count {
		i := sp.First + j
		var err error
		dst, err = s.openChunk(dst, ct[j*CipherChunkSize:min(int64(len(ct)), (j+1)*CipherChunkSize)], i, i == n-1)
		if err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// NewWriter returns a writer that encrypts what is written to it onto w; Close seals the final
// chunk and must be called, or the ciphertext reads as truncated.
func NewWriter(w io.Writer, key Key) io.WriteCloser {
	return &writer{w: w, s: NewStream(key), plain: make([]byte, 0, ChunkSize), out: make([]byte, 0, CipherChunkSize)}
}

type writer struct {
	w     io.Writer
	s     *Stream
	plain []byte
	out   []byte
	i     int64
	err   error
}

func (w *writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n := 0
	for len(p) > 0 {
		// A full chunk is sealed only once more data arrives: until then it may be the last.
		if len(w.plain) == ChunkSize {
			if err := w.flush(false); err != nil {
				return n, err
			}
		}
		m := copy(w.plain[len(w.plain):ChunkSize], p)
		w.plain = w.plain[:len(w.plain)+m]
		p = p[m:]
		n += m
	}
	return n, nil
}

func (w *writer) flush(last bool) error {
	if w.i >= MaxChunks || (!last && w.i == MaxChunks-1) {
		w.err = fmt.Errorf("crypt: stream longer than %d chunks: %w", int64(MaxChunks), ErrRange)
		return w.err
	}
	var nonce [gcmNonce]byte
	chunkNonce(&nonce, w.i, last)
	w.out = w.s.aead.Seal(w.out[:0], nonce[:], w.plain, nil)
	if _, err := w.w.Write(w.out); err != nil {
		w.err = fmt.Errorf("crypt: write chunk %d: %w", w.i, err)
		return w.err
	}
	w.i++
	w.plain = w.plain[:0]
	return nil
}

func (w *writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if err := w.flush(true); err != nil {
		return err
	}
	w.err = errors.New("crypt: write to a closed stream")
	return nil
}

// NewReader returns a reader of the plaintext of the STREAM ciphertext read from r. No plaintext
// of a chunk is returned before that chunk is authenticated; a ciphertext cut short ends in
// ErrTruncated, a modified or reordered one in ErrTampered, never in io.EOF.
func NewReader(r io.Reader, key Key) io.Reader {
	return &reader{r: r, s: NewStream(key), buf: make([]byte, CipherChunkSize+1), pbuf: make([]byte, 0, ChunkSize)}
}

type reader struct {
	r     io.Reader
	s     *Stream
	buf   []byte // one chunk and one byte of lookahead, which tells whether the chunk is the last
	have  int
	pbuf  []byte // backing of plain
	plain []byte // decrypted bytes not yet read
	i     int64
	err   error
}

func (r *reader) Read(p []byte) (int, error) {
	for len(r.plain) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.next()
	}
	n := copy(p, r.plain)
	r.plain = r.plain[n:]
	return n, nil
}

func (r *reader) next() {
	n, err := io.ReadFull(r.r, r.buf[r.have:])
	r.have += n
	switch {
	case err == nil:
		if r.i == MaxChunks-1 {
			r.err = &ChunkError{Chunk: r.i, Err: ErrTampered}
			return
		}
		r.plain, r.err = r.s.openChunk(r.pbuf[:0], r.buf[:CipherChunkSize], r.i, false)
		r.buf[0] = r.buf[CipherChunkSize]
		r.have = 1
		r.i++
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		r.plain, r.err = r.s.openChunk(r.pbuf[:0], r.buf[:r.have], r.i, true)
		if r.err == nil {
			r.err = io.EOF
		}
	default:
		r.err = fmt.Errorf("crypt: read chunk %d: %w", r.i, err)
	}
}
