package main

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/billing-sidecar/service"
	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/identity/client"
	"github.com/dec2-cloud/dec2/instances"
	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/reputation/reputationclient"
)

// provider is one machine of the demo's mixed fleet, priced per CONVENTIONS.md's node meta.
type provider struct {
	name                     string
	cpuMHz, memoryMB, diskMB int
	cpuPrice, memPrice, diskPrice,
	gpuPrice string // per GHz-hour, GiB-hour (memory, disk) and A100-hour, in tokens
	gpus string // example fake-devices file under nomad-plugins/gpu/examples, "" for none
}

var fleet = []provider{
	{name: "laptop", cpuMHz: 2000, memoryMB: 2048, diskMB: 50_000, cpuPrice: "1.20", memPrice: "0.40", diskPrice: "0.020"},
	{name: "desktop", cpuMHz: 4000, memoryMB: 8192, diskMB: 200_000, cpuPrice: "1.00", memPrice: "0.30", diskPrice: "0.015"},
	{name: "rack-server", cpuMHz: 16000, memoryMB: 65536, diskMB: 1_000_000, cpuPrice: "0.80", memPrice: "0.20", diskPrice: "0.010", gpuPrice: "2.50", gpus: "a100x2.json"},
	// A small box with big disks: storage is what it sells. Four providers make the 2-of-4
	// erasure code the smallest region that stores with redundancy.
	{name: "nas", cpuMHz: 2000, memoryMB: 4096, diskMB: 4_000_000, cpuPrice: "1.50", memPrice: "0.50", diskPrice: "0.005"},
}

const (
	consumer = 0 // devenv's first consumer account rents the instances
	deposit  = 1000
)

// rentals are what the consumer rents: a small web server and a GPU box, both serving HTTP so
// that their health checks pass.
var rentals = []instances.Spec{
	{Name: "web", Type: "d2.nano", Args: []string{"-http", ":8080", "-mem", "32", "-cpu", "0.05"}, Ports: []int{8080}},
	{Name: "train", Type: "g1.a100x1", Args: []string{"-http", ":8080", "-mem", "64", "-cpu", "0.2"}, Ports: []int{8080}},
}

// rental is one running instance.
type rental struct {
	name, node, allocID string
	start               time.Time
}

// demo is what the run holds on to between setting up and tearing down.
type demo struct {
	t      *e2e.Runner
	out    io.Writer
	chain  *devenv.Env
	region *e2e.Region
	alloc  *e2e.Allocator
	id     *e2e.Identity
	// session is the consumer's sign-in: its Nomad token works only in its namespace.
	session client.Session
	// tenant is a client of the allocator with the consumer's token, in its namespace.
	tenant *api.Client
	// attestors watch the providers, each with its own key; k of them slash a vanish.
	attestors []*e2e.Attestor
	events    chan service.Event
	rentals   []*rental
	// disks are the providers' storage host volumes, by provider name.
	disks   map[string]string
	storage storage
}

