package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/metaapi"
)

func TestParse(t *testing.T) {
	o, err := parse([]string{"serve", "--db", "sqlite:///x.db", "--operator", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
		"--operator", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "--meter", "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
		"--repairer", "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.listen != "127.0.0.1:4659" || o.db != "sqlite:///x.db" || len(o.operators) != 2 ||
		len(o.meters) != 1 || o.meters[0] != common.HexToAddress("0x90F79bf6EB2c4f870365E785982E1f101E93b906") ||
		len(o.repairers) != 1 || o.repairers[0] != common.HexToAddress("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65") {
		t.Errorf("parsed %+v", o)
	}
	o, err = parse([]string{"restore", "--db", "sqlite:///y.db", "--key-file", "k", "--nomad-addr", "http://127.0.0.1:4646"}, io.Discard)
	if err != nil || o.command != "restore" || o.db != "sqlite:///y.db" || o.keyFile != "k" || o.nomadAddr != "http://127.0.0.1:4646" {
		t.Errorf("restore parsed %+v, %v", o, err)
	}
	for _, args := range [][]string{nil, {"run"}, {"serve", "--operator", "nope"}, {"serve", "--meter", "0x12"}, {"serve", "--repairer", "x"}, {"serve", "extra"},
		{"serve", "--snapshot-every", "-1s"}, {"serve", "--snapshot-keep", "0"}, {"restore", "--listen", "x"}, {"restore", "extra"}} {
		if _, err := parse(args, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

// The command serves the API on its database and stops when told to; the data outlives it.
func TestServe(t *testing.T) {
	db := "sqlite://" + filepath.Join(t.TempDir(), "sub", "meta.db")
	key, _ := crypto.GenerateKey()
	run := func(f func(c *metaapi.Client)) {
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan string, 1)
		done := make(chan error, 1)
		go func() {
			done <- serve(ctx, options{listen: "127.0.0.1:0", db: db}, slog.New(slog.DiscardHandler), ready)
		}()
		select {
		case addr := <-ready:
			f(&metaapi.Client{URL: "http://" + addr, Key: key})
		case err := <-done:
			t.Fatalf("serve: %v", err)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve after stop: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
	run(func(c *metaapi.Client) {
		if _, err := c.CreateBucket(context.Background(), []byte("b")); err != nil {
			t.Fatal(err)
		}
	})
	run(func(c *metaapi.Client) {
		bs, err := c.ListBuckets(context.Background())
		if err != nil || len(bs) != 1 || string(bs[0].Name) != "b" {
			t.Errorf("after a restart: %+v, %v; want bucket b", bs, err)
		}
	})
	if err := serve(context.Background(), options{listen: "127.0.0.1:0", db: "mysql://x"}, slog.New(slog.DiscardHandler), nil); err == nil {
		t.Error("an unknown database scheme was accepted")
	}
}

// restore refuses what it must not do before it reaches any node: overwrite a database, or
// write anything but SQLite.
func TestRestoreRefusesToOverwrite(t *testing.T) {
	existing := filepath.Join(t.TempDir(), "meta.db")
	if err := os.WriteFile(existing, []byte("left"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{"sqlite://" + existing, "postgres://dec2@127.0.0.1/dec2"} {
		err := restore(context.Background(), options{db: db}, slog.New(slog.DiscardHandler), io.Discard)
		if !errors.Is(err, errUsage) {
			t.Errorf("restore --db %s: %v, want a usage error", db, err)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "left" {
		t.Errorf("the existing database now holds %q", b)
	}
}
