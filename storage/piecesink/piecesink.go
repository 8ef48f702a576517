// Package piecesink is the gateway's data path over storage nodes (gateway.Data): objects go
// through storage/segment (per-segment keys, STREAM encryption, Reed-Solomon) and each
// segment's n pieces go to n distinct storage nodes (storage/node), whose signed receipts are
// checked and kept with the pieces in the storage service's metadata.
package piecesink

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/erasure"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/nodeapi"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/segment"
)

// Node is one storage node of the region: the provider whose key signs its receipts, the
// node's id (its Nomad node) and its API's base URL, and what placement weighs: the node's
// datacenter (pieces of a segment spread over as many as there are), its price per GiB-hour of
// stored pieces (token base units; nil when the provider sets none) and its reputation (0 to 1,
// or Barred for a node that gets no new pieces).
type Node struct {
	Provider   common.Address
	ID         string
	URL        string
	Datacenter string
	DiskGBHour *big.Int
	Reputation float64
}

// Config is what a Data runs with.
type Config struct {
	Nodes []Node
	// Key is the consumer's wallet key: it signs piece uploads and deletes, and so owns the
	// pieces on every node.
	Key *ecdsa.PrivateKey
	// ChainID is the chain the providers' receipts must be signed for.
	ChainID uint64
	HTTP    *http.Client // default http.DefaultClient
	// SegmentSize is the plaintext per segment (a multiple of 64 KiB); 0 is segment.MaxSize.
	SegmentSize int64
	// Retention is how long nodes promise (in their receipts) to keep a piece; 0 is
	// DefaultRetention. Nothing renews pieces yet, so it must outlast the objects.
	Retention time.Duration
	// CapacityTimeout bounds asking the nodes for their free space before a write; a node that
	// does not answer in time gets no pieces of it. 0 is 5 seconds.
	CapacityTimeout time.Duration
	// OnBadPiece hears of each piece a read found missing, unreachable or corrupt: where repair
	// and reputation learn of it. Nil logs a warning.
	OnBadPiece func(p meta.Piece, err error)
	Log        *slog.Logger
	Now        func() time.Time
}

// DefaultRetention is ten years: until repair renews receipts, a piece's promise must not run
// out under a live object; what the consumer pays follows the pieces held, not the promise.
const DefaultRetention = 10 * 365 * 24 * time.Hour

// Data implements gateway.Data over cfg.Nodes and the nodes Join adds later.
type Data struct {
	cfg Config
	// code is the region's: erasure.Choose of its providers at New. narrow holds the codes a
	// write falls back to while the attestors bar providers (codeFor), by n.
	code   *erasure.Code
	narrow map[int]*erasure.Code
	// fleet is the nodes as the next write places over them, with their reputations.
	fleet atomic.Pointer[fleet]
	// rateMu makes Rate's and Join's swaps one at a time, so that each logs the change it made
	// and neither loses the other's; view is the attestors' view Rate set last.
	rateMu sync.Mutex
	view   *Reputations
	// encoders keeps Encoders between writes: each holds a segment-sized buffer whose
	// allocation would cost more than the encryption.
	encoders sync.Pool
}

