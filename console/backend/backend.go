// Package backend is the console's adapter to the parts the CLI talks to: Nomad and the
// allocator (through instances and cli/instance, and the allocator's last packing), the chain
// (cli/wallet, cli/provider), the billing sidecar's /statement, the attestors' reputation and
// the storage service (through the gateway `dec2 s3` runs in process). It turns what they answer into
// the console's views (package view) and holds no pricing or status logic of its own.
package backend

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/cli/instance"
	"github.com/dec2-cloud/dec2/cli/provider"
	"github.com/dec2-cloud/dec2/cli/settings"
	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/console/view"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/instances"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/pricing/nomadprices"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/gateway"
)

// Config is what the console works with: the CLI's resolved settings and its wallet key.
type Config struct {
	Settings settings.Settings
	// Key is the wallet the console acts as (DEC2_KEY / --key-file), as `nomad ui` acts with
	// the CLI's token: the browser never holds a key.
	Key *ecdsa.PrivateKey
	// Wallet is the wallet the console acts for when it holds no Key: the region console's
	// signed-in user, whose key stays in the browser's wallet. The console then reads and
	// launches with Settings' token, builds deposits and withdrawals unsigned for the browser
	// wallet to send (DepositTxs, WithdrawTxs), and shows of the wallet's storage only what
	// Meter reads (Holdings): listing buckets takes the wallet's key.
	Wallet common.Address
	// Attestors are the attestors' base URLs the provider page asks for reputation.
	Attestors []string
	// Storage is the storage service's URL (dec2 s3's --storage, DEC2_STORAGE); "" leaves
	// the buckets page saying storage is not configured.
	Storage string
	// Master is the key bucket and object names are encrypted with, as `dec2 s3` reads it;
	// the zero key means the one derived from Key (crypt.MasterFromWallet), the CLI's default.
	Master crypt.Key
	// Meter reads the tenants' storage usage for a console that holds no Key (the region
	// console, one Meter for every user): the buckets page then shows the wallet's holdings by
	// provider (Holdings); nil leaves it saying storage is not configured.
	Meter *Meter
	Log   *slog.Logger
}

// Backend answers the console's pages.
type Backend struct {
	cfg    Config
	who    common.Address
	nomad  *api.Client
	ic     *instances.Client
	wallet *wallet.Wallet
	store  *gateway.Backend // nil without Config.Storage
	http   *http.Client
	log    *slog.Logger
	// events are the latest of Nomad's events for the operator page (followEvents).
	events struct {
		sync.Mutex
		ring view.Events
		err  string
	}
}

// ErrNoKey is a console with neither a wallet key nor a wallet to act for.
var ErrNoKey = errors.New("no wallet key: start the console with DEC2_KEY or --key-file set")

// ErrKeyInWallet is an action the wallet must sign (a deposit, a withdrawal) in a console
// that holds no key: the region console, whose users' keys stay in their browser wallets.
// The region console sends them through the browser wallet instead (DepositTxs, WithdrawTxs).
var ErrKeyInWallet = errors.New("this console holds no wallet key (yours stays in your browser wallet) and cannot sign this transaction: " +
	"send it from the wallet page, which asks your browser wallet, or with `dec2 wallet deposit` / `dec2 wallet withdraw`")

