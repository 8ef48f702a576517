package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/s3keys"
)

func TestS3KeysCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s3keys.json")
	for range 2 {
		out, _, err := dec2(t, map[string]string{"DEC2_S3_KEYS": path}, "s3", "keys", "create")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "AWS_ACCESS_KEY_ID=DEC2") || !strings.Contains(out, "AWS_SECRET_ACCESS_KEY=") {
			t.Errorf("output %q", out)
		}
	}
	keys, err := s3keys.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Errorf("%d keys in the file after two creates", len(keys))
	}
	out, _, err := dec2(t, nil, "s3", "keys", "create", "--keys-file", filepath.Join(t.TempDir(), "k.json"))
	if err != nil || !strings.Contains(out, "k.json") {
		t.Errorf("--keys-file: %q %v", out, err)
	}
}

func TestS3ServeFlags(t *testing.T) {
	for _, args := range [][]string{
		{"s3", "serve", "--node", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8=a=http://127.0.0.1:1"},
		{"s3", "serve", "--storage", "http://127.0.0.1:1", "--node", "nope=a=http://127.0.0.1:1"},
		{"s3", "serve", "--storage", "http://127.0.0.1:1", "--node", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8=a"},
		{"s3", "serve", "--storage", "http://127.0.0.1:1", "--node", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8==http://127.0.0.1:1"},
		{"s3", "serve", "--storage", "http://127.0.0.1:1", "--reputation-every", "0s"},
		{"s3", "serve", "--storage", "http://127.0.0.1:1", "--nodes-every", "-1s"},
	} {
		if _, _, err := dec2(t, nil, args...); err == nil || !strings.Contains(err.Error(), "--") {
			t.Errorf("%v: %v, want an error naming the flag", args, err)
		}
	}
}

// startStorage is the real storage service (SQLite) and four real storage nodes on loopback.
func startStorage(t *testing.T) *e2e.LocalStorage { return e2e.StartLocalStorage(t, 4, 1<<30) }

// serving is `dec2 s3 serve` running in the test's process, with an S3 client for it.
type serving struct {
	s3  *s3.Client
	env map[string]string
	// stop ends the gateway as Ctrl-C would and returns what it logged.
	stop func() string
}

// serveS3 runs `dec2 s3 serve` over the real storage service and nodes of w, with args added,
// and waits until it answers S3.
func serveS3(t *testing.T, w *e2e.LocalStorage, args ...string) *serving {
	t.Helper()
	dir := t.TempDir()
	wk, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	keysPath := filepath.Join(dir, "s3keys.json")
	k, err := s3keys.Create(keysPath, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	args = append(append([]string{"s3", "serve", "--storage", w.Service, "--chain-id", "1337", "--listen", addr, "--keys-file", keysPath}, w.NodeArgs()...), args...)
	s := &serving{env: map[string]string{"DEC2_KEY": hex.EncodeToString(crypto.FromECDSA(wk)), "DEC2_STORAGE": w.Service}}
	ctx, cancel := context.WithCancel(context.Background())
	type result struct {
		stderr string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		_, stderr, err := dec2Ctx(ctx, s.env, args...)
		done <- result{stderr, err}
	}()
	s.stop = func() string {
		t.Helper()
		cancel()
		select {
		case r := <-done:
			if r.err != nil {
				t.Errorf("dec2 s3 serve: %v", r.err)
			}
			return r.stderr
		case <-time.After(30 * time.Second):
			t.Error("dec2 s3 serve did not stop with its context")
			return ""
		}
	}
	s.s3 = s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String("http://" + addr), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(k.AccessKey, k.SecretKey, ""),
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := s.s3.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err == nil {
			return s
		}
		select {
		case r := <-done:
			cancel()
			t.Fatalf("dec2 s3 serve ended: %v\n%s", r.err, r.stderr)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the gateway did not answer: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestS3Serve runs `dec2 s3 serve` against the real storage service (SQLite) and four real
// storage nodes, stores and reads an object through it with aws-sdk-go-v2, and the in-process
// commands see what the gateway wrote.
func TestS3Serve(t *testing.T) {
	w := startStorage(t)
	stores := w.Stores
	s := serveS3(t, w)
	c, env, ctx := s.s3, s.env, t.Context()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")}); err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("a photo of the sea "), 100_000)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String("sea.jpg"), Body: bytes.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("sea.jpg")})
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(got.Body)
	got.Body.Close()
	if err != nil || !bytes.Equal(b, body) {
		t.Errorf("read back %d bytes (%v), want the %d written", len(b), err, len(body))
	}
	for i, ps := range stores {
		if ps.Usage().Pieces != 1 {
			t.Errorf("node %d holds %d pieces, want one piece of the one segment", i, ps.Usage().Pieces)
		}
	}
	// The in-process commands build the same backend: they list and read the gateway's object.
	ls := decode[objectList](t, mustRun(t, env, "s3", "ls", "s3://photos", "-o", "json"))
	if ls.Count != 1 || ls.Objects[0].Key != "sea.jpg" || ls.Size != int64(len(body)) || ls.Stored != w.Used() {
		t.Errorf("dec2 s3 ls s3://photos = %+v, want sea.jpg of %d bytes, %d stored", ls, len(body), w.Used())
	}
	if out := mustRun(t, env, append([]string{"s3", "cp", "s3://photos/sea.jpg", "-"}, w.NodeArgs()...)...); out != string(body) {
		t.Errorf("dec2 s3 cp s3://photos/sea.jpg - wrote %d bytes, want the %d the gateway stored", len(out), len(body))
	}
	s.stop()
}

func TestMasterKey(t *testing.T) {
	wk, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	a, err := masterKey(wk, "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := masterKey(wk, "")
	other, _ := crypto.GenerateKey()
	c, _ := masterKey(other, "")
	if a != b || a == c || a == (crypt.Key{}) {
		t.Error("the derived master key is not a function of the wallet key alone")
	}
	file := filepath.Join(t.TempDir(), "master")
	want := crypt.RandomKey()
	if err := os.WriteFile(file, []byte(hex.EncodeToString(want[:])+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := masterKey(wk, file); err != nil || got != want {
		t.Errorf("from a file: %v", err)
	}
	if err := os.WriteFile(file, []byte("abcd"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := masterKey(wk, file); !errors.Is(err, crypt.ErrMalformed) {
		t.Errorf("a short key: %v, want crypt.ErrMalformed", err)
	}
}

// dec2Stdin is dec2 reading stdin from in.
func dec2Stdin(t *testing.T, env map[string]string, in io.Reader, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{getenv: func(k string) string { return env[k] }, stdin: in, stdout: &out, stderr: &errb}
	root := a.root()
	root.SetArgs(args)
	err := root.ExecuteContext(t.Context())
	return out.String(), errb.String(), err
}

// The in-process commands through a bucket's life on the real storage service and four real
// storage nodes: mb, cp up (a file, stdin), ls, cp down (a file, a directory, stdout), rm, rb,
// and every refusal on the way says what was wrong.
func TestS3Commands(t *testing.T) {
	w := startStorage(t)
	wk, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DEC2_KEY": hex.EncodeToString(crypto.FromECDSA(wk)), "DEC2_STORAGE": w.Service}
	nodes := w.NodeArgs()
	run := func(args ...string) string { return mustRun(t, env, append(args, nodes...)...) }
	// Only the commands that move bytes take --node.
	fails := func(want string, args ...string) {
		t.Helper()
		if args[1] == "cp" || args[1] == "rm" {
			args = append(args, nodes...)
		}
		if _, _, err := dec2(t, env, args...); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("dec2 %s: %v, want an error containing %q", strings.Join(args, " "), err, want)
		}
	}
	dir := t.TempDir()
	local := filepath.Join(dir, "sea.jpg")
	body := bytes.Repeat([]byte("a photo of the sea "), 50_000)
	if err := os.WriteFile(local, body, 0o600); err != nil {
		t.Fatal(err)
	}

	fails("no such file", "s3", "cp", filepath.Join(dir, "missing.jpg"), "s3://photos/x")
	fails("bucket not found (`dec2 s3 ls` lists your buckets; `dec2 s3 mb s3://photos` creates it)", "s3", "cp", local, "s3://photos/sea.jpg")
	if out := mustRun(t, env, "s3", "mb", "s3://photos"); out != "created  s3://photos\n" {
		t.Errorf("mb printed %q", out)
	}
	fails("bucket already exists", "s3", "mb", "s3://photos")
	fails(`invalid bucket name "Bad_Name"`, "s3", "mb", "s3://Bad_Name")
	fails(`"photos": want s3://BUCKET`, "s3", "ls", "photos")
	fails("want s3://BUCKET", "s3", "mb", "s3://")
	fails("a bucket has no key", "s3", "rb", "s3://photos/sea.jpg")
	fails("neither is an s3:// URL", "s3", "cp", local, "photos/sea.jpg")
	fails("both are s3:// URLs", "s3", "cp", "s3://photos/a", "s3://photos/b")
	fails("name the object", "s3", "cp", "s3://photos/", dir)
	fails("cp from stdin: name the object", "s3", "cp", "-", "s3://photos/")

	up := decode[copied](t, run("s3", "cp", local, "s3://photos/2026/", "-o", "json"))
	if up.Destination != "s3://photos/2026/sea.jpg" || up.Bytes != int64(len(body)) || up.ETag == "" {
		t.Errorf("cp up = %+v, want sea.jpg under 2026/ with %d bytes", up, len(body))
	}
	if _, stderr, err := dec2Stdin(t, env, strings.NewReader("notes from stdin"), append([]string{"s3", "cp", "-", "s3://photos/notes.txt"}, nodes...)...); err != nil {
		t.Fatalf("cp - : %v\n%s", err, stderr)
	}
	mustRun(t, env, "s3", "mb", "s3://empty")

	buckets := decode[bucketList](t, mustRun(t, env, "s3", "ls", "-o", "json"))
	if len(buckets) != 2 || buckets[0].Name != "empty" || buckets[1].Name != "photos" {
		t.Errorf("ls = %+v, want empty and photos", buckets)
	}
	ls := decode[objectList](t, mustRun(t, env, "s3", "ls", "s3://photos", "-o", "json"))
	size := int64(len(body) + len("notes from stdin"))
	if ls.Count != 2 || ls.Objects[0].Key != "2026/sea.jpg" || ls.Objects[1].Key != "notes.txt" || ls.Size != size {
		t.Fatalf("ls s3://photos = %+v, want 2026/sea.jpg and notes.txt, %d bytes", ls, size)
	}
	// What the consumer pays for is what the nodes hold: 4 pieces of half the ciphertext each
	// on 4 nodes (k/n = 2/4), twice the object and a little more (GCM tags, padding).
	if ls.Stored != w.Used() || ls.Stored < 2*size || ls.Objects[0].Stored+ls.Objects[1].Stored != ls.Stored {
		t.Errorf("ls stored %d (objects %d + %d), the nodes hold %d; want equal and at least 2 × %d",
			ls.Stored, ls.Objects[0].Stored, ls.Objects[1].Stored, w.Used(), size)
	}
	if age := time.Since(ls.Objects[0].Modified); age < 0 || age > time.Minute {
		t.Errorf("modified %v, want just now", ls.Objects[0].Modified)
	}
	table := mustRun(t, env, "s3", "ls", "s3://photos")
	for _, want := range []string{"KEY", "STORED", "2026/sea.jpg", strconv.Itoa(len(body)), fmt.Sprintf("total: 2 objects  %d", size), strconv.FormatInt(ls.Stored, 10)} {
		if !strings.Contains(table, want) {
			t.Errorf("ls table lacks %q:\n%s", want, table)
		}
	}
	if prefixed := decode[objectList](t, mustRun(t, env, "s3", "ls", "s3://photos/2026/", "-o", "json")); prefixed.Count != 1 || prefixed.Prefix != "2026/" {
		t.Errorf("ls s3://photos/2026/ = %+v, want sea.jpg alone", prefixed)
	}
	if empty := decode[objectList](t, mustRun(t, env, "s3", "ls", "s3://empty", "-o", "json")); empty.Count != 0 || empty.Objects == nil {
		t.Errorf("ls of an empty bucket = %+v, want no objects as []", empty)
	}
	fails("bucket not found", "s3", "ls", "s3://nothere")

	down := filepath.Join(dir, "copy.jpg")
	run("s3", "cp", "s3://photos/2026/sea.jpg", down)
	if got, err := os.ReadFile(down); err != nil || !bytes.Equal(got, body) {
		t.Errorf("cp down to a file: %d bytes (%v), want the %d uploaded", len(got), err, len(body))
	}
	into := t.TempDir()
	run("s3", "cp", "s3://photos/2026/sea.jpg", into)
	if got, err := os.ReadFile(filepath.Join(into, "sea.jpg")); err != nil || !bytes.Equal(got, body) {
		t.Errorf("cp down into a directory: %d bytes (%v)", len(got), err)
	}
	if out := run("s3", "cp", "s3://photos/notes.txt", "-"); out != "notes from stdin" {
		t.Errorf("cp down to stdout: %q", out)
	}
	fails("object not found (`dec2 s3 ls s3://photos` lists the bucket)", "s3", "cp", "s3://photos/nothere.jpg", down)
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("a failed download left files behind: %v", entries)
	}

	fails("bucket is not empty", "s3", "rb", "s3://photos")
	run("s3", "rm", "s3://photos/2026/sea.jpg")
	run("s3", "rm", "s3://photos/notes.txt")
	if w.Used() != 0 {
		t.Errorf("the nodes hold %d bytes after every object was removed", w.Used())
	}
	if out := mustRun(t, env, "s3", "rb", "s3://photos", "-o", "json"); decode[bucketDone](t, out) != (bucketDone{Bucket: "photos", Action: "removed"}) {
		t.Errorf("rb printed %s", out)
	}
	fails("bucket not found", "s3", "rb", "s3://photos")
	if buckets := decode[bucketList](t, mustRun(t, env, "s3", "ls", "-o", "json")); len(buckets) != 1 {
		t.Errorf("ls after rb = %+v, want empty alone", buckets)
	}
	delete(env, "DEC2_STORAGE")
	fails("--storage", "s3", "ls")
}

// Without --node, cp finds the storage nodes in the Nomad region: a real region whose four
// clients advertise the four storage nodes in their meta, one of them with a malformed wallet
// at first. Too few nodes are refused with what was found, what was left out and what to do;
// once the wallet is fixed, cp up and down works over the nodes Nomad names.
func TestS3DiscoversNodes(t *testing.T) {
	e2e.RequireIntegration(t)
	w := startStorage(t)
	var clients []e2e.Client
	for i, n := range w.Nodes {
		wallet := n.Provider.Hex()
		if i == 0 {
			wallet = "0xnot-a-wallet"
		}
		clients = append(clients, e2e.Client{Name: fmt.Sprintf("s%d", i), Meta: map[string]string{
			"dec2.storage.endpoint": n.URL, "dec2.wallet": wallet, "dec2.price.disk_gb_hour": "0.0001",
		}})
	}
	region := e2e.StartRegion(t, e2e.Options{Clients: clients})
	wk, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DEC2_KEY": hex.EncodeToString(crypto.FromECDSA(wk)), "DEC2_STORAGE": w.Service, "NOMAD_ADDR": region.Addr}
	mustRun(t, env, "s3", "mb", "s3://found")
	body := bytes.Repeat([]byte("discovered "), 10_000)
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}

	_, _, err = dec2(t, env, "s3", "cp", file, "s3://found/f")
	for _, want := range []string{"found 3 storage nodes of 3 providers in the Nomad region at " + region.Addr, "at least 4 providers",
		`left out: s0 (`, `"0xnot-a-wallet" is not a 0x address`, "--node 0xPROVIDER=NODE_ID=URL"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("cp with one node's wallet malformed: %v, want an error containing %q", err, want)
		}
	}

	s0 := region.NodeID(t, "s0")
	fixed := w.Nodes[0].Provider.Hex()
	if _, err := region.API.Nodes().Meta().Apply(&api.NodeMetaApplyRequest{NodeID: s0, Meta: map[string]*string{"dec2.wallet": &fixed}}, nil); err != nil {
		t.Fatal(err)
	}
	e2e.Poll(t, "s0's fixed wallet to reach the servers", time.Minute, 250*time.Millisecond, func() (bool, error) {
		n, _, err := region.API.Nodes().Info(s0, nil)
		return err == nil && n.Meta["dec2.wallet"] == fixed, err
	})
	up := decode[copied](t, mustRun(t, env, "s3", "cp", file, "s3://found/f", "-o", "json"))
	if up.Bytes != int64(len(body)) {
		t.Fatalf("cp up = %+v", up)
	}
	for i, st := range w.Stores {
		if st.Usage().Pieces != 1 {
			t.Errorf("storage node %d holds %d pieces, want one: every discovered node takes a piece", i, st.Usage().Pieces)
		}
	}
	if out := mustRun(t, env, "s3", "cp", "s3://found/f", "-"); out != string(body) {
		t.Errorf("cp down over discovered nodes: %d bytes, want %d", len(out), len(body))
	}
	// What it costs: 110,000 bytes are 110,032 of ciphertext (two 64 KiB chunks' tags), four
	// pieces of 55,016 bytes; at 0.0001 DEC2 per GiB-hour each provider's stream is
	// ⌈55,016 × 10¹⁴ / (2³⁰ × 3600)⌉ = 1,423,268 base units a second, 4 × 3600 × that an hour.
	ls := decode[objectList](t, mustRun(t, env, "s3", "ls", "s3://found", "-o", "json"))
	if len(ls.Objects) != 1 || len(ls.Objects[0].Held) != 4 || ls.TotalPerHour != "0.0000000204950592" || ls.PerHour["f"] != ls.TotalPerHour {
		t.Errorf("ls: %+v, want f held by 4 providers at 0.0000000204950592 DEC2/h", ls)
	}
	for p, n := range ls.Objects[0].Held {
		if n != 55_016 {
			t.Errorf("provider %s holds %d bytes of f, want 55016", p, n)
		}
	}
}

// Without --node and without a Nomad to ask, cp says where it looked and what else to do.
func TestS3DiscoveryUnreachable(t *testing.T) {
	w := startStorage(t)
	env := map[string]string{"DEC2_KEY": hex.EncodeToString(crypto.FromECDSA(mustKey(t))), "DEC2_STORAGE": w.Service, "NOMAD_ADDR": "http://127.0.0.1:1"}
	_, _, err := dec2(t, env, "s3", "cp", "s3://b/k", "-")
	if err == nil || !strings.Contains(err.Error(), "finding storage nodes in the Nomad region at http://127.0.0.1:1 (or pass --node)") {
		t.Fatalf("cp with Nomad unreachable: %v", err)
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
