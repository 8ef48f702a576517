package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	storagenode "github.com/dec2-cloud/dec2/storage/node"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/piecestore"
)

// LocalStorage is the storage service (on SQLite) and storage nodes running in the test's own
// process on loopback, each node with its own piece store and provider key: dec2 S3's real
// parts where no Nomad region is needed.
type LocalStorage struct {
	Service string // the storage service's URL
	Nodes   []piecesink.Node
	Stores  []*piecestore.Store // the nodes' piece stores, in Nodes' order
}

// StartLocalStorage starts the storage service and n storage nodes of capacity bytes each,
// stopped at cleanup; meters may read every tenant's usage (dec2-storage --meter).
func StartLocalStorage(t TB, n int, capacity uint64, meters ...common.Address) *LocalStorage {
	t.Helper()
	dir, err := os.MkdirTemp("", "dec2-local-storage-")
	if err != nil {
		t.Fatalf("creating the storage dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	quiet := slog.New(slog.DiscardHandler)
	st, err := sqlstore.Open(context.Background(), "sqlite://"+filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatalf("opening the storage service's database: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	svc := httptest.NewServer(metaapi.New(metaapi.Config{Store: st, Log: quiet, Meters: meters}))
	t.Cleanup(svc.Close)
	l := &LocalStorage{Service: svc.URL}
	for i := range n {
		ps, err := piecestore.Open(filepath.Join(dir, fmt.Sprintf("node%d", i)), capacity)
		if err != nil {
			t.Fatalf("opening storage node %d's pieces: %v", i, err)
		}
		pk, err := crypto.GenerateKey()
		if err != nil {
			t.Fatalf("generating storage node %d's key: %v", i, err)
		}
		srv := httptest.NewServer(storagenode.New(storagenode.Config{Store: ps, Key: pk, ChainID: 1337, MaxPieceSize: 64 << 20, Logger: quiet}).Handler())
		t.Cleanup(srv.Close)
		l.Stores = append(l.Stores, ps)
		l.Nodes = append(l.Nodes, piecesink.Node{Provider: crypto.PubkeyToAddress(pk.PublicKey), ID: fmt.Sprintf("node%d", i), URL: srv.URL})
	}
	return l
}

// NodeArgs are the --node flags (0xPROVIDER=NODE_ID=URL) naming l's nodes.
func (l *LocalStorage) NodeArgs() []string {
	var args []string
	for _, n := range l.Nodes {
		args = append(args, "--node", fmt.Sprintf("%s=%s=%s", n.Provider.Hex(), n.ID, n.URL))
	}
	return args
}

// Used is the bytes of pieces every node holds.
func (l *LocalStorage) Used() int64 {
	var n int64
	for _, st := range l.Stores {
		n += int64(st.Usage().Used)
	}
	return n
}

// Store makes bucket for the wallet key and puts body in it as object, as `dec2 s3 cp` does:
// names and bytes encrypted under the master key derived from the wallet, pieces on the nodes.
func (l *LocalStorage) Store(t TB, key *ecdsa.PrivateKey, bucket, object string, body []byte) {
	t.Helper()
	ctx := context.Background()
	master, err := crypt.MasterFromWallet(key)
	if err != nil {
		t.Fatalf("deriving the master key: %v", err)
	}
	data, err := piecesink.New(piecesink.Config{Nodes: l.Nodes, Key: key, ChainID: 1337})
	if err != nil {
		t.Fatalf("the data path over the local nodes: %v", err)
	}
	g, err := gateway.New(gateway.Config{Catalog: &metaapi.Client{URL: l.Service, Key: key}, Data: data, Master: master})
	if err != nil {
		t.Fatalf("the gateway over the local storage: %v", err)
	}
	if err := g.MakeBucket(ctx, bucket); err != nil {
		t.Fatalf("making bucket %s: %v", bucket, err)
	}
	if body == nil {
		return
	}
	if _, err := g.Put(ctx, bucket, object, bytes.NewReader(body)); err != nil {
		t.Fatalf("storing %d bytes as %s/%s: %v", len(body), bucket, object, err)
	}
}
