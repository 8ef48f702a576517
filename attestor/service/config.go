// Package service runs one attestor: it follows Nomad, probes providers, keeps their
// reputation, and for a provider that vanished with consumers' work proposes (as the report's
// leader or a staged fallback) or checks and signs (as a peer) a slash report, which the
// proposer submits to ProviderRegistry once k attestors signed.
package service

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/attestor/amount"
	"github.com/dec2-cloud/dec2/attestor/downtime"
	"github.com/dec2-cloud/dec2/attestor/gates"
	"github.com/dec2-cloud/dec2/attestor/peers"
	"github.com/dec2-cloud/dec2/reputation"
)

// Config is one attestor's.
type Config struct {
	NomadAddr, NomadToken string
	ChainRPC              string
	Registry, Escrow      common.Address
	// DeployedAt is the deployment's first block (deployments/<chain>.json's "block").
	DeployedAt uint64
	Key        *ecdsa.PrivateKey
	// Peers are the other attestors (not this one).
	Peers []peers.Peer

	Downtime   downtime.Config
	Gates      gates.Config
	Amount     amount.Params
	Reputation reputation.Params

	// Cooldown is the least time between two incidents' slashes of one provider that this
	// attestor signs; SigningCap the most slashes it signs in any 24 hours.
	Cooldown   time.Duration
	SigningCap int
	// Tick is how often due reports are looked for; ProbeEvery how often every provider is
	// probed for reputation and the peers for quorum.
	Tick, ProbeEvery time.Duration
	// Stage is how long each attestor in a report's order waits after the one before it.
	Stage time.Duration
	// ReportTTL is how long a report stays submittable (its deadline).
	ReportTTL time.Duration
	// Storage is dec2-storage's URL; with it this attestor audits storage providers (it must
	// be one of the service's --operator wallets) and judges data_loss reports. Empty: no
	// audits, and data_loss reports are refused.
	Storage string
	// AuditEvery is how often each storage provider is challenged; AuditDeadline how long an
	// answer may take before the challenge counts as timed out (and is asked again);
	// AuditFresh how old an audit's seed block may be for this attestor to sign its evidence.
	AuditEvery, AuditDeadline, AuditFresh time.Duration
	Logger                                *slog.Logger
}

// WithDefaults fills zero fields.
func (c Config) WithDefaults() Config {
	c.Downtime = c.Downtime.WithDefaults()
	c.Gates = c.Gates.WithDefaults()
	if c.Amount.Floor == nil {
		c.Amount = amount.DefaultParams()
	}
	if c.Reputation == (reputation.Params{}) {
		c.Reputation = reputation.DefaultParams()
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.Cooldown, 24*time.Hour)
	def(&c.Tick, time.Second)
	def(&c.ProbeEvery, 30*time.Second)
	def(&c.Stage, time.Minute)
	def(&c.ReportTTL, 30*time.Minute)
	def(&c.AuditEvery, 5*time.Minute)
	def(&c.AuditDeadline, 10*time.Second)
	def(&c.AuditFresh, time.Hour)
	if c.SigningCap == 0 {
		c.SigningCap = 50
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Validate names what is missing or wrong.
func (c Config) Validate() error {
	var errs []error
	if c.NomadAddr == "" {
		errs = append(errs, errors.New("no Nomad address: pass --nomad-addr"))
	}
	if c.ChainRPC == "" {
		errs = append(errs, errors.New("no chain RPC: pass --chain-rpc"))
	}
	if c.Registry == (common.Address{}) || c.Escrow == (common.Address{}) {
		errs = append(errs, errors.New("no registry or escrow address: pass --deployment"))
	}
	if c.Key == nil {
		errs = append(errs, errors.New("no attestor key: pass --key-file"))
	}
	if err := c.Downtime.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("downtime: %w", err))
	}
	if err := c.Amount.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("slash amount: %w", err))
	}
	seen := map[common.Address]bool{}
	for _, p := range c.Peers {
		if seen[p.Addr] {
			errs = append(errs, fmt.Errorf("peer %s listed twice", p.Addr.Hex()))
		}
		seen[p.Addr] = true
	}
	return errors.Join(errs...)
}
