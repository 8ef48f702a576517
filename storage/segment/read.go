package segment

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/erasure"
)

// BadPiece names a piece that failed its hash or could not be read, for the caller to report
// its provider and schedule repair. Segment indexes the segs given to Read.
type BadPiece struct {
	Segment, Piece int
	Err            error
}

// Read writes the plaintext bytes [off, off+length) of the object made of segs to w; a whole
// object is off 0 and length Size(segs). Only the segments and 64 KiB chunks covering the range
// are fetched and decrypted.
//
// Per segment it first reads the covering bytes from the data pieces alone (the code is
// systematic, so that needs no decoding) and lets GCM authenticate them. If a piece is
// unreachable or a chunk fails, it falls back to whole pieces: it fetches k at a time, data
// pieces first, drops any that fail their recorded hash, fetches more until k are good, and
// reconstructs. Nothing is written to w that has not been authenticated. The pieces that were
// bad are returned whether or not the read succeeded.
func Read(ctx context.Context, w io.Writer, objectKey crypt.Key, segs []Segment, src Source, off, length int64) ([]BadPiece, error) {
	if err := checkLayout(segs); err != nil {
		return nil, err
	}
	total := Size(segs)
	if off < 0 || length < 0 || off > total || length > total-off {
		return nil, fmt.Errorf("segment: range [%d, +%d) of %d bytes: %w", off, length, total, crypt.ErrRange)
	}
	var bad []BadPiece
	var start int64
	for i := range segs {
		seg := &segs[i]
		lo, hi := max(off, start)-start, min(off+length, start+seg.Size)-start
		start += seg.Size
		if hi <= lo {
			continue
		}
		plain, segBad, err := readSegment(ctx, objectKey, seg, src, lo, hi-lo)
		for _, b := range segBad {
			b.Segment = i
			bad = append(bad, b)
		}
		if err != nil {
			return bad, fmt.Errorf("segment %d (part %d, index %d): %w", i, seg.Part, seg.Index, err)
		}
		if _, err := w.Write(plain); err != nil {
			return bad, fmt.Errorf("segment: write: %w", err)
		}
	}
	return bad, nil
}

func readSegment(ctx context.Context, objectKey crypt.Key, seg *Segment, src Source, off, length int64) ([]byte, []BadPiece, error) {
	key, err := crypt.UnwrapKey(objectKey, seg.WrappedKey, seg.context())
	if err != nil {
		return nil, nil, err
	}
	code, err := erasure.New(seg.K, seg.N)
	if err != nil {
		return nil, nil, err
	}
	if len(seg.Hashes) != seg.N {
		return nil, nil, fmt.Errorf("segment: %d hashes for %d pieces: %w", len(seg.Hashes), seg.N, ErrLayout)
	}
	sp, err := crypt.SpanOf(off, length, seg.Size)
	if err != nil {
		return nil, nil, err
	}
	stream := crypt.NewStream(key)
	cipherSize := crypt.CipherSize(seg.Size)
	ps := code.PieceSize(cipherSize)

	var bad []BadPiece
	ct, fetchBad := fetchSpan(ctx, src, seg, sp, ps)
	if fetchBad == nil {
		plain, err := stream.OpenSpan(nil, ct, sp, seg.Size)
		if err == nil {
			return plain[sp.Skip : sp.Skip+length], nil, nil
		}
	}
	bad = append(bad, fetchBad...)

	pieces, hashBad := fetchVerified(ctx, src, seg, code, ps, bad)
	bad = append(bad, hashBad...)
	data, _, err := code.Decode(pieces, seg.Hashes, cipherSize)
	if err != nil {
		return nil, bad, err
	}
	plain, err := stream.OpenSpan(nil, data[sp.CipherOff:sp.CipherOff+sp.CipherLen], sp, seg.Size)
	if err != nil {
		// Every piece used matched its recorded hash, so the ciphertext is what was uploaded:
		// the metadata (size, key, hashes) is what is wrong.
		return nil, bad, err
	}
	return plain[sp.Skip : sp.Skip+length], bad, nil
}

// fetchSpan reads the ciphertext bytes sp covers from the data pieces that hold them,
// concurrently. It returns the pieces it could not read, if any.
func fetchSpan(ctx context.Context, src Source, seg *Segment, sp crypt.Span, ps int64) ([]byte, []BadPiece) {
	first, last := sp.CipherOff/ps, (sp.CipherOff+sp.CipherLen-1)/ps
	parts := make([][]byte, last-first+1)
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for j := first; j <= last; j++ {
		lo := max(sp.CipherOff, j*ps) - j*ps
		hi := min(sp.CipherOff+sp.CipherLen, (j+1)*ps) - j*ps
		wg.Go(func() {
			p, err := src.Get(ctx, seg, int(j), lo, hi-lo)
			if err == nil && int64(len(p)) != hi-lo {
				err = fmt.Errorf("segment: piece %d: %d bytes, want %d", j, len(p), hi-lo)
			}
			parts[j-first], errs[j-first] = p, err
		})
	}
	wg.Wait()
	var bad []BadPiece
	for i, err := range errs {
		if err != nil {
			bad = append(bad, BadPiece{Piece: int(first) + i, Err: err})
		}
	}
	if bad != nil {
		return nil, bad
	}
	ct := make([]byte, 0, sp.CipherLen)
	for _, p := range parts {
		ct = append(ct, p...)
	}
	return ct, nil
}

// fetchVerified gathers k whole pieces that match their hashes, data pieces first, skipping the
// pieces already known bad; it returns n entries, nil where it has none, and the pieces that
// failed.
func fetchVerified(ctx context.Context, src Source, seg *Segment, code *erasure.Code, ps int64, known []BadPiece) ([][]byte, []BadPiece) {
	pieces := make([][]byte, seg.N)
	tried := make([]bool, seg.N)
	for _, b := range known {
		tried[b.Piece] = true
	}
	var bad []BadPiece
	good := 0
	for good < code.K() {
		var batch []int
		for i := 0; i < seg.N && len(batch) < code.K()-good; i++ {
			if !tried[i] {
				batch = append(batch, i)
				tried[i] = true
			}
		}
		if len(batch) == 0 {
			break
		}
		errs := make([]error, len(batch))
		var wg sync.WaitGroup
		for bi, i := range batch {
			wg.Go(func() {
				p, err := src.Get(ctx, seg, i, 0, ps)
				if err == nil && (int64(len(p)) != ps || erasure.HashPiece(p) != seg.Hashes[i]) {
					err = fmt.Errorf("segment: piece %d does not match its hash", i)
				}
				if err == nil {
					pieces[i] = p
				}
				errs[bi] = err
			})
		}
		wg.Wait()
		for bi, err := range errs {
			if err != nil {
				bad = append(bad, BadPiece{Piece: batch[bi], Err: err})
			} else {
				good++
			}
		}
	}
	return pieces, bad
}
