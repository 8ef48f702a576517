package piecesink_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/erasure"
	"github.com/dec2-cloud/dec2/storage/meta"
	storagenode "github.com/dec2-cloud/dec2/storage/node"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/receipt"
)

const chainID = 1337

// segSize is small so that a few hundred KiB span several segments.
const segSize = 4 * crypt.ChunkSize

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// cluster is real storage nodes on loopback, each with its own piece store and provider key.
type cluster struct {
	dirs    []string
	stores  []*piecestore.Store
	servers []*httptest.Server
	keys    []*ecdsa.PrivateKey
	nodes   []piecesink.Node
}

func newCluster(t *testing.T, n int, chainOf func(i int) uint64) *cluster {
	t.Helper()
	c := &cluster{}
	for i := range n {
		dir := t.TempDir()
		st, err := piecestore.Open(dir, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		key, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		chain := uint64(chainID)
		if chainOf != nil {
			chain = chainOf(i)
		}
		srv := httptest.NewServer(storagenode.New(storagenode.Config{Store: st, Key: key, ChainID: chain, MaxPieceSize: 16 << 20, Logger: quiet}).Handler())
		t.Cleanup(srv.Close)
		c.dirs, c.stores, c.servers, c.keys = append(c.dirs, dir), append(c.stores, st), append(c.servers, srv), append(c.keys, key)
		c.nodes = append(c.nodes, piecesink.Node{Provider: crypto.PubkeyToAddress(key.PublicKey), ID: "node-" + string(rune('a'+i)), URL: srv.URL})
	}
	return c
}

func (c *cluster) index(nodeID string) int {
	for i, n := range c.nodes {
		if n.ID == nodeID {
			return i
		}
	}
	return -1
}

func (c *cluster) pieces() int {
	total := 0
	for _, st := range c.stores {
		total += st.Usage().Pieces
	}
	return total
}

// badPieces records what a Data reports.
type badPieces struct {
	mu    sync.Mutex
	nodes []string
}

func (b *badPieces) add(p meta.Piece, _ error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.nodes = append(b.nodes, p.NodeID)
}

func (b *badPieces) list() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.nodes...)
}

func newData(t *testing.T, c *cluster, bad *badPieces) (*piecesink.Data, *ecdsa.PrivateKey) {
	t.Helper()
	wallet, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := piecesink.Config{Nodes: c.nodes, Key: wallet, ChainID: chainID, SegmentSize: segSize, Log: quiet}
	if bad != nil {
		cfg.OnBadPiece = bad.add
	}
	d, err := piecesink.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d, wallet
}

// plaintext is recognisable text (so that a leak would show as a substring) that is not
// periodic within a segment.
func plaintext(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		b.WriteString("dec2 plaintext line ")
		b.WriteString(strings.Repeat("x", i%97))
		b.WriteString(" end\n")
	}
	return b.Bytes()[:n]
}

func read(t *testing.T, d *piecesink.Data, kek crypt.Key, segs []meta.Segment, off, n int64) []byte {
	t.Helper()
	r, err := d.Read(context.Background(), kek, segs, off, n)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("reading [%d, +%d): %v", off, n, err)
	}
	return b
}