func run(ctx context.Context, t *e2e.Runner, out io.Writer) (*demo, error) {
	d := &demo{t: t, out: out, events: make(chan service.Event, 64), disks: map[string]string{}}
	t.Log.Info("starting a dev chain and deploying the contracts")
	env, err := devenv.Start(ctx, time.Second)
	if err != nil {
		return nil, fmt.Errorf("starting the dev chain: %w", err)
	}
	d.chain = env
	t.Cleanup(env.Close)
	if err := env.Deposit(ctx, consumer, tokens(deposit)); err != nil {
		return nil, fmt.Errorf("depositing into the escrow: %w", err)
	}

	t.Log.Info("building the workload image and the GPU plugin")
	image := e2e.WorkloadImage(t)
	clients := make([]e2e.Client, len(fleet))
	for i, p := range fleet {
		clients[i] = e2e.Client{Name: p.name, CPUMHz: p.cpuMHz, MemoryMB: p.memoryMB, DiskMB: p.diskMB, Meta: map[string]string{
			conventions.MetaWallet:     env.Provider(i).Hex(),
			"dec2.price.cpu_ghz_hour":  p.cpuPrice,
			"dec2.price.mem_gb_hour":   p.memPrice,
			"dec2.price.disk_gb_hour":  p.diskPrice,
			"dec2.demo.provider_class": "demo",
		}}
		disk, err := os.MkdirTemp("", "dec2-demo-disk-"+p.name+"-")
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { os.RemoveAll(disk) })
		d.disks[p.name] = disk
		clients[i].HostVolumes = map[string]string{e2e.StorageVolume: disk}
		if p.gpus != "" {
			clients[i].Meta["dec2.price.gpu_hour.A100-80GB"] = p.gpuPrice
			clients[i] = clients[i].WithFakeGPUs(t, p.gpus, nil)
		}
	}
	t.Log.Info("starting a local region with ACLs", "providers", len(fleet))
	d.region = e2e.StartRegion(t, e2e.Options{ACL: true, Clients: clients})
	t.Log.Info("starting the identity service (sign-in with a wallet)")
	d.id = e2e.StartIdentity(t, d.region)
	t.Log.Info("starting the allocator in front of Nomad")
	d.alloc = e2e.StartAllocator(t, d.region, "--pack-all")
	// The consumer signs in before billing starts: Nomad's event stream for all namespaces covers
	// only those that exist when it is opened, and signing in creates the consumer's.
	if err := d.signIn(ctx); err != nil {
		return nil, err
	}
	if err := d.startStorage(); err != nil {
		return nil, err
	}
	if err := d.startBilling(ctx); err != nil {
		return nil, err
	}
	if err := d.startAttestors(ctx); err != nil {
		return nil, err
	}

	fmt.Fprintf(out, "\nNomad:      NOMAD_ADDR=%s  (ACLs on)\nAllocator:  NOMAD_ADDR=%s  (submit jobs here: it packs, then hands them to Nomad)\nIdentity:   %s  (dec2 login: wallet sign-in → Nomad token)\nChain:      %s  escrow %s\n",
		d.region.Addr, d.alloc.Addr, d.id.URL, env.Chain.HTTPURL, env.Addrs.Escrow.Hex())
	for _, a := range d.attestors {
		fmt.Fprintf(out, "Attestor:   %s  %s  (GET /v1/reputation, /v1/status; %d of %d sign a slash)\n", a.URL, short(common.HexToAddress(a.Addr)), attestorK, len(d.attestors))
	}
	fmt.Fprintln(out)
	if err := d.printProviders(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "\nConsumer %s deposited %d DEC2 into the escrow and authorised the billing operator.\n", env.Consumer(consumer).Hex(), deposit)
	s := d.session
	fmt.Fprintf(out, "Consumer %s signed in with its wallet (Sign-In with Ethereum): namespace %s, Nomad token %s… expires %s.\n",
		s.Wallet, s.Namespace, s.AccessorID[:8], s.ExpiresAt.Local().Format(time.RFC3339))
	for _, spec := range rentals {
		if err := d.rent(spec, image); err != nil {
			return nil, err
		}
	}
	if err := d.waitEvents("stream_open", time.Minute); err != nil {
		return nil, err
	}
	for _, r := range d.rentals {
		e2e.Poll(d.t, "the stream of "+r.name+" to open on chain", time.Minute, 500*time.Millisecond, func() (bool, error) {
			s, err := d.chain.Stream(ctx, ledger.StreamKey(r.allocID, 0))
			return err == nil && s.Rate != nil && s.Rate.Sign() > 0, nil
		})
	}
	if err := d.storeFile(ctx); err != nil {
		return nil, err
	}
	if err := d.waitStorageStreams(ctx, time.Minute); err != nil {
		return nil, err
	}
	snapCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := d.waitSnapshot(snapCtx); err != nil {
		return nil, err
	}
	return d, d.watchPay(ctx, 3, 5*time.Second)
}

