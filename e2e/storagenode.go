package e2e

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/cli/clientconfig"
	"github.com/dec2-cloud/dec2/conventions"
)

// StorageVolume is the host volume a storage provider's client declares for dec2-storagenode's
// pieces (jobspecs/storagenode.nomad.hcl's default volume).
const StorageVolume = clientconfig.StorageVolume

// StorageNode is dec2-storagenode running as a Nomad job (jobspecs/storagenode.nomad.hcl)
// pinned to one client of a region, with its own provider key.
type StorageNode struct {
	Client   string // the Nomad client's name
	NodeID   string
	Job      string
	Key      *ecdsa.PrivateKey
	Provider common.Address
	URL      string // http://127.0.0.1:port
	Disk     string // the host volume's directory: the pieces as the provider's disk holds them
}

// StorageProvider is a client of a region that runs a storage node: Disk is the directory its
// StorageVolume host volume declares, Key the provider's wallet key that signs receipts (nil:
// a fresh one).
type StorageProvider struct {
	Client string
	Disk   string
	Key    *ecdsa.PrivateKey
}

// StartStorageNodes runs a storage node job on each provider's client, each holding up to
// capacity bytes, waits until every one serves, and advertises each in its node's meta as a
// provider's join does (conventions.MetaStorageEndpoint, MetaStorageCapacity, and MetaWallet
// set to the node's key). The jobs go with the region.
func StartStorageNodes(t TB, r *Region, providers []StorageProvider, capacity int64) []*StorageNode {
	t.Helper()
	image := Image(t, "./storage/cmd/dec2-storagenode", "dec2-storagenode")
	var out []*StorageNode
	for _, p := range providers {
		key := p.Key
		if key == nil {
			var err error
			if key, err = crypto.GenerateKey(); err != nil {
				t.Fatalf("generating %s's provider key: %v", p.Client, err)
			}
		}
		client := p.Client
		s := &StorageNode{Client: client, NodeID: r.NodeID(t, client), Job: "dec2-storagenode-" + client, Key: key,
			Provider: crypto.PubkeyToAddress(key.PublicKey), Disk: p.Disk}
		v := &api.Variable{Path: "nomad/jobs/" + s.Job, Items: api.VariableItems{"key": hex.EncodeToString(crypto.FromECDSA(key))}}
		if _, _, err := r.API.Variables().Create(v, nil); err != nil {
			t.Fatalf("storing %s's provider key: %v", client, err)
		}
		port := FreePort(t)
		s.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
		if out, err := r.Nomad(t, "job", "run", "-detach", "-var", "name="+s.Job, "-var", "image="+image, "-var", "node="+client,
			"-var", "capacity="+strconv.FormatInt(capacity, 10), "-var", "port="+strconv.Itoa(port), "jobspecs/storagenode.nomad.hcl"); err != nil {
			t.Fatalf("running %s: %v\n%s", s.Job, err, out)
		}
		out = append(out, s)
	}
	for _, s := range out {
		Poll(t, s.Job+" to serve", 3*time.Minute, 500*time.Millisecond, func() (bool, error) { return s.Healthy(), nil })
		meta := map[string]*string{
			conventions.MetaStorageEndpoint: new(s.URL),
			conventions.MetaStorageCapacity: new(strconv.FormatInt(capacity, 10)),
			conventions.MetaWallet:          new(s.Provider.Hex()),
		}
		if _, err := r.API.Nodes().Meta().Apply(&api.NodeMetaApplyRequest{NodeID: s.NodeID, Meta: meta}, nil); err != nil {
			t.Fatalf("advertising %s in node meta: %v", s.Job, err)
		}
	}
	return out
}

// Healthy says whether the node answers its health check.
func (s *StorageNode) Healthy() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/healthz", nil)
	if err != nil {
		return false
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// Stop stops the node's job and waits until it no longer answers: the provider is gone, its
// disk stays.
func (s *StorageNode) Stop(t TB, r *Region) {
	t.Helper()
	if out, err := r.Nomad(t, "job", "stop", "-detach", s.Job); err != nil {
		t.Fatalf("stopping %s: %v\n%s", s.Job, err, out)
	}
	Poll(t, s.Job+" to stop serving", 2*time.Minute, 500*time.Millisecond, func() (bool, error) { return !s.Healthy(), nil })
}

// StorageService is dec2-storage serving a region's storage metadata from SQLite.
type StorageService struct {
	URL string
	DB  string // the SQLite database's path
	svc *service
}

// StartStorageService builds and serves dec2-storage on a free port over a fresh SQLite
// database, with args added to `serve`, and stops it at cleanup.
func StartStorageService(t TB, args ...string) *StorageService {
	t.Helper()
	dir, err := os.MkdirTemp("", "dec2-storage-db-")
	if err != nil {
		t.Fatalf("creating dec2-storage's database dir: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return StartStorageServiceAt(t, fmt.Sprintf("http://127.0.0.1:%d", FreePort(t)), filepath.Join(dir, "meta.db"), nil, args...)
}

// StartStorageServiceAt serves dec2-storage at url over the SQLite database at db (the address
// and file a stopped service had, for one that stands in for it), with env added to its
// environment (NOMAD_TOKEN, DEC2_STORAGE_KEY).
func StartStorageServiceAt(t TB, url, db string, env []string, args ...string) *StorageService {
	t.Helper()
	s := &StorageService{URL: url, DB: db}
	s.svc = startService(t, "dec2-storage", "./storage/cmd/dec2-storage",
		append([]string{"serve", "--listen", s.URL[len("http://"):], "--db", "sqlite://" + db}, args...), env,
		func() bool {
			res, err := http.Get(s.URL + "/v1/health")
			if err != nil {
				return false
			}
			res.Body.Close()
			return res.StatusCode == http.StatusOK
		})
	return s
}

// Stop stops the service (SIGTERM, then SIGKILL after 15 s).
func (s *StorageService) Stop() { s.svc.stop() }

// Log is everything the service has logged.
func (s *StorageService) Log() string {
	b, _ := os.ReadFile(s.svc.log)
	return string(b)
}

// StartStorageNodeProcess runs dec2-storagenode as a plain process on loopback with a fresh
// provider key, its pieces under disk (no Nomad, no container: what benchmarks compare the
// gateway against), and stops it at cleanup. NodeID is the node's name; Job is empty.
func StartStorageNodeProcess(t TB, name, disk string, capacity int64) *StorageNode {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatalf("generating %s's provider key: %v", name, err)
	}
	dir, err := os.MkdirTemp("", "dec2-storagenode-key-")
	if err != nil {
		t.Fatalf("creating %s's key dir: %v", name, err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	keyFile := filepath.Join(dir, "provider.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(key))), 0o600); err != nil {
		t.Fatalf("writing %s's provider key: %v", name, err)
	}
	s := &StorageNode{Client: name, NodeID: name, Key: key, Provider: crypto.PubkeyToAddress(key.PublicKey),
		URL: fmt.Sprintf("http://127.0.0.1:%d", FreePort(t)), Disk: disk}
	startService(t, "dec2-storagenode-"+name, "./storage/cmd/dec2-storagenode",
		[]string{"serve", "--listen", strings.TrimPrefix(s.URL, "http://"), "--data", disk,
			"--capacity", strconv.FormatInt(capacity, 10), "--key-file", keyFile}, nil, s.Healthy)
	return s
}