// New connects to Nomad, the allocator and the chain as the CLI does.
func New(ctx context.Context, cfg Config) (*Backend, error) {
	who := cfg.Wallet
	switch {
	case cfg.Key != nil:
		who = crypto.PubkeyToAddress(cfg.Key.PublicKey)
	case who == (common.Address{}):
		return nil, ErrNoKey
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	s := cfg.Settings
	nomad, err := instance.Connect(s.NomadAddr, s.NomadToken, s.Namespace, s.Region)
	if err != nil {
		return nil, err
	}
	via, err := instance.Connect(s.Allocator, s.NomadToken, s.Namespace, s.Region)
	if err != nil {
		return nil, err
	}
	if cfg.Master == (crypt.Key{}) && cfg.Key != nil {
		if cfg.Master, err = crypt.MasterFromWallet(cfg.Key); err != nil {
			return nil, err
		}
	}
	store, err := openStorage(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Settings.Allocator == "" {
		cfg.Settings.Allocator = s.NomadAddr // the CLI submits through Nomad itself then
	}
	w, err := wallet.Open(ctx, s.RPCURL, s.Deployment, cfg.Key)
	if err != nil {
		return nil, err
	}
	b := &Backend{cfg: cfg, who: who, nomad: nomad,
		ic: instances.New(nomad, via), wallet: w, store: store, http: &http.Client{Timeout: 10 * time.Second}, log: cfg.Log}
	b.events.ring.Cap = opEvents
	return b, nil
}

// Close ends the chain connection.
func (b *Backend) Close() { b.wallet.Close() }

// Wallet is the console's wallet address.
func (b *Backend) Wallet() string { return b.who.Hex() }

// Namespace is the Nomad namespace the console works in ("" = Nomad's default).
func (b *Backend) Namespace() string { return b.cfg.Settings.Namespace }

// walletFilter is whose instances are listed: signed in (`dec2 login`), the namespace holds
// only the wallet's, as `dec2 instance ls` reads it; otherwise those billed to the key's wallet.
func (b *Backend) walletFilter() string {
	if b.cfg.Settings.Namespace != "" {
		return ""
	}
	return b.who.Hex()
}

// describeWorkers bounds the reads of one page's instances at once.
const describeWorkers = 8

// Instances lists the wallet's instances and describes those on page number (each one's
// allocations, nodes and cost, as `dec2 instance describe`).
func (b *Backend) Instances(ctx context.Context, number, perPage int) (view.Page, []view.InstanceRow, error) {
	list, err := instance.ListAll(ctx, b.ic, b.walletFilter())
	if err != nil {
		return view.Page{}, nil, err
	}
	p := view.Paginate(len(list), number, perPage)
	rows := make([]view.InstanceRow, p.End-p.Start)
	var wg sync.WaitGroup
	sem := make(chan struct{}, describeWorkers)
	for i, s := range list[p.Start:p.End] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			rows[i] = b.row(ctx, s)
		}()
	}
	wg.Wait()
	return p, rows, nil
}

func (b *Backend) row(ctx context.Context, s instance.Summary) view.InstanceRow {
	r := view.InstanceRow{Name: s.Name, Status: s.Status}
	d, err := b.ic.Describe(ctx, s.Name)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	in := instance.Build(d.Job, d.Allocs, d.Full, d.Nodes)
	r.Image, r.CostPerHour = in.Image, in.CostPerHour
	for _, p := range in.Placements {
		cost := p.CostPerHour
		if p.PriceError != "" {
			cost = "unpriced: " + p.PriceError
		}
		pr := view.PlacementRow{Alloc: p.AllocID[:min(8, len(p.AllocID))], Node: p.Node, Provider: p.Provider, Status: p.Status, Cost: cost}
		for _, l := range slices.Sorted(maps.Keys(p.Addresses)) {
			pr.Addresses = append(pr.Addresses, l+"="+p.Addresses[l])
		}
		r.Placements = append(r.Placements, pr)
	}
	return r
}

// Launch submits spec through the allocator, paid by the console's wallet, after the checks
// `dec2 instance run` makes (the spec, the escrow deposit, the billing operator). It returns
// once the allocator has placed it; the instances page follows it from there. Bad input is a
// *view.FieldError.
func (b *Backend) Launch(ctx context.Context, spec instances.Spec) error {
	spec.Wallet = b.who.Hex()
	if err := spec.Validate(); err != nil {
		return view.SpecError(err)
	}
	var op common.Address
	if o := b.cfg.Settings.Operator; o != "" {
		if !common.IsHexAddress(o) {
			return fmt.Errorf("operator %q in the settings: want a 0x address", o)
		}
		op = common.HexToAddress(o)
	}
	if err := b.wallet.RequireFunds(ctx, b.who, op); err != nil {
		return err
	}
	if _, _, err := b.ic.Submit(ctx, spec); err != nil {
		return fmt.Errorf("submitting %s: %w", spec.Name, err)
	}
	return nil
}

