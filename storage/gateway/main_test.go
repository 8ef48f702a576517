package gateway_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/nodeapi"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/s3keys"
)

// One gateway serves every test: versitygw allows one per process. Its catalog is the real
// storage service (metaapi over SQLite); its data path is the real one (piecesink) over six
// storage nodes running as Nomad jobs on six providers of a region (-data=jobs, the default),
// over six storage nodes in process (-data=nodes: no Nomad or Docker needed), or memData under
// -short (four times faster) or -data=mem.
var (
	endpoint string
	key      s3keys.Key
	data     countedData
	dataPath = flag.String("data", "", "the data path: jobs (piecesink over storage node jobs on 6 providers of a Nomad region), nodes (over 6 storage nodes in process) or mem (in memory); default jobs, mem under -short")
)

// countedData is a data path whose stored pieces can be counted, so that tests see garbage
// collected.
type countedData interface {
	gateway.Data
	count() int
}

// nodeData is piecesink over real storage nodes in process.
type nodeData struct {
	*piecesink.Data
	local *e2e.LocalStorage
}

func (d *nodeData) count() int {
	n := 0
	for _, st := range d.local.Stores {
		n += st.Usage().Pieces
	}
	return n
}

// jobData is piecesink over storage nodes running as Nomad jobs; it counts their pieces
// through their API.
type jobData struct {
	*piecesink.Data
	nodes []*e2e.StorageNode
}

func (d *jobData) count() int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n := 0
	for _, sn := range d.nodes {
		u, err := (&nodeapi.Client{URL: sn.URL, Key: sn.Key, ChainID: 1337}).Capacity(ctx)
		if err != nil {
			panic(fmt.Sprintf("counting the pieces on %s: %v", sn.Client, err))
		}
		n += u.Pieces
	}
	return n
}

// startJobs starts a Nomad region of six providers, each running dec2-storagenode as a Nomad
// job on its host volume under dir, and a piecesink over them for wallet.
func startJobs(r *e2e.Runner, dir string, wallet *ecdsa.PrivateKey, log *slog.Logger) (*jobData, error) {
	var clients []e2e.Client
	var providers []e2e.StorageProvider
	for i := range 6 {
		p := e2e.StorageProvider{Client: fmt.Sprintf("provider%d", i+1), Disk: filepath.Join(dir, fmt.Sprintf("disk%d", i))}
		if err := os.MkdirAll(p.Disk, 0o755); err != nil {
			return nil, err
		}
		providers = append(providers, p)
		clients = append(clients, e2e.Client{Name: p.Client, CPUMHz: 1000, MemoryMB: 1024, HostVolumes: map[string]string{e2e.StorageVolume: p.Disk}})
	}
	region := e2e.StartRegion(r, e2e.Options{Clients: clients})
	d := &jobData{nodes: e2e.StartStorageNodes(r, region, providers, 4<<30)}
	var nodes []piecesink.Node
	for _, sn := range d.nodes {
		nodes = append(nodes, piecesink.Node{Provider: sn.Provider, ID: sn.NodeID, URL: sn.URL})
	}
	pd, err := piecesink.New(piecesink.Config{Nodes: nodes, Key: wallet, ChainID: 1337, SegmentSize: segSize, Log: log})
	if err != nil {
		return nil, err
	}
	d.Data = pd
	return d, nil
}

// startNodes starts six storage nodes in process, each with its own piece store and provider
// key, and a piecesink over them for wallet.
func startNodes(r *e2e.Runner, wallet *ecdsa.PrivateKey, log *slog.Logger) (*nodeData, error) {
	d := &nodeData{local: e2e.StartLocalStorage(r, 6, 1<<32)}
	pd, err := piecesink.New(piecesink.Config{Nodes: d.local.Nodes, Key: wallet, ChainID: 1337, SegmentSize: segSize, Log: log})
	if err != nil {
		return nil, err
	}
	d.Data = pd
	return d, nil
}

// segSize is small so that objects of a few MiB already span segments.
const segSize = 1 << 20

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "gateway-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := sqlstore.Open(ctx, "sqlite://"+filepath.Join(dir, "meta.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	svc := httptest.NewServer(metaapi.New(metaapi.Config{Store: st, Log: log}))
	defer svc.Close()
	wallet, err := crypto.GenerateKey()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	key = s3keys.Generate(time.Now())
	if *dataPath == "" {
		*dataPath = "jobs"
		if testing.Short() {
			*dataPath = "mem"
		}
	}
	switch *dataPath {
	case "mem":
		data = newMemData(segSize)
	case "jobs":
		r := e2e.NewRunner("gateway tests", log)
		defer r.RunCleanups()
		jd, err := startJobs(r, dir, wallet, log)
		if err != nil {
			fmt.Fprintln(os.Stderr, "storage node jobs:", err)
			return 1
		}
		data = jd
	case "nodes":
		r := e2e.NewRunner("gateway tests", log)
		defer r.RunCleanups()
		nd, err := startNodes(r, wallet, log)
		if err != nil {
			fmt.Fprintln(os.Stderr, "storage nodes:", err)
			return 1
		}
		data = nd
	default:
		fmt.Fprintf(os.Stderr, "-data=%s: want mem or nodes\n", *dataPath)
		return 2
	}
	be, err := gateway.New(gateway.Config{
		Catalog: &metaapi.Client{URL: svc.URL, Key: wallet, HTTP: svc.Client()},
		Data:    data, Master: crypt.RandomKey(), Owner: key.AccessKey, Log: log,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	addr, err := freePort()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// TLS, because that is where current SDKs send their default checksums as trailers of
	// aws-chunked bodies (over plain HTTP they sign the payload and send none).
	certFile, keyFile, pool, err := selfSigned(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	httpClient.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	endpoint = "https://" + addr
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- gateway.Serve(ctx, be, gateway.ServeConfig{Listen: addr, Keys: []s3keys.Key{key}, Quiet: true,
			CertFile: certFile, KeyFile: keyFile,
			OnListen: func() { close(ready) }})
	}()
	select {
	case <-ready:
	case err := <-done:
		fmt.Fprintln(os.Stderr, "gateway:", err)
		return 1
	case <-time.After(30 * time.Second):
		fmt.Fprintln(os.Stderr, "gateway did not listen")
		return 1
	}
	code := m.Run()
	// Idle keep-alive connections would hold the gateway's shutdown to its 10 s timeout.
	httpClient.CloseIdleConnections()
	cancel()
	if err := <-done; err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		return 1
	}
	return code
}

// freePort picks a loopback port; versitygw binds by address, so it cannot be handed a listener.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// selfSigned writes a certificate for 127.0.0.1 and returns its files and a pool trusting it.
func selfSigned(dir string) (certFile, keyFile string, pool *x509.CertPool, err error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:   time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		return "", "", nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return "", "", nil, err
	}
	kd, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		return "", "", nil, err
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		return "", "", nil, err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd}), 0o600); err != nil {
		return "", "", nil, err
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool, nil
}

// httpClient is for the raw requests tests send and the SDKs; it reaches only the gateway.
var httpClient = &http.Client{Timeout: time.Minute}
