// Package provider is what `dec2 provider` does: join a machine to a region (its Nomad client
// config, its node ID, a stake in ProviderRegistry), report its standing, and leave (drain the
// node, unbond the stake).
package provider

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/cli/clientconfig"
	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/reputation"
)

// ConfigName is the client config's file name inside the data dir.
const ConfigName = "dec2-client.hcl"

// NodeID returns the Nomad node ID the agent with dataDir will have, creating it when the agent
// never ran: Nomad reads <data_dir>/client/client-id at start and keeps an ID it finds there, so
// the stake can name the node before the node exists.
func NodeID(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "client", "client-id")
	b, err := os.ReadFile(path)
	if err == nil && strings.TrimSpace(string(b)) != "" {
		return strings.ToLower(strings.TrimSpace(string(b))), nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("reading the node ID: %w", err)
	}
	id := newUUID()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("creating the agent's state dir: %w", err)
	}
	if err := os.WriteFile(path, []byte(id), 0o600); err != nil {
		return "", fmt.Errorf("writing the node ID: %w", err)
	}
	return id, nil
}

// ReadNodeID returns the node ID of an agent that joined with dataDir.
func ReadNodeID(dataDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, "client", "client-id"))
	if err != nil {
		return "", fmt.Errorf("no node ID under %s (run `dec2 provider join` first, or pass --data-dir or --node): %w", dataDir, err)
	}
	return strings.ToLower(strings.TrimSpace(string(b))), nil
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Joined is what `dec2 provider join` did.
type Joined struct {
	NodeID     string `json:"node_id"`
	Wallet     string `json:"wallet"`
	ConfigPath string `json:"config_path"`
	Stake      string `json:"stake"`
	// Registered is false when the wallet had already staked for this node (a re-run).
	Registered bool   `json:"registered"`
	Tx         string `json:"tx,omitempty"`
	Start      string `json:"start"` // the command that starts the agent
}

func (j Joined) Header() []string { return nil }

func (j Joined) Rows() [][]string {
	return [][]string{
		{"node id:", j.NodeID}, {"wallet:", j.Wallet}, {"config:", j.ConfigPath},
		{"stake:", j.Stake}, {"transaction:", j.Tx}, {"start the agent:", j.Start},
	}
}

// Join writes cfg to its data dir, fixes the node ID, and registers the node in
// ProviderRegistry with stake (approving the registry first). w must sign as cfg.Wallet.
func Join(ctx context.Context, w *wallet.Wallet, cfg clientconfig.Config, stake *big.Int, nomadBin string) (Joined, error) {
	if err := cfg.Validate(); err != nil {
		return Joined{}, err
	}
	if w.Address() != cfg.Wallet {
		return Joined{}, fmt.Errorf("--wallet %s differs from the key's address %s: the stake is made by the key, so they must match", cfg.Wallet, w.Address())
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return Joined{}, fmt.Errorf("creating --data-dir: %w", err)
	}
	nodeID, err := NodeID(cfg.DataDir)
	if err != nil {
		return Joined{}, err
	}
	path := filepath.Join(cfg.DataDir, ConfigName)
	if err := writeAtomic(path, []byte(cfg.Render())); err != nil {
		return Joined{}, fmt.Errorf("writing the client config: %w", err)
	}
	j := Joined{NodeID: nodeID, Wallet: cfg.Wallet.Hex(), ConfigPath: path, Start: fmt.Sprintf("%s agent -config %s", nomadBin, path)}

	reg := w.Client.Registry(w.Addrs.Registry)
	p, err := reg.Provider(ctx, cfg.Wallet)
	if err != nil {
		return Joined{}, fmt.Errorf("reading the registry entry of %s: %w", cfg.Wallet, err)
	}
	switch {
	case p.NodeIdHash == chain.NodeIDHash(nodeID):
		j.Stake = pricing.FormatAmount(p.Stake)
		return j, nil
	case p.NodeIdHash != [32]byte{}:
		return Joined{}, fmt.Errorf("wallet %s already stakes for another node (one machine per wallet): join this one with another wallet, or `dec2 provider leave` on the other machine and withdraw first", cfg.Wallet)
	}
	if _, err := w.Client.Token(w.Addrs.Token).Approve(ctx, w.Addrs.Registry, stake); err != nil {
		return Joined{}, fmt.Errorf("approving the registry to take the %s token stake: %w", pricing.FormatAmount(stake), err)
	}
	r, err := reg.Register(ctx, nodeID, stake)
	switch {
	case chain.IsRevert(err, "StakeBelowMinimum"):
		return Joined{}, fmt.Errorf("--stake %s is below the registry's minimum: %w", pricing.FormatAmount(stake), err)
	case err != nil:
		return Joined{}, fmt.Errorf("registering node %s with a %s token stake (does the wallet hold the tokens? see `dec2 wallet balance`): %w", nodeID, pricing.FormatAmount(stake), err)
	}
	j.Registered, j.Tx, j.Stake = true, r.TxHash.Hex(), pricing.FormatAmount(stake)
	return j, nil
}

