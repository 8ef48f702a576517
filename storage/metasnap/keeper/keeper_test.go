package keeper_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/metasnap"
	"github.com/dec2-cloud/dec2/storage/metasnap/keeper"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/piecestore"
)

func database(seed uint64, n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(seed, 7))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func newKeeper(t *testing.T, ls *e2e.LocalStorage) *keeper.Keeper {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return &keeper.Keeper{Key: key, ChainID: 1337, Keep: 2, Copies: 3,
		Nodes: func(context.Context) ([]piecesink.Node, error) { return ls.Nodes, nil }}
}

func pieceCount(ls *e2e.LocalStorage) int {
	n := 0
	for _, s := range ls.Stores {
		n += s.Usage().Pieces
	}
	return n
}

// Three snapshots over six nodes, two kept: the oldest is deleted whole, the newest restores
// byte for byte, and when the newest has lost too many pieces to rebuild, the restore falls
// back to the one before it.
func TestTakePruneRestore(t *testing.T) {
	ls := e2e.StartLocalStorage(t, 6, 1<<30)
	k := newKeeper(t, ls)
	ctx := context.Background()
	dbs := [][]byte{database(1, 300<<10), database(2, 5<<20), database(3, 70<<20)}
	var taken []keeper.Taken
	for i, db := range dbs {
		before := time.Now().Truncate(time.Millisecond)
		tk, err := k.Take(ctx, "sqlite", bytes.NewReader(db))
		if err != nil {
			t.Fatalf("snapshot %d: %v", i, err)
		}
		if tk.Copies != 3 || tk.Manifest.Size != int64(len(db)) || tk.Manifest.Taken().Before(before) || tk.Manifest.Taken().After(time.Now()) {
			t.Errorf("snapshot %d: %+v", i, tk)
		}
		taken = append(taken, tk)
	}
	if taken[2].Pruned != 1 || taken[1].Pruned != 0 {
		t.Errorf("pruned %d then %d snapshots, want 0 then 1", taken[1].Pruned, taken[2].Pruned)
	}
	want := 0
	for _, tk := range taken[1:] {
		want += tk.Copies
		for _, g := range tk.Manifest.Segments {
			want += len(g.Pieces)
		}
	}
	if got := pieceCount(ls); got != want {
		t.Errorf("the nodes hold %d pieces, want %d: the two kept snapshots' pieces and manifest copies, nothing of the pruned one", got, want)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "meta.db")
	m, err := k.Restore(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); m.Seq != taken[2].Manifest.Seq || !bytes.Equal(got, dbs[2]) {
		t.Errorf("restored snapshot %d (%d bytes), want the newest %d", m.Seq, len(got), taken[2].Manifest.Seq)
	}
	if _, err := k.Restore(ctx, path); !errors.Is(err, fs.ErrExist) {
		t.Errorf("a restore over an existing database: %v, want it refused", err)
	}

	// The newest snapshot's first segment loses all but k-1 pieces.
	g := taken[2].Manifest.Segments[0]
	for _, p := range g.Pieces[:g.N-g.K+1] {
		id, _ := piecestore.ParseID(p.PieceID)
		i := strings.TrimPrefix(p.NodeID, "node")
		if err := ls.Stores[i[0]-'0'].Delete(id, crypto.PubkeyToAddress(k.Key.PublicKey)); err != nil {
			t.Fatal(err)
		}
	}
	older := filepath.Join(dir, "older.db")
	m, err = k.Restore(ctx, older)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(older); m.Seq != taken[1].Manifest.Seq || !bytes.Equal(got, dbs[1]) {
		t.Errorf("with the newest broken, restored snapshot %d (%d bytes), want %d", m.Seq, len(got), taken[1].Manifest.Seq)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*.restoring-*")); len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}
}

// Another wallet finds nothing: snapshots are listed and opened only with their own key.
func TestRestoreWithAnotherWalletFindsNothing(t *testing.T) {
	ls := e2e.StartLocalStorage(t, 4, 1<<30)
	ctx := context.Background()
	if _, err := newKeeper(t, ls).Take(ctx, "sqlite", bytes.NewReader(database(1, 1000))); err != nil {
		t.Fatal(err)
	}
	_, err := newKeeper(t, ls).Restore(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if !errors.Is(err, metasnap.ErrNoSnapshot) {
		t.Errorf("restore with another wallet: %v, want ErrNoSnapshot", err)
	}
}