// New returns a Data over c.Nodes with the code erasure.Choose picks for their providers' number.
// That is the region's code whatever the nodes' reputations: providers barred now may be
// cleared later, and a write narrows the code only while they are barred (codeFor).
func New(c Config) (*Data, error) {
	if c.Key == nil {
		return nil, errors.New("piecesink: a wallet key is required")
	}
	// The code's n counts providers, not nodes: pieces of a segment go to distinct providers,
	// so a provider's second node adds no room for another piece.
	providers := make(map[common.Address]bool, len(c.Nodes))
	for _, nd := range c.Nodes {
		providers[nd.Provider] = true
	}
	k, n, err := erasure.Choose(len(providers))
	if err != nil {
		return nil, fmt.Errorf("piecesink: %w", err)
	}
	narrow := map[int]*erasure.Code{}
	for m := k + 1; m <= n; m++ {
		if narrow[m], err = erasure.New(k, m); err != nil {
			return nil, fmt.Errorf("piecesink: %w", err)
		}
	}
	if c.Retention == 0 {
		c.Retention = DefaultRetention
	}
	if c.CapacityTimeout == 0 {
		c.CapacityTimeout = 5 * time.Second
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.OnBadPiece == nil {
		log := c.Log
		c.OnBadPiece = func(p meta.Piece, err error) {
			log.Warn("piecesink: bad piece", "node", p.NodeID, "provider", p.Provider, "piece_id", p.PieceID, "err", err)
		}
	}
	d := &Data{cfg: c, code: narrow[n], narrow: narrow}
	f := &fleet{byID: make(map[string]int, len(c.Nodes))}
	for i, nd := range c.Nodes {
		if _, dup := f.byID[nd.ID]; dup || nd.ID == "" {
			return nil, fmt.Errorf("piecesink: node %d: id %q is empty or repeated", i, nd.ID)
		}
		f.add(nd, d.client(nd))
	}
	f.rate(nil)
	d.fleet.Store(f)
	return d, nil
}

func (d *Data) client(nd Node) *nodeapi.Client {
	return &nodeapi.Client{URL: nd.URL, HTTP: d.cfg.HTTP, Key: d.cfg.Key, ChainID: d.cfg.ChainID, Now: d.cfg.Now}
}

// Write encodes r into segments and puts each segment's pieces on distinct nodes, with the
// code codeFor picks from the reputations as they stand when it starts. On failure the pieces
// already put are deleted (best effort: what is left expires or is found by repair).
func (d *Data) Write(ctx context.Context, kek crypt.Key, r io.Reader) ([]meta.Segment, error) {
	f := d.fleet.Load()
	code, err := d.codeFor(f)
	if err != nil {
		return nil, err
	}
	enc, _ := d.encoders.Get().(*segment.Encoder)
	if enc == nil {
		enc = &segment.Encoder{SegmentSize: d.cfg.SegmentSize}
	}
	defer d.encoders.Put(enc)
	enc.ObjectKey, enc.Code = kek, code
	s := &sink{d: d, code: code, cands: d.capacities(ctx, f)}
	segs, err := enc.Encode(ctx, r, s)
	if err != nil {
		if derr := d.Delete(context.WithoutCancel(ctx), s.out); derr != nil {
			d.cfg.Log.Warn("piecesink: pieces of a failed write left behind", "err", derr)
		}
		return nil, err
	}
	out := s.out
	for i := range segs {
		g := &segs[i]
		out[i].Part, out[i].Last, out[i].WrappedKey = g.Part, g.Last, g.WrappedKey
	}
	return out, nil
}

// Capacities asks every node for its free space at once: the candidates placement (Place)
// chooses from, with their reputations as they stand. Nodes that fail to answer within
// CapacityTimeout are left out.
func (d *Data) Capacities(ctx context.Context) []Candidate {
	return d.capacities(ctx, d.fleet.Load())
}

func (d *Data) capacities(ctx context.Context, f *fleet) []Candidate {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.CapacityTimeout)
	defer cancel()
	free := make([]uint64, len(f.nodes))
	up := make([]bool, len(f.nodes))
	var wg sync.WaitGroup
	for i, c := range f.clients {
		wg.Go(func() {
			u, err := c.Capacity(ctx)
			if err != nil {
				d.cfg.Log.Warn("piecesink: storage node left out of placement", "node", f.nodes[i].ID, "err", err)
				return
			}
			free[i], up[i] = u.Free, true
		})
	}
	wg.Wait()
	var cands []Candidate
	for i, nd := range f.nodes {
		if up[i] {
			cands = append(cands, Candidate{Node: i, Provider: nd.Provider, Free: free[i],
				Datacenter: nd.Datacenter, Price: priceOf(nd.DiskGBHour), Reputation: f.reps[i]})
		}
	}
	return cands
}

// sink is segment.Sink for one write: it places each segment's pieces and records them.
type sink struct {
	d     *Data
	code  *erasure.Code
	cands []Candidate
	out   []meta.Segment
}

func (s *sink) Put(ctx context.Context, seg *segment.Segment, pieces [][]byte) error {
	size := uint64(len(pieces[0]))
	order, err := Place(s.cands, len(pieces), size)
	if err != nil {
		return err
	}
	expiry := uint64(s.d.cfg.Now().Add(s.d.cfg.Retention).Unix())
	placed := make([]meta.Piece, len(pieces))
	errs := make([]error, len(pieces))
	var wg sync.WaitGroup
	for i := range pieces {
		wg.Go(func() { placed[i], errs[i] = s.d.PutPiece(ctx, order[i], i, pieces[i], seg.Hashes[i], expiry) })
	}
	wg.Wait()
	// A piece whose node failed goes to the spares in turn: the segment needs all n of its
	// code, or its redundancy would be less than the write chose from the start.
	spares := order[len(pieces):]
	for i, err := range errs {
		for err != nil {
			if ctx.Err() != nil || len(spares) == 0 {
				break
			}
			s.d.cfg.Log.Warn("piecesink: piece upload failed, trying a spare node", "node", s.d.fleet.Load().nodes[order[i]].ID, "err", err)
			placed[i], err = s.d.PutPiece(ctx, spares[0], i, pieces[i], seg.Hashes[i], expiry)
			spares = spares[1:]
		}
		errs[i] = err
	}
	g := meta.Segment{
		Index: len(s.out), PlainSize: seg.Size, CipherSize: crypt.CipherSize(seg.Size), K: seg.K, N: seg.N,
		Padding: s.code.Padding(crypt.CipherSize(seg.Size)),
	}
	for i := range placed {
		if errs[i] == nil {
			g.Pieces = append(g.Pieces, placed[i])
		}
	}
	// Record what was put even on failure, so that Write deletes it.
	s.out = append(s.out, g)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	byID := s.d.fleet.Load().byID
	for _, p := range g.Pieces {
		for j := range s.cands {
			if s.cands[j].Node == byID[p.NodeID] {
				s.cands[j].Free -= min(s.cands[j].Free, uint64(p.Size))
			}
		}
	}
	return nil
}

