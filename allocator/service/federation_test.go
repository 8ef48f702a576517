package service

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/leadership"
	"github.com/dec2-cloud/dec2/allocator/regions"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/pricing"
)

// Two federated regions, eu (one large, dear provider) and us (two smaller, cheaper ones),
// each with its allocator. Jobs that let dec2 choose (meta dec2.regions = "eu,us") are all
// sent to eu's allocator: one that fits both lands in the cheaper us, one only eu's provider
// can hold lands in eu, and one neither can take is refused with both regions' reasons.
func TestFederatedPlacement(t *testing.T) {
	e2e.RequireIntegration(t)
	priced := func(name string, mhz, mib int, cpuPrice string) e2e.Client {
		return e2e.Client{Name: name, CPUMHz: mhz, MemoryMB: mib, DiskMB: 4000, RawExec: true,
			Meta: map[string]string{conventions.MetaWallet: e2e.TenantWallet, pricing.MetaCPU: cpuPrice, pricing.MetaMem: "0"}}
	}
	fed := e2e.StartFederation(t, e2e.FederationOptions{ACL: true, Regions: []e2e.FederatedRegion{
		{Name: "eu", Clients: []e2e.Client{priced("eu-big", 8000, 8192, "2.0")}},
		{Name: "us", Clients: []e2e.Client{priced("us-1", 4000, 4096, "1.0"), priced("us-2", 4000, 4096, "1.0")}},
	}})
	eu, us := fed.Region(t, "eu"), fed.Region(t, "us")
	// The tenant's binding is written once, in the authoritative region, and replicates.
	eu.BindWallet(t, "default", e2e.TenantWallet)
	e2e.Poll(t, "the namespace binding to replicate to us", time.Minute, 250*time.Millisecond, func() (bool, error) {
		ns, _, err := us.API.Namespaces().Info("default", nil)
		return err == nil && ns.Meta[conventions.MetaWallet] == e2e.TenantWallet, nil
	})
	euAlloc := e2e.StartAllocator(t, eu, "--region", "eu", "--leader-lock", leadership.DefaultPath)
	usAlloc := e2e.StartAllocator(t, us, "--region", "us", "--leader-lock", leadership.DefaultPath)
	for _, a := range []*e2e.Allocator{euAlloc, usAlloc} {
		e2e.Poll(t, "each region's allocator to lead", 30*time.Second, 100*time.Millisecond, func() (bool, error) {
			v, _ := a.Metric("dec2_allocator_leading")
			return v == 1, nil
		})
	}
	via := connect(t, euAlloc.Addr, fed.Token)
	either := func(name string, cpu int) *api.Job {
		j := sleeper(name, cpu, 128)
		j.Meta[regions.MetaKey] = "eu,us"
		return j
	}

	if _, _, err := via.Jobs().Register(either("small", 500), nil); err != nil {
		t.Fatalf("registering small: %v", err)
	}
	if _, _, err := via.Jobs().Register(either("big", 6000), nil); err != nil {
		t.Fatalf("registering big: %v", err)
	}
	_, _, err := via.Jobs().Register(either("huge", 20000), nil)
	if err == nil || !strings.Contains(err.Error(), "409") || !strings.Contains(err.Error(), "eu: ") || !strings.Contains(err.Error(), "us: ") {
		t.Errorf("registering huge = %v, want a 409 naming both regions' reasons", err)
	}

	for _, c := range []struct {
		job        string
		in, not    *e2e.Region
		inName     string
		notName    string
		wantOnNode string
	}{
		{"small", us, eu, "us", "eu", "us-"},
		{"big", eu, us, "eu", "us", "eu-big"},
	} {
		if _, _, err := c.not.API.Jobs().Info(c.job, nil); err == nil {
			t.Errorf("job %s was registered in %s too", c.job, c.notName)
		}
		live := waitRunning(t, c.in.API, c.job, 1)
		node, _, err := c.in.API.Nodes().Info(live[0].NodeID, nil)
		if err != nil {
			t.Fatalf("reading the node of %s: %v", c.job, err)
		}
		if !strings.HasPrefix(node.Name, c.wantOnNode) {
			t.Errorf("job %s runs on %s, want a node of %s (%s…)", c.job, node.Name, c.inName, c.wantOnNode)
		}
	}
	if _, _, err := eu.API.Jobs().Info("huge", nil); err == nil {
		t.Errorf("the refused job huge was registered in eu")
	}

	// A packed job for one other region (nomad's -region) is packed by that region's allocator.
	if out, err := euAlloc.Nomad(t, "job", "run", "-detach", "-region", "us", writeJob(t, "pinned-us", rawJob("pinned-us", 1, 100, 64, true))); err != nil {
		t.Fatalf("nomad job run -region us through eu's allocator: %v\n%s", err, out)
	}
	if j, _, err := us.API.Jobs().Info("pinned-us", nil); err != nil || j.Meta["dec2.plan"] == "" {
		t.Errorf("pinned-us in us: meta %v (%v), want it packed there (dec2.plan)", j, err)
	}

	// Nomad's own region forwarding answers through the allocator, as for any other call.
	out, err := euAlloc.Nomad(t, "job", "status", "-region", "us", "small")
	if err != nil || !strings.Contains(out, "running") {
		t.Errorf("nomad job status -region us small through eu's allocator: %v\n%s", err, out)
	}
}