// startBilling runs the billing sidecar in-process with its journal in a temporary dir.
func (d *demo) startBilling(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "dec2-demo-billing-")
	if err != nil {
		return err
	}
	d.t.Cleanup(func() { os.RemoveAll(dir) })
	cfg := d.chain.BillingConfig(d.region.Addr, d.region.Token, filepath.Join(dir, "billing.db"))
	cfg.SettleInterval = 5 * time.Second
	cfg.StorageURL, cfg.StorageInterval = d.storage.svc.URL, 2*time.Second
	cfg.Log = d.t.Log.With("component", "billing")
	cfg.OnEvent = func(e service.Event) {
		select {
		case d.events <- e:
		default:
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- service.Run(ctx, cfg) }()
	d.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			d.t.Log.Error("billing sidecar", "err", err)
		}
	})
	return nil
}

// attestorK of the demo's three attestors must sign a slash.
const attestorK = 2

// startAttestors stakes every provider in the registry and starts three attestors, the
// registry's attestor set.
func (d *demo) startAttestors(ctx context.Context) error {
	for i, p := range fleet {
		if err := d.chain.StakeProvider(ctx, d.chain.Provider(i), d.region.NodeID(d.t, p.name), tokens(1000)); err != nil {
			return err
		}
	}
	keys, addrs := e2e.AttestorKeys(d.t, 3)
	if err := d.chain.SetAttestors(ctx, addrs, attestorK); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "dec2-demo-attestors-")
	if err != nil {
		return err
	}
	d.t.Cleanup(func() { os.RemoveAll(dir) })
	deployment := filepath.Join(dir, "1337.json")
	if err := chain.WriteAddresses(deployment, d.chain.Addrs); err != nil {
		return err
	}
	d.t.Log.Info("starting the attestors", "n", len(keys), "k", attestorK)
	d.attestors = e2e.StartAttestors(d.t, d.region, keys, e2e.AttestorOptions{Token: d.region.Token,
		Args: []string{"--chain-rpc", d.chain.Chain.HTTPURL, "--deployment", deployment, "--probe-every", "5s", "--leader-hold", "30s"}})
	return nil
}

// signIn signs the consumer in with its wallet's key, as `dec2 login` does: the identity service
// binds its namespace to the wallet and Nomad gives it a token for that namespace only.
func (d *demo) signIn(ctx context.Context) error {
	key := d.chain.Key(d.chain.Consumer(consumer))
	s, err := client.Login(ctx, d.id.URL, d.region.Addr, key)
	if err != nil {
		return fmt.Errorf("signing the consumer in: %w", err)
	}
	d.session = s
	if d.tenant, err = api.NewClient(&api.Config{Address: d.alloc.Addr, SecretID: s.NomadToken, Namespace: s.Namespace}); err != nil {
		return err
	}
	d.t.Log.Info("the consumer signed in", "wallet", s.Wallet, "namespace", s.Namespace)
	return nil
}

// rent submits an instance through the allocator with the consumer's own token in its
// namespace, as `dec2 instance run` does; the namespace's wallet pays.
func (d *demo) rent(spec instances.Spec, image string) error {
	spec.Image = image
	job, err := instances.Job(d.tenant, spec)
	if err != nil {
		return fmt.Errorf("renting %s: %w", spec.Name, err)
	}
	job.Namespace = &d.session.Namespace
	if _, _, err := d.tenant.Jobs().Register(job, nil); err != nil {
		return fmt.Errorf("renting %s: %w", spec.Name, err)
	}
	a, err := waitRunning(d.region.API, d.session.Namespace, spec.Name, 3*time.Minute)
	if err != nil {
		return err
	}
	node, _, err := d.region.API.Nodes().Info(a.NodeID, nil)
	if err != nil {
		return err
	}
	d.rentals = append(d.rentals, &rental{name: spec.Name, node: node.Name, allocID: a.ID, start: time.Now()})
	ty, _ := catalog.Lookup(spec.Type)
	fmt.Fprintf(d.out, "\nRented %q (%s: %s) through the allocator in %s: running on %s, allocation %s.\n", spec.Name, ty.Name, ty.Description, d.session.Namespace, node.Name, a.ID[:8])
	for _, dev := range a.AllocatedResources.Tasks["instance"].Devices {
		fmt.Fprintf(d.out, "It holds %s/%s/%s %s (the container sees NVIDIA_VISIBLE_DEVICES).\n", dev.Vendor, dev.Type, dev.Name, strings.Join(dev.DeviceIDs, ","))
	}
	for _, p := range a.AllocatedResources.Shared.Ports {
		url := fmt.Sprintf("http://127.0.0.1:%d/", p.Value)
		body, err := get(url)
		if err != nil {
			return fmt.Errorf("reaching %s at %s: %w", spec.Name, url, err)
		}
		fmt.Fprintf(d.out, "It answers at %s: %s\n", url, strings.TrimSpace(body))
	}
	return nil
}