func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Status is a provider's standing: on chain, in Nomad, and with the attestors.
type Status struct {
	Wallet       string `json:"wallet"`
	NodeID       string `json:"node_id"`
	Node         string `json:"node,omitempty"`
	NodeStatus   string `json:"node_status"` // ready, down, … or "unknown" when Nomad has no such node
	Eligibility  string `json:"eligibility,omitempty"`
	Draining     bool   `json:"draining"`
	Allocations  int    `json:"running_allocations"`
	Stake        string `json:"stake"`
	Unbonding    string `json:"unbonding"`
	UnbondableAt string `json:"unbondable_at,omitempty"`
	Active       bool   `json:"active"`
	Slashes      uint32 `json:"slashes"`
	// Registered is whether the registry's node matches this node ID.
	Registered bool `json:"registered"`
	// Attestors is what each attestor asked says of the node, in the order asked.
	Attestors []AttestorView `json:"attestors,omitempty"`
	// Reputation is the attestors' combined view, as the allocator takes it; nil when no
	// attestor that answered knows the node.
	Reputation *reputation.Combined `json:"reputation,omitempty"`
}

func (s Status) Header() []string { return nil }

func (s Status) Rows() [][]string {
	rows := [][]string{
		{"wallet:", s.Wallet}, {"node:", s.NodeID + " " + s.Node}, {"status:", s.NodeStatus},
		{"eligibility:", s.Eligibility}, {"draining:", fmt.Sprint(s.Draining)},
		{"running allocations:", fmt.Sprint(s.Allocations)}, {"registered:", fmt.Sprint(s.Registered)},
		{"active:", fmt.Sprint(s.Active)}, {"stake:", s.Stake}, {"unbonding:", s.Unbonding},
		{"unbondable at:", s.UnbondableAt}, {"slashes:", fmt.Sprint(s.Slashes)},
	}
	for _, a := range s.Attestors {
		rows = append(rows, []string{"attestor " + a.URL + ":", a.text()})
	}
	return append(rows, []string{"reputation:", s.reputation()})
}

// reputation sums up the attestors' view in one line.
func (s Status) reputation() string {
	answered := 0
	for _, a := range s.Attestors {
		if a.Error == "" {
			answered++
		}
	}
	switch {
	case len(s.Attestors) == 0:
		return "no attestor asked (--attestor or DEC2_ATTESTORS)"
	case answered == 0:
		return "no attestor answered"
	case s.Reputation == nil:
		return fmt.Sprintf("unknown to the %d attestor(s) that answered: a newcomer, eligible", answered)
	}
	return fmt.Sprintf("%.3f, the median of %d attestor(s), %s", s.Reputation.Score, s.Reputation.Attestors, eligibility(s.Reputation.Eligible))
}

