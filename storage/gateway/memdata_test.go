package gateway_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/meta"
)

// memData is a test-only gateway.Data: segments in memory, one piece each. It wraps real
// segment keys under the kek it is given, so a wrong kek (say, a multipart completion that did
// not rewrap) fails reads as it would on storage nodes; the bytes themselves are kept plain.
type memData struct {
	segSize int64
	mu      sync.Mutex
	pieces  map[string][]byte
}

func newMemData(segSize int64) *memData {
	return &memData{segSize: segSize, pieces: make(map[string][]byte)}
}

func (d *memData) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.pieces)
}

func segContext(index int, size int64) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(nil, uint32(index)), uint64(size))
}

func (d *memData) Write(_ context.Context, kek crypt.Key, r io.Reader) ([]meta.Segment, error) {
	var segs []meta.Segment
	for {
		buf := make([]byte, d.segSize)
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			var id [16]byte
			_, _ = rand.Read(id[:])
			pid := hex.EncodeToString(id[:])
			d.mu.Lock()
			d.pieces[pid] = buf[:n]
			d.mu.Unlock()
			i := len(segs)
			segs = append(segs, meta.Segment{
				Index: i, PlainSize: int64(n), CipherSize: crypt.CipherSize(int64(n)), K: 1, N: 1,
				WrappedKey: crypt.WrapKey(kek, crypt.RandomKey(), segContext(i, int64(n))),
				Pieces:     []meta.Piece{{Index: 0, Provider: "0x0000000000000000000000000000000000000001", NodeID: "mem", PieceID: pid, Size: int64(n)}},
			})
		}
		switch {
		case err == nil:
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return segs, nil
		default:
			_ = d.Delete(context.Background(), segs)
			return nil, err
		}
	}
}

func (d *memData) Read(_ context.Context, kek crypt.Key, segs []meta.Segment, off, n int64) (io.ReadCloser, error) {
	var out bytes.Buffer
	var pos int64
	for _, s := range segs {
		if _, err := crypt.UnwrapKey(kek, s.WrappedKey, segContext(s.Index, s.PlainSize)); err != nil {
			return nil, fmt.Errorf("segment %d: %w", s.Index, err)
		}
		lo, hi := max(off, pos), min(off+n, pos+s.PlainSize)
		if lo < hi {
			d.mu.Lock()
			p, ok := d.pieces[s.Pieces[0].PieceID]
			d.mu.Unlock()
			if !ok {
				return nil, fmt.Errorf("piece %s is gone", s.Pieces[0].PieceID)
			}
			out.Write(p[lo-pos : hi-pos])
		}
		pos += s.PlainSize
	}
	return io.NopCloser(&out), nil
}

func (d *memData) Rewrap(from, to crypt.Key, segs []meta.Segment, first int) ([]meta.Segment, error) {
	out := make([]meta.Segment, len(segs))
	for i, s := range segs {
		k, err := crypt.UnwrapKey(from, s.WrappedKey, segContext(s.Index, s.PlainSize))
		if err != nil {
			return nil, err
		}
		s.Index = first + i
		s.WrappedKey = crypt.WrapKey(to, k, segContext(s.Index, s.PlainSize))
		out[i] = s
	}
	return out, nil
}

func (d *memData) Delete(_ context.Context, segs []meta.Segment) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, s := range segs {
		for _, p := range s.Pieces {
			delete(d.pieces, p.PieceID)
		}
	}
	return nil
}
