package s3e2e

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/nomadnodes"
	"github.com/dec2-cloud/dec2/storage/s3keys"
)

// world is what these tests store through: a Nomad region of providers (six unless said
// otherwise), each running dec2-storagenode as a Nomad job on its host volume, the storage
// service, and a consumer's `dec2 s3 serve`, which finds the storage nodes in Nomad's node meta (no --node), with an
// aws-sdk-go-v2 client for it (its default checksums on).
type world struct {
	region *e2e.Region
	nodes  []*e2e.StorageNode
	// later are the providers whose storage node the test starts itself (worldOptions.later).
	later  []e2e.StorageProvider
	svc    *e2e.StorageService
	wallet *ecdsa.PrivateKey // the consumer's
	s3     *s3.Client
}

// startWorld starts a world of six providers whose storage nodes hold capacity bytes each;
// serviceArgs go to dec2-storage serve, which is told the region's Nomad address. On failure
// the agents' log tails are printed.
func startWorld(t testing.TB, capacity int64, serviceArgs ...string) *world {
	t.Helper()
	return startWorldOf(t, worldOptions{providers: 6, capacity: capacity, serviceArgs: serviceArgs})
}

// worldOptions are a world's: how many providers, how many of the last of them have no storage
// node at start (later), each storage node's capacity, and the arguments added to dec2-storage
// serve and to dec2 s3 serve.
type worldOptions struct {
	providers, later         int
	capacity                 int64
	serviceArgs, gatewayArgs []string
}

func startWorldOf(t testing.TB, o worldOptions) *world {
	t.Helper()
	var clients []e2e.Client
	var providers []e2e.StorageProvider
	for i := range o.providers {
		p := e2e.StorageProvider{Client: fmt.Sprintf("provider%d", i+1), Disk: t.TempDir()}
		providers = append(providers, p)
		clients = append(clients, e2e.Client{Name: p.Client, CPUMHz: 1000, MemoryMB: 1024,
			HostVolumes: map[string]string{e2e.StorageVolume: p.Disk}})
	}
	w := &world{region: e2e.StartRegion(t, e2e.Options{Clients: clients})}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s", w.region.Logs(20))
		}
	})
	w.later = providers[len(providers)-o.later:]
	w.nodes = e2e.StartStorageNodes(t, w.region, providers[:len(providers)-o.later], o.capacity)
	w.svc = e2e.StartStorageService(t, append(o.serviceArgs, "--nomad-addr", w.region.Addr)...)
	w.wallet, _ = crypto.GenerateKey()
	keysFile := filepath.Join(t.TempDir(), "s3keys.json")
	key, err := s3keys.Create(keysFile, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// Node meta applied through the API reaches the servers' node list a moment later.
	e2e.Poll(t, fmt.Sprintf("Nomad to list %d storage nodes", len(w.nodes)), time.Minute, 500*time.Millisecond, func() (bool, error) {
		nodes, _, err := nomadnodes.List(context.Background(), w.region.API)
		return len(nodes) == len(w.nodes), err
	})
	gw := e2e.StartS3Gateway(t, w.svc.URL, w.wallet, keysFile, []string{"NOMAD_ADDR=" + w.region.Addr}, o.gatewayArgs...)
	w.s3 = s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(gw.Endpoint), UsePathStyle: true,
		Credentials:                credentials.NewStaticCredentialsProvider(key.AccessKey, key.SecretKey, ""),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported,
	})
	return w
}