// With equal prices and openings, a job that lets dec2 choose goes where its tenant's buckets
// are: the tenant stores a file whose pieces land on a provider of eu, and a job listing
// "us,eu" is registered in eu.
func TestFederatedPlacementFollowsTheTenantsData(t *testing.T) {
	e2e.RequireIntegration(t)
	meter, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	storage := e2e.StartLocalStorage(t, 4, 1<<30, crypto.PubkeyToAddress(meter.PublicKey))
	tenant, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	wallet := crypto.PubkeyToAddress(tenant.PublicKey).Hex()
	node := func(name, provider string) e2e.Client {
		return e2e.Client{Name: name, CPUMHz: 4000, MemoryMB: 4096, DiskMB: 4000, RawExec: true,
			Meta: map[string]string{conventions.MetaWallet: provider, pricing.MetaCPU: "1.0", pricing.MetaMem: "0"}}
	}
	fed := e2e.StartFederation(t, e2e.FederationOptions{ACL: true, Regions: []e2e.FederatedRegion{
		// eu's provider runs one of the storage nodes; us's holds none of the tenant's data.
		{Name: "eu", Clients: []e2e.Client{node("eu-1", storage.Nodes[0].Provider.Hex())}},
		{Name: "us", Clients: []e2e.Client{node("us-1", e2e.TenantWallet)}},
	}})
	eu, us := fed.Region(t, "eu"), fed.Region(t, "us")
	eu.BindWallet(t, "default", wallet)
	e2e.Poll(t, "the namespace binding to replicate to us", time.Minute, 250*time.Millisecond, func() (bool, error) {
		ns, _, err := us.API.Namespaces().Info("default", nil)
		return err == nil && ns.Meta[conventions.MetaWallet] == wallet, nil
	})

	// The tenant stores a file with the dec2 CLI, as a consumer does.
	dec2 := e2e.BuildBinary(t, "./cmd/dec2")
	dir := t.TempDir()
	file := filepath.Join(dir, "data.bin")
	if err := os.WriteFile(file, bytes.Repeat([]byte("dec2"), 1<<18), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"s3", "mb", "s3://data"}, append([]string{"s3", "cp", file, "s3://data/data.bin"}, storage.NodeArgs()...)} {
		cmd := exec.Command(dec2, args...)
		cmd.Env = append(cleanEnv(), "DEC2_KEY="+hex.EncodeToString(crypto.FromECDSA(tenant)), "DEC2_STORAGE="+storage.Service, "XDG_CONFIG_HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("dec2 %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	keyFile := filepath.Join(dir, "meter.key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(meter))), 0o600); err != nil {
		t.Fatal(err)
	}
	var euAlloc *e2e.Allocator
	for _, r := range []*e2e.Region{eu, us} {
		a := e2e.StartAllocator(t, r, "--region", r.Name, "--leader-lock", leadership.DefaultPath,
			"--storage-url", storage.Service, "--storage-key-file", keyFile, "--storage-every", "1s")
		e2e.Poll(t, "the allocator of "+r.Name+" to lead and have read the tenants' storage", 30*time.Second, 100*time.Millisecond, func() (bool, error) {
			v, _ := a.Metric("dec2_allocator_leading")
			n, _ := a.Metric("dec2_allocator_storage_tenants")
			return v == 1 && n == 1, nil
		})
		if r == eu {
			euAlloc = a
		}
	}
	job := sleeper("near-data", 500, 128)
	job.Meta[regions.MetaKey] = "us,eu"
	if _, _, err := connect(t, euAlloc.Addr, fed.Token).Jobs().Register(job, nil); err != nil {
		t.Fatalf("registering near-data: %v", err)
	}
	if _, _, err := eu.API.Jobs().Info("near-data", nil); err != nil {
		t.Errorf("near-data is not in eu, where the tenant's data is: %v", err)
	}
	if _, _, err := us.API.Jobs().Info("near-data", nil); err == nil {
		t.Errorf("near-data was registered in us, which holds none of the tenant's data")
	}
}
