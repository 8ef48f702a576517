package keeper_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/metasnap/keeper"
	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// BenchmarkSnapshot stores (take) and rebuilds (restore) a 64 MiB database over six in-process
// storage nodes on loopback; bytes per second are of the database.
func BenchmarkSnapshot(b *testing.B) {
	ls := e2e.StartLocalStorage(b, 6, 8<<30)
	key, _ := crypto.GenerateKey()
	k := &keeper.Keeper{Key: key, ChainID: 1337, Keep: 1,
		Nodes: func(context.Context) ([]piecesink.Node, error) { return ls.Nodes, nil }}
	db := database(1, 64<<20)
	ctx := context.Background()
	b.Run("take", func(b *testing.B) {
		b.SetBytes(int64(len(db)))
		for b.Loop() {
			if _, err := k.Take(ctx, "sqlite", bytes.NewReader(db)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("restore", func(b *testing.B) {
		b.SetBytes(int64(len(db)))
		dir := b.TempDir()
		for b.Loop() {
			path := filepath.Join(dir, "meta.db")
			if _, err := k.Restore(ctx, path); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			os.Remove(path)
			b.StartTimer()
		}
	})
}