// Stop stops an instance without waiting: its allocations' stops reach the page as events.
func (b *Backend) Stop(ctx context.Context, name string) error {
	return instance.Stop(ctx, b.ic, name, false, false)
}

// maxLog is how much of an instance's output the logs link shows.
const maxLog = 256 << 10

// Logs writes the start of an instance's stdout (its running allocation's only task).
func (b *Backend) Logs(ctx context.Context, name string, w io.Writer) error {
	a, err := instance.Pick(ctx, b.nomad, name, "")
	if err != nil {
		return err
	}
	task, err := instance.TaskOf(a, "")
	if err != nil {
		return err
	}
	lw := &limitWriter{w: w, left: maxLog}
	return instance.Logs(ctx, b.nomad, a, task, "stdout", false, lw)
}

type limitWriter struct {
	w    io.Writer
	left int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) > l.left {
		p = p[:l.left]
	}
	l.left -= len(p)
	if _, err := l.w.Write(p); err != nil {
		return 0, err
	}
	return n, nil
}

// Nodes reads every node of the region with its prices, capacity and what its running
// allocations reserve (priced and summed as billing does, by pricing/nomadprices).
func (b *Backend) Nodes(ctx context.Context) ([]view.Node, error) {
	q := (&api.QueryOptions{}).WithContext(ctx)
	stubs, _, err := b.nomad.Nodes().List(q)
	if err != nil {
		return nil, fmt.Errorf("listing nodes: %w", err)
	}
	out := make([]view.Node, 0, len(stubs))
	for _, s := range stubs {
		n, _, err := b.nomad.Nodes().Info(s.ID, q)
		if err != nil {
			return nil, fmt.Errorf("reading node %s: %w", s.Name, err)
		}
		v := view.Node{ID: n.ID, Name: n.Name, Status: n.Status, Wallet: n.Meta[conventions.MetaWallet], GPUs: map[string]int64{}}
		if n.SchedulingEligibility != api.NodeSchedulingEligible || n.DrainStrategy != nil {
			v.Status = "ineligible"
		}
		if v.Prices, err = nomadprices.Prices(n); err != nil {
			v.PriceError = err.Error()
		}
		if r := n.NodeResources; r != nil {
			v.CapacityCPU, v.CapacityMem, v.CapacityDisk = int64(r.Cpu.CpuShares), r.Memory.MemoryMB, r.Disk.DiskMB
			for _, d := range r.Devices {
				if d.Type == "gpu" {
					v.GPUs[d.Name] += int64(len(d.Instances))
				}
			}
		}
		if r := n.ReservedResources; r != nil {
			v.CapacityCPU -= int64(r.Cpu.CpuShares)
			v.CapacityMem -= int64(r.Memory.MemoryMB)
			v.CapacityDisk -= int64(r.Disk.DiskMB)
		}
		allocs, _, err := b.nomad.Nodes().Allocations(n.ID, q)
		if err != nil {
			return nil, fmt.Errorf("listing allocations of node %s: %w", n.Name, err)
		}
		for _, a := range allocs {
			if a.ClientStatus != api.AllocClientStatusRunning && a.ClientStatus != api.AllocClientStatusPending {
				continue
			}
			r := nomadprices.Reserved(a)
			v.UsedCPU, v.UsedMem, v.UsedDisk = v.UsedCPU+r.CPUMHz, v.UsedMem+r.MemMB, v.UsedDisk+r.DiskMB
			for m, c := range r.GPUs {
				v.GPUs[m] -= c
			}
			if a.ClientStatus == api.AllocClientStatusRunning {
				v.Allocations++
			}
		}
		out = append(out, v)
	}
	slices.SortFunc(out, func(x, y view.Node) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}

// Quotes prices each catalogue type where the allocator would place it now (its dry run,
// instances.Client.Where), at billing's prices (view.Quotes).
func (b *Backend) Quotes(ctx context.Context) ([]view.Quote, error) {
	nodes, err := b.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	types := catalog.Types()
	plans := make([]view.Plan, len(types))
	var wg sync.WaitGroup
	for i, t := range types {
		wg.Go(func() {
			p, err := b.ic.Where(ctx, t.Name)
			switch {
			case err != nil:
				plans[i].Reason = err.Error()
			case !p.Placeable:
				plans[i].Reason = p.Reason
			default:
				plans[i].Nodes = p.Nodes
			}
		})
	}
	wg.Wait()
	byType := make(map[string]view.Plan, len(types))
	for i, t := range types {
		byType[t.Name] = plans[i]
	}
	return view.Quotes(types, nodes, byType), nil
}

// Balance is the wallet's tokens and escrow account.
func (b *Backend) Balance(ctx context.Context) (wallet.Balance, error) {
	return b.wallet.BalanceOf(ctx, b.who)
}

// Deposit moves amount into the escrow (authorising the configured billing operator).
func (b *Backend) Deposit(ctx context.Context, amount *big.Int) (wallet.Receipts, error) {
	if b.cfg.Key == nil {
		return nil, ErrKeyInWallet
	}
	return b.wallet.Deposit(ctx, amount, b.operator())
}

// DepositTxs is Deposit for a console that holds no key (the region console): the
// transactions `dec2 wallet deposit` sends, unsigned, for the signed-in user's browser wallet
// to send in order. An approve where the escrow's allowance is short of amount (the wallet
// already lets it take enough otherwise), the deposit, and the billing operator's
// authorisation where it is not yet given. Too few tokens is refused here, before the wallet
// is asked for anything.
func (b *Backend) DepositTxs(ctx context.Context, amount *big.Int) (view.Unsigned, error) {
	tok := b.wallet.Client.Token(b.wallet.Addrs.Token)
	esc := b.wallet.Client.Escrow(b.wallet.Addrs.Escrow)
	have, err := tok.BalanceOf(ctx, b.who)
	if err != nil {
		return view.Unsigned{}, fmt.Errorf("reading the token balance of %s: %w", b.who, err)
	}
	if have.Cmp(amount) < 0 {
		return view.Unsigned{}, fmt.Errorf("wallet %s holds %s tokens, less than the %s to deposit: buy or receive tokens first",
			b.who, pricing.FormatAmount(have), pricing.FormatAmount(amount))
	}
	allowed, err := tok.Allowance(ctx, b.who, esc.Addr)
	if err != nil {
		return view.Unsigned{}, fmt.Errorf("reading what the escrow may take of %s's tokens: %w", b.who, err)
	}
	var txs []view.Tx
	if allowed.Cmp(amount) < 0 {
		txs = append(txs, unsigned("approve the escrow to take "+pricing.FormatAmount(amount)+" DEC2", tok.Addr, tok.ApproveData(esc.Addr, amount)))
	}
	txs = append(txs, unsigned("deposit "+pricing.FormatAmount(amount)+" DEC2", esc.Addr, esc.DepositData(amount)))
	if op := b.operator(); op != (common.Address{}) {
		ok, err := esc.IsOperator(ctx, b.who, op)
		if err != nil {
			return view.Unsigned{}, fmt.Errorf("checking the billing operator %s: %w", op, err)
		}
		if !ok {
			txs = append(txs, unsigned("authorise billing operator "+op.Hex(), esc.Addr, esc.SetOperatorData(op, true)))
		}
	}
	return b.toSend(txs, "Deposit", amount), nil
}

// WithdrawTxs is Withdraw for a console that holds no key: the withdrawal, unsigned, for the
// browser wallet to send. More than is refundable is refused here, where the chain would
// revert it.
func (b *Backend) WithdrawTxs(ctx context.Context, amount *big.Int) (view.Unsigned, error) {
	esc := b.wallet.Client.Escrow(b.wallet.Addrs.Escrow)
	acc, err := esc.Account(ctx, b.who)
	if err != nil {
		return view.Unsigned{}, fmt.Errorf("reading the escrow account of %s: %w", b.who, err)
	}
	if acc.Refundable.Cmp(amount) < 0 {
		return view.Unsigned{}, fmt.Errorf("only %s DEC2 of the deposit is refundable, less than the %s to withdraw",
			pricing.FormatAmount(acc.Refundable), pricing.FormatAmount(amount))
	}
	txs := []view.Tx{unsigned("withdraw "+pricing.FormatAmount(amount)+" DEC2", esc.Addr, esc.WithdrawData(amount))}
	return b.toSend(txs, "Withdrawal", amount), nil
}

func (b *Backend) toSend(txs []view.Tx, what string, amount *big.Int) view.Unsigned {
	return view.Unsigned{ChainID: b.wallet.Client.ChainID().Uint64(), From: b.who.Hex(), Txs: txs,
		Done: fmt.Sprintf("%s of %s DEC2 done in %d transaction(s).", what, pricing.FormatAmount(amount), len(txs))}
}

func unsigned(action string, to common.Address, data []byte) view.Tx {
	return view.Tx{Action: action, To: to.Hex(), Data: hexutil.Encode(data)}
}

// operator is the billing operator a deposit authorises; the zero address when none is set.
func (b *Backend) operator() common.Address {
	if o := b.cfg.Settings.Operator; common.IsHexAddress(o) {
		return common.HexToAddress(o)
	}
	return common.Address{}
}

// Withdraw takes amount of the refundable deposit back.
func (b *Backend) Withdraw(ctx context.Context, amount *big.Int) (wallet.Receipts, error) {
	if b.cfg.Key == nil {
		return nil, ErrKeyInWallet
	}
	return b.wallet.Withdraw(ctx, amount)
}

// Statement is billing's statement of the wallet, as consumer or (earnings) as provider.
func (b *Backend) Statement(ctx context.Context, asProvider bool, since string) (wallet.Statement, error) {
	q := wallet.StatementQuery{Since: since}
	if asProvider {
		q.Provider = b.who.Hex()
	} else {
		q.Consumer = b.who.Hex()
	}
	return wallet.ReadStatement(ctx, b.cfg.Settings.BillingURL, q)
}

// ProviderNodes is the standing of each node whose dec2.wallet is the console's wallet, as
// `dec2 provider status` reads it: Nomad, the registry and the attestors.
func (b *Backend) ProviderNodes(ctx context.Context, nodes []view.Node) ([]provider.Status, error) {
	var out []provider.Status
	for _, n := range nodes {
		if !strings.EqualFold(n.Wallet, b.who.Hex()) {
			continue
		}
		s, err := provider.ReadStatus(ctx, b.wallet, b.nomad, b.who, n.ID)
		if err != nil {
			return nil, err
		}
		s.Attestors, s.Reputation = provider.ReadReputation(ctx, http.DefaultClient, b.cfg.Attestors, n.ID)
		out = append(out, s)
	}
	return out, nil
}

// Host reads the machine's own load from its Nomad client's host statistics (Nomad forwards
// the read to the client; the token needs node:read).
func (b *Backend) Host(ctx context.Context, nodeID string) (*view.HostUse, error) {
	st, err := b.nomad.Nodes().Stats(nodeID, (&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("reading node %s's host statistics: %w", nodeID, err)
	}
	return HostUse(st), nil
}

// HostUse is what the provider page shows of a client's host statistics: CPU busy over its
// cores, memory, the allocation directory's disk, and each GPU's load from its device plugin.
func HostUse(st *api.HostStats) *view.HostUse {
	h := &view.HostUse{}
	if len(st.CPU) > 0 {
		var idle float64
		for _, c := range st.CPU {
			idle += c.Idle
		}
		h.CPUPercent = 100 - idle/float64(len(st.CPU))
	}
	if m := st.Memory; m != nil {
		h.MemoryUsedMiB, h.MemoryTotalMiB = int64(m.Used>>20), int64(m.Total>>20)
	}
	if d := st.AllocDirStats; d != nil {
		h.DiskPercent = d.UsedPercent
	}
	for _, g := range st.DeviceStats {
		if g == nil || g.Type != "gpu" {
			continue
		}
		for _, id := range slices.Sorted(maps.Keys(g.InstanceStats)) {
			u := view.GPUUse{Model: g.Name, ID: id}
			if ds := g.InstanceStats[id]; ds != nil && ds.Stats != nil {
				attrs := ds.Stats.Attributes
				u.Utilization, u.HasUtilization = statValue(attrs[conventions.GPUStatUtilization])
				u.MemoryUsedMiB, _ = statValue(attrs[conventions.GPUStatMemoryUsed])
				u.MemoryTotalMiB, _ = statValue(attrs[conventions.GPUStatMemoryTotal])
			}
			h.GPUs = append(h.GPUs, u)
		}
	}
	return h
}

// statValue is a device statistic's number, whichever of Nomad's forms it takes.
func statValue(v *api.StatValue) (float64, bool) {
	switch {
	case v == nil:
		return 0, false
	case v.FloatNumeratorVal != nil:
		return *v.FloatNumeratorVal, true
	case v.IntNumeratorVal != nil:
		return float64(*v.IntNumeratorVal), true
	}
	return 0, false
}

// pollEvery is how often Watch looks again while Nomad's event stream cannot be read.
const pollEvery = 5 * time.Second

// Watch calls changed whenever a job or allocation of the namespace changes, from Nomad's
// event stream, until ctx ends. When the stream cannot be read (an old token's ACL, a
// proxy that buffers) it calls changed every few seconds instead, and tries the stream again.
// It follows the operator page's events beside it.
func (b *Backend) Watch(ctx context.Context, changed func()) {
	go b.followEvents(ctx)
	topics := map[api.Topic][]string{api.TopicJob: {"*"}, api.TopicAllocation: {"*"}}
	b.consume(ctx, topics, "", func() uint64 { return 0 }, func(e *api.Events) {
		if len(e.Events) > 0 {
			changed()
		}
	}, func(err error) {
		b.log.Warn("console: Nomad's event stream failed; polling", "err", err)
		changed()
	})
}

// consume reads Nomad's event stream of topics in namespace ("" = the client's), from the
// index from gives, until ctx ends, handing each batch that is not a heartbeat to each. When
// the stream fails, onFail is told and the stream is opened again after pollEvery.
func (b *Backend) consume(ctx context.Context, topics map[api.Topic][]string, namespace string, from func() uint64, each func(*api.Events), onFail func(error)) {
	for ctx.Err() == nil {
		evs, err := b.nomad.EventStream().Stream(ctx, topics, from(), (&api.QueryOptions{Namespace: namespace}).WithContext(ctx))
		if err == nil {
			err = drain(ctx, evs, each)
		}
		if ctx.Err() != nil {
			return
		}
		onFail(err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pollEvery):
		}
	}
}

// drain hands each batch of evs but heartbeats to each until the stream fails or ctx ends.
func drain(ctx context.Context, evs <-chan *api.Events, each func(*api.Events)) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-evs:
			if !ok {
				return errors.New("the event stream ended")
			}
			if e.Err != nil {
				return fmt.Errorf("reading Nomad's event stream: %w", e.Err)
			}
			if !e.IsHeartbeat() {
				each(e)
			}
		}
	}
}