// ReadStatus reads who's registry entry and its node in Nomad.
func ReadStatus(ctx context.Context, w *wallet.Wallet, nomad *api.Client, who common.Address, nodeID string) (Status, error) {
	reg := w.Client.Registry(w.Addrs.Registry)
	p, err := reg.Provider(ctx, who)
	if err != nil {
		return Status{}, fmt.Errorf("reading the registry entry of %s: %w", who, err)
	}
	active, err := reg.IsActive(ctx, who)
	if err != nil {
		return Status{}, fmt.Errorf("reading whether %s is active: %w", who, err)
	}
	s := Status{
		Wallet: who.Hex(), NodeID: nodeID, NodeStatus: "unknown", Stake: pricing.FormatAmount(p.Stake),
		Unbonding: pricing.FormatAmount(p.Unbonding), Active: active, Slashes: p.Slashes,
		Registered: p.NodeIdHash == chain.NodeIDHash(nodeID),
	}
	if p.UnbondableAt != 0 {
		s.UnbondableAt = time.Unix(int64(p.UnbondableAt), 0).UTC().Format(time.RFC3339)
	}
	q := (&api.QueryOptions{}).WithContext(ctx)
	n, _, err := nomad.Nodes().Info(nodeID, q)
	var re api.UnexpectedResponseError
	switch {
	case errors.As(err, &re) && re.StatusCode() == 404:
		return s, nil
	case err != nil:
		return Status{}, fmt.Errorf("reading node %s from Nomad: %w", nodeID, err)
	}
	s.Node, s.NodeStatus, s.Eligibility, s.Draining = n.Name, n.Status, n.SchedulingEligibility, n.DrainStrategy != nil
	allocs, _, err := nomad.Nodes().Allocations(nodeID, q)
	if err != nil {
		return Status{}, fmt.Errorf("listing allocations of node %s: %w", nodeID, err)
	}
	for _, a := range allocs {
		if a.ClientStatus == api.AllocClientStatusRunning {
			s.Allocations++
		}
	}
	return s, nil
}

// Left is what `dec2 provider leave` did.
type Left struct {
	NodeID       string `json:"node_id"`
	Drain        string `json:"drain"`
	Unbonding    string `json:"unbonding"`
	UnbondableAt string `json:"unbondable_at"`
	Tx           string `json:"tx,omitempty"`
}

func (l Left) Header() []string { return nil }

func (l Left) Rows() [][]string {
	return [][]string{{"node:", l.NodeID}, {"drain:", l.Drain}, {"unbonding:", l.Unbonding}, {"withdrawable at:", l.UnbondableAt}, {"transaction:", l.Tx}}
}

// Leave drains the node (its allocations move elsewhere within deadline) and requests to
// unbond the whole stake. A node Nomad no longer knows is only unbonded.
func Leave(ctx context.Context, w *wallet.Wallet, nomad *api.Client, nodeID string, deadline time.Duration) (Left, error) {
	l := Left{NodeID: nodeID, Drain: "node unknown to Nomad"}
	_, err := nomad.Nodes().UpdateDrain(nodeID, &api.DrainSpec{Deadline: deadline}, false, (&api.WriteOptions{}).WithContext(ctx))
	var re api.UnexpectedResponseError
	switch {
	case err == nil:
		l.Drain = fmt.Sprintf("started, deadline %s", deadline)
	case errors.As(err, &re) && re.StatusCode() == 404:
	default:
		return Left{}, fmt.Errorf("draining node %s (check NOMAD_ADDR and NOMAD_TOKEN: draining needs node write): %w", nodeID, err)
	}
	reg := w.Client.Registry(w.Addrs.Registry)
	p, err := reg.Provider(ctx, w.Address())
	if err != nil {
		return Left{}, fmt.Errorf("reading the registry entry of %s: %w", w.Address(), err)
	}
	if p.Stake.Sign() > 0 {
		r, err := reg.RequestUnbond(ctx, p.Stake)
		if err != nil {
			return Left{}, fmt.Errorf("unbonding the %s token stake: %w", pricing.FormatAmount(p.Stake), err)
		}
		l.Tx = r.TxHash.Hex()
		if p, err = reg.Provider(ctx, w.Address()); err != nil {
			return Left{}, fmt.Errorf("reading the registry entry of %s: %w", w.Address(), err)
		}
	}
	l.Unbonding = pricing.FormatAmount(p.Unbonding)
	if p.UnbondableAt != 0 {
		l.UnbondableAt = time.Unix(int64(p.UnbondableAt), 0).UTC().Format(time.RFC3339)
	}
	return l, nil
}