// PutPiece uploads piece (index of its segment, hashed to hash) to node ni (a Candidate's Node)
// under a fresh random id, promised until expiry, and checks that the receipt is signed by that node's provider; a
// piece another provider signed for is deleted again.
func (d *Data) PutPiece(ctx context.Context, ni, index int, piece []byte, hash erasure.PieceHash, expiry uint64) (meta.Piece, error) {
	var id piecestore.ID
	if _, err := rand.Read(id[:]); err != nil {
		return meta.Piece{}, fmt.Errorf("piecesink: piece id: %w", err)
	}
	f := d.fleet.Load()
	nd := f.nodes[ni]
	rc, err := f.clients[ni].PutHashed(ctx, id, piece, hash, expiry)
	if err != nil {
		return meta.Piece{}, fmt.Errorf("piecesink: node %s: %w", nd.ID, err)
	}
	if rc.Provider != nd.Provider {
		// Not to be kept: a piece no audit or payment would find.
		_ = f.clients[ni].Delete(context.WithoutCancel(ctx), id)
		return meta.Piece{}, &WrongProvider{Node: nd.ID, Want: nd.Provider, Got: rc.Provider}
	}
	rb, err := json.Marshal(rc)
	if err != nil {
		return meta.Piece{}, fmt.Errorf("piecesink: encoding the receipt: %w", err)
	}
	return meta.Piece{
		Index: index, Provider: nd.Provider.Hex(), NodeID: nd.ID, PieceID: id.String(),
		MerkleRoot: rc.MerkleRoot[:], Hash: hash[:], Size: int64(len(piece)), Receipt: rb,
	}, nil
}

// WrongProvider is a receipt signed by another provider than the one the node is registered
// for: the piece would be held by someone no audit or payment would find.
type WrongProvider struct {
	Node      string
	Want, Got common.Address
}

func (e *WrongProvider) Error() string {
	return fmt.Sprintf("piecesink: node %s answered with a receipt of %s, not its provider %s", e.Node, e.Got.Hex(), e.Want.Hex())
}

// Read streams the plaintext bytes [off, off+n) of the object made of segs. Pieces that fail
// are logged for repair; the read succeeds while each segment has k good pieces.
func (d *Data) Read(_ context.Context, kek crypt.Key, segs []meta.Segment, off, n int64) (io.ReadCloser, error) {
	ss, err := toSegments(segs)
	if err != nil {
		return nil, err
	}
	src := &source{d: d, pieces: make(map[*segment.Segment][]meta.Piece, len(ss))}
	for i := range ss {
		src.pieces[&ss[i]] = segs[i].Pieces
	}
	// The read outlives this call (the S3 front end streams the body after its handler has
	// returned, when its request context may be recycled), so it runs under a context of its
	// own, ended by closing the body.
	rctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	go func() {
		defer cancel()
		bad, err := segment.Read(rctx, pw, kek, ss, src, off, n)
		for _, b := range bad {
			p := src.piece(&ss[b.Segment], b.Piece)
			p.Index = b.Piece
			d.cfg.OnBadPiece(p, b.Err)
		}
		pw.CloseWithError(err)
	}()
	return &body{PipeReader: pr, cancel: cancel}, nil
}

// body is a read's plaintext; closing it ends the read's fetches.
type body struct {
	*io.PipeReader
	cancel context.CancelFunc
}

func (b *body) Close() error {
	b.cancel()
	return b.PipeReader.Close()
}

// source is segment.Source over the nodes that hold each segment's pieces.
type source struct {
	d      *Data
	pieces map[*segment.Segment][]meta.Piece
}

func (s *source) piece(seg *segment.Segment, index int) meta.Piece {
	for _, p := range s.pieces[seg] {
		if p.Index == index {
			return p
		}
	}
	return meta.Piece{}
}