// waitEvents prints billing events until every rental has had one of kind.
func (d *demo) waitEvents(kind string, timeout time.Duration) error {
	waiting := map[string]bool{}
	for _, r := range d.rentals {
		waiting[r.allocID] = true
	}
	deadline := time.After(timeout)
	for len(waiting) > 0 {
		select {
		case e := <-d.events:
			// The storage nodes are the providers' own jobs in the operator's namespace,
			// billed to no one by design; billing says so, and the demo need not.
			if !waiting[e.AllocID] && (e.Kind != "bad_input" || strings.HasPrefix(e.JobID, "dec2-storagenode-")) {
				continue
			}
			fmt.Fprintf(d.out, "Billing: %s for %s (%s)\n", strings.ReplaceAll(e.Kind, "_", " "), e.JobID, e.Detail)
			if e.Kind == kind {
				delete(waiting, e.AllocID)
			}
		case <-deadline:
			return fmt.Errorf("no billing %s for %d of the rentals after %s", kind, len(waiting), timeout)
		}
	}
	return nil
}

// watchPay prints what the instance has cost so far, n times.
func (d *demo) watchPay(ctx context.Context, n int, every time.Duration) error {
	for i := range n {
		if i > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(every):
			}
		}
		if err := d.printPay(ctx, "Paying as it runs"); err != nil {
			return err
		}
	}
	return nil
}

func (d *demo) printPay(ctx context.Context, what string) error {
	acct, err := d.chain.Account(ctx, consumer)
	if err != nil {
		return err
	}
	for _, r := range d.rentals {
		s, err := d.chain.Stream(ctx, ledger.StreamKey(r.allocID, 0))
		if err != nil {
			return fmt.Errorf("reading the stream of %s: %w", r.name, err)
		}
		earned, err := d.chain.Balance(ctx, s.Provider)
		if err != nil {
			return err
		}
		perHour := new(big.Int).Mul(s.Rate, big.NewInt(3600))
		fmt.Fprintf(d.out, "%s (+%2.0fs): %-5s on %-11s rate %s DEC2/h | provider %s earned %s | still owed %s | consumer escrow %s\n",
			what, time.Since(r.start).Seconds(), r.name, r.node, units(perHour), short(s.Provider), units(earned), units(s.Owed), units(new(big.Int).Sub(acct.Balance, acct.Owed)))
	}
	d.printStoragePay(ctx, what)
	return nil
}

// stop ends the rentals and shows their streams closing.
func (d *demo) stop(ctx context.Context) error {
	fmt.Fprintln(d.out)
	for _, r := range d.rentals {
		// The consumer stops its own instances; once its token has expired (an hour after
		// signing in), the region's operator does.
		if _, _, err := d.tenant.Jobs().Deregister(r.name, false, nil); err != nil {
			d.t.Log.Warn("the consumer's token could not stop its instance; stopping it as the operator", "instance", r.name, "err", err)
			if _, _, err := d.region.API.Jobs().Deregister(r.name, false, &api.WriteOptions{Namespace: d.session.Namespace}); err != nil {
				return fmt.Errorf("stopping %s: %w", r.name, err)
			}
		}
		fmt.Fprintf(d.out, "Stopped %q.\n", r.name)
	}
	if err := d.waitEvents("stream_close", time.Minute); err != nil {
		return err
	}
	if err := d.deleteFile(ctx); err != nil {
		return err
	}
	// A close is final once it is mined; pay stops there.
	for _, r := range d.rentals {
		e2e.Poll(d.t, "the stream of "+r.name+" to close on chain", time.Minute, 500*time.Millisecond, func() (bool, error) {
			s, err := d.chain.Stream(ctx, ledger.StreamKey(r.allocID, 0))
			return err == nil && s.End != 0, nil
		})
	}
	return d.printPay(ctx, "Paid in all")
}