func TestWriteReadPlacementReceipts(t *testing.T) {
	c := newCluster(t, 6, nil)
	d, wallet := newData(t, c, nil)
	kek := crypt.RandomKey()
	plain := plaintext(3*segSize + 12345)
	segs, err := d.Write(context.Background(), kek, bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 4 || !segs[3].Last || segs[0].Last {
		t.Fatalf("%d segments, want 4 with only the last one Last", len(segs))
	}
	o := meta.Object{Bucket: []byte("b"), Key: []byte("k"), Size: int64(len(plain)), Segments: segs}
	if err := o.Validate(); err != nil {
		t.Errorf("the segments are not valid metadata: %v", err)
	}
	for i, g := range segs {
		if g.K != 2 || g.N != 4 || len(g.Pieces) != 4 {
			t.Fatalf("segment %d: k=%d n=%d, %d pieces; want 2/4 over 6 nodes", i, g.K, g.N, len(g.Pieces))
		}
		providers := map[string]bool{}
		for _, p := range g.Pieces {
			providers[p.Provider] = true
			var rc receipt.Signed
			if err := json.Unmarshal(p.Receipt, &rc); err != nil {
				t.Fatal(err)
			}
			if err := receipt.Verify(chainID, rc); err != nil || rc.Provider.Hex() != p.Provider || rc.Size != uint64(p.Size) ||
				!bytes.Equal(rc.MerkleRoot[:], p.MerkleRoot) || len(p.Hash) != 32 {
				t.Errorf("segment %d piece %d: receipt %+v for %+v: %v", i, p.Index, rc.Receipt, p, err)
			}
			info, err := c.stores[c.index(p.NodeID)].Stat(mustID(t, p.PieceID))
			if err != nil || info.Owner != crypto.PubkeyToAddress(wallet.PublicKey) {
				t.Errorf("segment %d piece %d on %s: %+v, %v; want it owned by the consumer", i, p.Index, p.NodeID, info, err)
			}
		}
		if len(providers) != 4 {
			t.Errorf("segment %d: pieces on %d providers, want 4 distinct", i, len(providers))
		}
	}
	// The storage service hands wallets back lower-cased.
	for i := range segs {
		for j := range segs[i].Pieces {
			segs[i].Pieces[j].Provider = strings.ToLower(segs[i].Pieces[j].Provider)
		}
	}
	if got := read(t, d, kek, segs, 0, int64(len(plain))); !bytes.Equal(got, plain) {
		t.Fatal("the object does not read back")
	}
	for _, r := range [][2]int64{{0, 1}, {segSize - 10, 20}, {2*segSize + 7, segSize + 100}, {int64(len(plain)) - 3, 3}, {5, 0}} {
		if got := read(t, d, kek, segs, r[0], r[1]); !bytes.Equal(got, plain[r[0]:r[0]+r[1]]) {
			t.Errorf("range [%d, +%d) reads wrong", r[0], r[1])
		}
	}
	if _, err := io.ReadAll(mustRead(t, d, crypt.RandomKey(), segs)); !errors.Is(err, crypt.ErrTampered) {
		t.Errorf("a read under another key: %v, want crypt.ErrTampered", err)
	}

	// (a) Only ciphertext reaches the nodes' disks.
	for i, dir := range c.dirs {
		leaks(t, dir, plain, c.nodes[i].ID)
	}

	if err := d.Delete(context.Background(), segs); err != nil {
		t.Fatal(err)
	}
	if n := c.pieces(); n != 0 {
		t.Errorf("%d pieces left after Delete", n)
	}
	if err := d.Delete(context.Background(), segs); err != nil {
		t.Errorf("deleting again: %v; pieces already gone count as deleted", err)
	}
}

func mustRead(t *testing.T, d *piecesink.Data, kek crypt.Key, segs []meta.Segment) io.Reader {
	t.Helper()
	r, err := d.Read(context.Background(), kek, segs, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func mustID(t *testing.T, s string) piecestore.ID {
	t.Helper()
	id, err := piecestore.ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// leaks fails when any 24-byte window of plain, taken every 1000 bytes, appears in a file under
// dir.
func leaks(t *testing.T, dir string, plain []byte, node string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for off := 0; off+24 <= len(plain); off += 1000 {
			if bytes.Contains(b, plain[off:off+24]) {
				t.Errorf("%s: %s holds plaintext bytes [%d, +24)", node, path, off)
				return nil
			}
		}
		if bytes.Contains(b, []byte("dec2 plaintext line")) {
			t.Errorf("%s: %s holds plaintext", node, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Errorf("%s holds no files: the check would prove nothing", node)
	}
}

// (b) With n−k nodes stopped, among them those holding the first segment's data pieces (so
// that reads must reconstruct), every object still reads.
func TestNodesDown(t *testing.T) {
	c := newCluster(t, 6, nil)
	d, _ := newData(t, c, nil)
	kek := crypt.RandomKey()
	var objects [][]meta.Segment
	var plains [][]byte
	for i, size := range []int{0, 1000, 2*segSize + 1, 3 * segSize} {
		plain := plaintext(size + i)
		segs, err := d.Write(context.Background(), kek, bytes.NewReader(plain))
		if err != nil {
			t.Fatal(err)
		}
		objects, plains = append(objects, segs), append(plains, plain)
	}
	first := objects[2][0]
	var stopped []string
	for _, p := range first.Pieces {
		if p.Index < first.K {
			stopped = append(stopped, p.NodeID)
			c.servers[c.index(p.NodeID)].Close()
		}
	}
	if len(stopped) != first.N-first.K {
		t.Fatalf("stopped %d nodes, want n-k = %d", len(stopped), first.N-first.K)
	}
	for i, segs := range objects {
		if got := read(t, d, kek, segs, 0, int64(len(plains[i]))); !bytes.Equal(got, plains[i]) {
			t.Errorf("object %d does not read with %v stopped", i, stopped)
		}
	}
	// Writes go on over the nodes left: 4 are up for 2/4.
	plain := plaintext(segSize + 1)
	segs, err := d.Write(context.Background(), kek, bytes.NewReader(plain))
	if err != nil {
		t.Fatalf("writing with %v stopped: %v", stopped, err)
	}
	for _, p := range segs[0].Pieces {
		for _, s := range stopped {
			if p.NodeID == s {
				t.Errorf("a piece went to the stopped node %s", s)
			}
		}
	}
	if got := read(t, d, kek, segs, 0, int64(len(plain))); !bytes.Equal(got, plain) {
		t.Error("the object written with nodes down does not read")
	}
}

// (c) A node that serves corrupted bytes is caught by hash and reported; the object still reads.
func TestCorruptNode(t *testing.T) {
	c := newCluster(t, 6, nil)
	bad := &badPieces{}
	d, _ := newData(t, c, bad)
	kek := crypt.RandomKey()
	plain := plaintext(2*segSize + 999)
	segs, err := d.Write(context.Background(), kek, bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	// Corrupt every piece of the node holding segment 0's piece 0, on disk, one byte in every
	// 4 KiB so that any range read crosses a bad byte.
	victim := segs[0].Pieces[0].NodeID
	for _, g := range segs {
		for _, p := range g.Pieces {
			if p.NodeID == victim {
				corrupt(t, c.dirs[c.index(victim)], p.PieceID)
			}
		}
	}
	if got := read(t, d, kek, segs, 0, int64(len(plain))); !bytes.Equal(got, plain) {
		t.Fatal("the object does not read past a corrupt node")
	}
	if got := read(t, d, kek, segs, 100, 50); !bytes.Equal(got, plain[100:150]) {
		t.Fatal("a range does not read past a corrupt node")
	}
	reported := bad.list()
	if len(reported) == 0 {
		t.Fatal("the corrupt node was not reported")
	}
	for _, n := range reported {
		if n != victim {
			t.Errorf("reported %s, but only %s is corrupt", n, victim)
		}
	}
}

func corrupt(t *testing.T, dir, pieceID string) {
	t.Helper()
	path := filepath.Join(dir, "pieces", pieceID[:2], pieceID)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const header = 128 // piecestore's header, before the piece's bytes
	for i := header; i < len(b); i += 4096 {
		b[i] ^= 0x55
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A node whose receipts do not verify gets no pieces: they go to spare nodes.
func TestBadReceiptGoesToSpare(t *testing.T) {
	c := newCluster(t, 6, func(i int) uint64 {
		if i == 0 {
			return 999
		}
		return chainID
	})
	d, _ := newData(t, c, nil)
	kek := crypt.RandomKey()
	plain := plaintext(3 * segSize)
	segs, err := d.Write(context.Background(), kek, bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range segs {
		if len(g.Pieces) != g.N {
			t.Errorf("segment %d has %d pieces, want %d", i, len(g.Pieces), g.N)
		}
		for _, p := range g.Pieces {
			if p.NodeID == c.nodes[0].ID {
				t.Errorf("segment %d: piece %d recorded on the node with bad receipts", i, p.Index)
			}
		}
	}
	if got := read(t, d, kek, segs, 0, int64(len(plain))); !bytes.Equal(got, plain) {
		t.Fatal("does not read back")
	}
}

// Parts written under an upload's key and rewrapped one after another read as one object.
func TestRewrap(t *testing.T) {
	c := newCluster(t, 4, nil)
	d, _ := newData(t, c, nil)
	upload, object := crypt.RandomKey(), crypt.RandomKey()
	var all []meta.Segment
	var want []byte
	for _, size := range []int{2*segSize + 5, segSize, 7} {
		plain := plaintext(size)
		segs, err := d.Write(context.Background(), upload, bytes.NewReader(plain))
		if err != nil {
			t.Fatal(err)
		}
		moved, err := d.Rewrap(upload, object, segs, len(all))
		if err != nil {
			t.Fatal(err)
		}
		all, want = append(all, moved...), append(want, plain...)
	}
	for i, g := range all {
		if g.Index != i {
			t.Errorf("segment %d numbered %d", i, g.Index)
		}
	}
	if got := read(t, d, object, all, 0, int64(len(want))); !bytes.Equal(got, want) {
		t.Fatal("the rewrapped parts do not read as one object")
	}
	if got := read(t, d, object, all, 2*segSize, 20); !bytes.Equal(got, want[2*segSize:2*segSize+20]) {
		t.Fatal("a range across parts reads wrong")
	}
	if _, err := d.Rewrap(object, upload, all, 0); err != nil {
		t.Errorf("rewrapping a whole multi-part object back: %v", err)
	}
	if _, err := d.Rewrap(upload, object, all, 0); !errors.Is(err, crypt.ErrTampered) {
		t.Errorf("rewrapping from the wrong key: %v, want crypt.ErrTampered", err)
	}
}

func TestTooFewNodes(t *testing.T) {
	c := newCluster(t, 4, nil)
	d, _ := newData(t, c, nil)
	c.servers[3].Close()
	_, err := d.Write(context.Background(), crypt.RandomKey(), bytes.NewReader(plaintext(100)))
	var few *piecesink.TooFewNodes
	if !errors.As(err, &few) || few.Want != 4 || few.Have != 3 {
		t.Fatalf("writing 2/4 with 3 nodes up: %v, want TooFewNodes", err)
	}
	if _, err := piecesink.New(piecesink.Config{Nodes: c.nodes[:3], Key: mustKey(t)}); err == nil {
		t.Error("a region of 3 nodes was accepted")
	}
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestPlace(t *testing.T) {
	a, b, c := common.HexToAddress("0xa"), common.HexToAddress("0xb"), common.HexToAddress("0xc")
	cands := []piecesink.Candidate{
		{Node: 0, Provider: a, Free: 100},
		{Node: 1, Provider: a, Free: 900},
		{Node: 2, Provider: b, Free: 500},
		{Node: 3, Provider: c, Free: 10},
		{Node: 4, Provider: c, Free: 300},
	}
	got, err := piecesink.Place(cands, 3, 50)
	if err != nil {
		t.Fatal(err)
	}
	// One node per provider first, the freest; then the rest by free space; node 3 has no room.
	want := []int{1, 2, 4, 0}
	if len(got) != len(want) {
		t.Fatalf("Place = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Place = %v, want %v", got, want)
		}
	}
	if _, err := piecesink.Place(cands, 5, 50); err == nil {
		t.Error("placed 5 pieces on 4 nodes with room")
	}
}

// The code is chosen by providers: five nodes of three providers cannot hold four pieces of a
// segment on distinct providers, so New refuses them rather than every write failing later.
func TestNewCountsProvidersNotNodes(t *testing.T) {
	key, _ := crypto.GenerateKey()
	nodes := func(providers int) []piecesink.Node {
		var out []piecesink.Node
		for i := range 5 {
			out = append(out, piecesink.Node{Provider: common.BytesToAddress([]byte{byte(1 + i%providers)}), ID: string(rune('a' + i)), URL: "http://127.0.0.1:1"})
		}
		return out
	}
	var few *erasure.TooFewProvidersError
	if _, err := piecesink.New(piecesink.Config{Nodes: nodes(3), Key: key, ChainID: 1337}); !errors.As(err, &few) || few.Providers != 3 {
		t.Errorf("five nodes of three providers: %v, want TooFewProvidersError for 3", err)
	}
	if _, err := piecesink.New(piecesink.Config{Nodes: nodes(5), Key: key, ChainID: 1337}); err != nil {
		t.Errorf("five nodes of five providers: %v", err)
	}
}

// A node Join adds takes pieces from the next write, one it updates is read at its new
// address, and the region's code stays the one New chose.
func TestJoin(t *testing.T) {
	c := newCluster(t, 5, nil)
	joining := c.nodes[4]
	c.nodes = c.nodes[:4]
	d, _ := newData(t, c, nil)
	kek := crypt.RandomKey()
	plain := plaintext(segSize + 7)
	before, err := d.Write(context.Background(), kek, bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Join([]piecesink.Node{c.nodes[0], c.nodes[0]}); err == nil {
		t.Fatal("joining a repeated node id: want an error")
	}
	j, err := d.Join(append(slices.Clone(c.nodes), joining))
	if err != nil || !slices.Equal(j.Added, []string{joining.ID}) || len(j.Updated) != 0 {
		t.Fatalf("joining the fifth node: %+v, %v", j, err)
	}
	// With one of the first four down, a 4-piece write needs the newcomer.
	c.servers[0].Close()
	after, err := d.Write(context.Background(), kek, bytes.NewReader(plain))
	if err != nil {
		t.Fatalf("writing with %s down and %s joined: %v", c.nodes[0].ID, joining.ID, err)
	}
	if g := after[0]; g.K != before[0].K || g.N != before[0].N {
		t.Errorf("code %d/%d after the join, want the region's %d/%d", g.K, g.N, before[0].K, before[0].N)
	}
	var onNewcomer bool
	for _, p := range after[0].Pieces {
		onNewcomer = onNewcomer || p.NodeID == joining.ID
	}
	if !onNewcomer {
		t.Errorf("no piece of the write went to the joined node %s: %+v", joining.ID, after[0].Pieces)
	}
	if got := read(t, d, kek, after, 0, int64(len(plain))); !bytes.Equal(got, plain) {
		t.Error("the object written over the joined node does not read")
	}
	// Node 0 comes back at another address with its pieces: after an update its pieces read
	// again, so the object reads with two other nodes down.
	srv := httptest.NewServer(storagenode.New(storagenode.Config{Store: c.stores[0], Key: c.keys[0], ChainID: chainID, MaxPieceSize: 16 << 20, Logger: quiet}).Handler())
	t.Cleanup(srv.Close)
	moved := c.nodes[0]
	moved.URL = srv.URL
	if j, err := d.Join([]piecesink.Node{moved}); err != nil || !slices.Equal(j.Updated, []string{moved.ID}) {
		t.Fatalf("updating %s's address: %+v, %v", moved.ID, j, err)
	}
	var down int
	for _, p := range before[0].Pieces {
		if p.NodeID != moved.ID && down < before[0].N-before[0].K {
			c.servers[c.index(p.NodeID)].Close()
			down++
		}
	}
	if got := read(t, d, kek, before, 0, int64(len(plain))); !bytes.Equal(got, plain) {
		t.Error("the first object does not read from the node at its new address")
	}
}
