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

	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/meta/sqlstore"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/s3keys"
)

// One gateway serves every test: versitygw allows one per process. Its catalog is the real
// storage service (metaapi over SQLite); its data path is memData.
var (
	endpoint string
	key      s3keys.Key
	data     *memData
)

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
	data = newMemData(segSize)
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