func (d *demo) printProviders(ctx context.Context) error {
	c := d.region.API
	stubs, _, err := c.Nodes().List(nil)
	if err != nil {
		return fmt.Errorf("listing nodes: %w", err)
	}
	sort.Slice(stubs, func(i, j int) bool { return stubs[i].Name < stubs[j].Name })
	var urls []string
	for _, a := range d.attestors {
		urls = append(urls, a.URL)
	}
	reports, _ := reputationclient.Fetch(ctx, http.DefaultClient, urls) // an attestor still starting shows as "-"
	rep := reputation.Combine(reports)
	w := tabwriter.NewWriter(d.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "PROVIDER\tNODE\tSTATUS\tCPU MHz\tMEMORY MiB\tGPUs\tWALLET\tEARNED DEC2\tDEC2/GHz-h\tDEC2/GiB-h\tDISK DEC2/GiB-h\tREPUTATION")
	for _, s := range stubs {
		n, _, err := c.Nodes().Info(s.ID, nil)
		if err != nil {
			return fmt.Errorf("reading node %s: %w", s.Name, err)
		}
		var gpus []string
		for _, dev := range n.NodeResources.Devices {
			gpus = append(gpus, fmt.Sprintf("%d× %s/%s", len(dev.Instances), dev.Vendor, dev.Name))
		}
		if len(gpus) == 0 {
			gpus = []string{"-"}
		}
		wallet := common.HexToAddress(n.Meta[conventions.MetaWallet])
		bal, err := d.chain.Balance(ctx, wallet)
		if err != nil {
			return err
		}
		score := "-"
		if c, ok := rep[n.ID]; ok {
			score = fmt.Sprintf("%.2f", c.Score)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", n.Name, n.ID[:8], n.Status,
			n.NodeResources.Cpu.CpuShares, n.NodeResources.Memory.MemoryMB, strings.Join(gpus, ","), short(wallet), units(bal),
			n.Meta["dec2.price.cpu_ghz_hour"], n.Meta["dec2.price.mem_gb_hour"], n.Meta["dec2.price.disk_gb_hour"], score)
	}
	return w.Flush()
}

func waitRunning(c *api.Client, namespace, job string, timeout time.Duration) (*api.Allocation, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		allocs, _, err := c.Jobs().Allocations(job, false, &api.QueryOptions{Namespace: namespace})
		if err == nil {
			for _, a := range allocs {
				if a.ClientStatus == api.AllocClientStatusRunning {
					full, _, err := c.Allocations().Info(a.ID, nil)
					return full, err
				}
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	return nil, fmt.Errorf("job %s not running after %s", job, timeout)
}

func get(url string) (string, error) {
	c := http.Client{Timeout: 5 * time.Second}
	var lastErr error
	for range 20 {
		resp, err := c.Get(url)
		if err == nil {
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			return string(body), err
		}
		lastErr = err
		time.Sleep(250 * time.Millisecond)
	}
	return "", lastErr
}

func tokens(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

// units prints base units as DEC2 with six decimals.
func units(v *big.Int) string {
	micro := new(big.Int).Quo(v, big.NewInt(1e12))
	return fmt.Sprintf("%d.%06d", new(big.Int).Quo(micro, big.NewInt(1e6)), new(big.Int).Rem(micro, big.NewInt(1e6)))
}

func short(a common.Address) string { h := a.Hex(); return h[:6] + "…" + h[len(h)-4:] }