func (s *source) Get(ctx context.Context, seg *segment.Segment, index int, off, length int64) ([]byte, error) {
	p := s.piece(seg, index)
	if p.PieceID == "" {
		return nil, fmt.Errorf("piecesink: piece %d was never placed", index)
	}
	f := s.d.fleet.Load()
	ni, ok := f.byID[p.NodeID]
	// The storage service may give the wallet back in another case than it was written.
	if !ok || !common.IsHexAddress(p.Provider) || common.HexToAddress(p.Provider) != f.nodes[ni].Provider {
		return nil, fmt.Errorf("piecesink: piece %d is on node %s of %s, which is not in this region", index, p.NodeID, p.Provider)
	}
	id, err := piecestore.ParseID(p.PieceID)
	if err != nil {
		return nil, fmt.Errorf("piecesink: %w", err)
	}
	b, err := f.clients[ni].Get(ctx, id, off, length)
	if err != nil {
		return nil, fmt.Errorf("piecesink: node %s: %w", p.NodeID, err)
	}
	return b, nil
}

// toSegments turns the metadata's segments back into the data path's. The index within a part
// is not stored: it counts from 0 after each Last, which is how segment lays parts out.
func toSegments(segs []meta.Segment) ([]segment.Segment, error) {
	out := make([]segment.Segment, len(segs))
	index := 0
	for i := range segs {
		g := &segs[i]
		if i > 0 && segs[i-1].Last {
			index = 0
		}
		s := segment.Segment{Part: g.Part, Index: index, Last: g.Last, Size: g.PlainSize, K: g.K, N: g.N,
			WrappedKey: g.WrappedKey, Hashes: make([]erasure.PieceHash, g.N)}
		for _, p := range g.Pieces {
			if p.Index < 0 || p.Index >= g.N || len(p.Hash) != len(erasure.PieceHash{}) {
				return nil, fmt.Errorf("piecesink: segment %d: piece %d: %w", i, p.Index, segment.ErrLayout)
			}
			copy(s.Hashes[p.Index][:], p.Hash)
		}
		out[i] = s
		index++
	}
	return out, nil
}

// Rewrap moves segs' keys from kek from to kek to and numbers them from first. Each write's
// segments (a run ending in Last) become a part numbered by where it lands, first + its offset
// + 1: parts of a completed upload then rise strictly, as segment requires, and 0 stays a
// single PUT's.
func (d *Data) Rewrap(from, to crypt.Key, segs []meta.Segment, first int) ([]meta.Segment, error) {
	out := make([]meta.Segment, len(segs))
	start := 0
	for i, g := range segs {
		if i > 0 && segs[i-1].Last {
			start = i
		}
		key, err := crypt.UnwrapKey(from, g.WrappedKey, bindContext(g.Part, i-start, g.PlainSize, g.Last))
		if err != nil {
			return nil, fmt.Errorf("piecesink: segment %d: %w", i, err)
		}
		g.Index, g.Part = first+i, first+start+1
		g.WrappedKey = crypt.WrapKey(to, key, bindContext(g.Part, i-start, g.PlainSize, g.Last))
		out[i] = g
	}
	return out, nil
}

// bindContext is what segment binds a segment's wrapped key to (segment.Segment's context,
// which it does not export): Rewrap has to unwrap and wrap under it. TestRewrap reads rewrapped
// segments back through segment.Read, so the two cannot drift apart unnoticed.
func bindContext(part, index int, size int64, last bool) []byte {
	b := make([]byte, 0, 25)
	b = binary.BigEndian.AppendUint64(b, uint64(part))
	b = binary.BigEndian.AppendUint64(b, uint64(index))
	b = binary.BigEndian.AppendUint64(b, uint64(size))
	if last {
		return append(b, 1)
	}
	return append(b, 0)
}

// Delete removes segs' pieces from their nodes, all at once. A piece already gone counts as
// deleted.
func (d *Data) Delete(ctx context.Context, segs []meta.Segment) error {
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for _, g := range segs {
		for _, p := range g.Pieces {
			wg.Go(func() {
				if err := d.deletePiece(ctx, p); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (d *Data) deletePiece(ctx context.Context, p meta.Piece) error {
	f := d.fleet.Load()
	ni, ok := f.byID[p.NodeID]
	if !ok {
		return fmt.Errorf("piecesink: piece %s is on node %s, which is not in this region", p.PieceID, p.NodeID)
	}
	id, err := piecestore.ParseID(p.PieceID)
	if err != nil {
		return fmt.Errorf("piecesink: %w", err)
	}
	err = f.clients[ni].Delete(ctx, id)
	var refused *nodeapi.Refused
	if errors.As(err, &refused) && refused.Status == http.StatusNotFound {
		return nil
	}
	if err != nil {
		return fmt.Errorf("piecesink: deleting piece %s from node %s: %w", p.PieceID, p.NodeID, err)
	}
	return nil
}
