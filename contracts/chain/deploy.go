package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/contracts/bindings/escrow"
	"github.com/dec2-cloud/dec2/contracts/bindings/registry"
	"github.com/dec2-cloud/dec2/contracts/bindings/sale"
	"github.com/dec2-cloud/dec2/contracts/bindings/token"
)

// DeployConfig describes the contract set to deploy. Zero fields take the defaults named.
type DeployConfig struct {
	Owner            common.Address   // admin of the token, owner of registry and sale; default the deployer
	SupplyCap        *big.Int         // default 1e9 tokens
	MinStake         *big.Int         // default 1,000 tokens
	UnbondDelay      time.Duration    // default 7 days
	Treasury         common.Address   // receives slashed stake; default Owner
	ConsumerShareBps uint16           // share of a slash paid to the affected consumer; default 5000
	RepairFund       common.Address   // the repair worker's wallet, paid RepairShareBps of every slash
	RepairShareBps   uint16           // share of a slash that pays the repair of what was lost; default 0 (off)
	Attestors        []common.Address // default the deployer
	Threshold        uint32           // signatures a slash needs; default 1
	Mint             []Allocation     // minted by the deployer before handing the token to Owner
	Sale             *SaleConfig      // nil deploys no sale
}

// Allocation is an initial token balance.
type Allocation struct {
	To     common.Address
	Amount *big.Int
}

// SaleConfig parameterises TokenSale; wei amounts, rate in token base units per wei.
type SaleConfig struct {
	Rate        *big.Int
	Start, End  time.Time
	SoftCap     *big.Int
	HardCap     *big.Int
	MaxPerBuyer *big.Int
}

// Addresses is a deployed set, as written to deployments/<chain-id>.json.
type Addresses struct {
	ChainID  uint64         `json:"chainId"`
	Token    common.Address `json:"token"`
	Escrow   common.Address `json:"escrow"`
	Registry common.Address `json:"registry"`
	Sale     common.Address `json:"sale"`
	Owner    common.Address `json:"owner"`
	Block    uint64         `json:"block"` // the first block holding the set, for event scans
}

// MarshalJSON writes checksummed addresses, as wallets and explorers show them.
func (a Addresses) MarshalJSON() ([]byte, error) {
	hex := func(x common.Address) string {
		if x == (common.Address{}) {
			return ""
		}
		return x.Hex()
	}
	return json.Marshal(struct {
		ChainID  uint64 `json:"chainId"`
		Token    string `json:"token,omitempty"`
		Escrow   string `json:"escrow,omitempty"`
		Registry string `json:"registry,omitempty"`
		Sale     string `json:"sale,omitempty"`
		Owner    string `json:"owner,omitempty"`
		Block    uint64 `json:"block"`
	}{a.ChainID, hex(a.Token), hex(a.Escrow), hex(a.Registry), hex(a.Sale), hex(a.Owner), a.Block})
}

// Deployed is a deployed set with its gas bill per step.
type Deployed struct {
	Addresses
	Gas map[string]uint64
}

func (cfg *DeployConfig) withDefaults(deployer common.Address) DeployConfig {
	d := *cfg
	if d.Owner == (common.Address{}) {
		d.Owner = deployer
	}
	if d.SupplyCap == nil {
		d.SupplyCap = Tokens(1_000_000_000)
	}
	if d.MinStake == nil {
		d.MinStake = Tokens(1_000)
	}
	if d.UnbondDelay == 0 {
		d.UnbondDelay = 7 * 24 * time.Hour
	}
	if d.Treasury == (common.Address{}) {
		d.Treasury = d.Owner
	}
	if d.ConsumerShareBps == 0 {
		d.ConsumerShareBps = 5000
	}
	if len(d.Attestors) == 0 {
		d.Attestors = []common.Address{deployer}
	}
	if d.Threshold == 0 {
		d.Threshold = 1
	}
	return d
}

// Deploy deploys token, escrow, registry and (optionally) the sale from c's key, grants the sale
// MINTER_ROLE, mints the initial allocations, and finally hands the token's roles to Owner.
func Deploy(ctx context.Context, c *Client, cfg DeployConfig) (*Deployed, error) {
	d := cfg.withDefaults(c.from)
	out := &Deployed{Addresses: Addresses{ChainID: c.chainID.Uint64(), Owner: d.Owner}, Gas: map[string]uint64{}}

	tokenB := token.NewDec2Token()
	addr, r, err := c.deploy(ctx, common.FromHex(token.Dec2TokenMetaData.Bin), tokenB.PackConstructor(c.from, d.SupplyCap))
	if err != nil {
		return nil, fmt.Errorf("deploy Dec2Token: %w", err)
	}
	out.Token, out.Block, out.Gas["deploy Dec2Token"] = addr, r.BlockNumber.Uint64(), r.GasUsed

	if out.Escrow, r, err = c.deploy(ctx, common.FromHex(escrow.StreamEscrowMetaData.Bin), escrow.NewStreamEscrow().PackConstructor(out.Token)); err != nil {
		return nil, fmt.Errorf("deploy StreamEscrow: %w", err)
	}
	out.Gas["deploy StreamEscrow"] = r.GasUsed

	regArgs := registry.NewProviderRegistry().PackConstructor(d.Owner, out.Token, d.MinStake, uint64(d.UnbondDelay/time.Second),
		d.Treasury, d.ConsumerShareBps, d.RepairFund, d.RepairShareBps, d.Attestors, d.Threshold)
	if out.Registry, r, err = c.deploy(ctx, common.FromHex(registry.ProviderRegistryMetaData.Bin), regArgs); err != nil {
		return nil, fmt.Errorf("deploy ProviderRegistry: %w", err)
	}
	out.Gas["deploy ProviderRegistry"] = r.GasUsed

	tok := c.Token(out.Token)
	if s := d.Sale; s != nil {
		args := sale.NewTokenSale().PackConstructor(d.Owner, out.Token, s.Rate, uint64(s.Start.Unix()), uint64(s.End.Unix()),
			s.SoftCap, s.HardCap, s.MaxPerBuyer)
		if out.Sale, r, err = c.deploy(ctx, common.FromHex(sale.TokenSaleMetaData.Bin), args); err != nil {
			return nil, fmt.Errorf("deploy TokenSale: %w", err)
		}
		out.Gas["deploy TokenSale"] = r.GasUsed
		if _, err := tok.GrantRole(ctx, MinterRole, out.Sale); err != nil {
			return nil, fmt.Errorf("grant the sale MINTER_ROLE: %w", err)
		}
	}
	for _, a := range d.Mint {
		if _, err := tok.Mint(ctx, a.To, a.Amount); err != nil {
			return nil, fmt.Errorf("mint %v to %s: %w", a.Amount, a.To, err)
		}
	}
	if d.Owner != c.from {
		for _, role := range []common.Hash{{} /* DEFAULT_ADMIN_ROLE */, MinterRole} {
			if _, err := tok.GrantRole(ctx, role, d.Owner); err != nil {
				return nil, fmt.Errorf("grant owner token role %x: %w", role, err)
			}
		}
		for _, role := range []common.Hash{MinterRole, {}} {
			if _, err := tok.RenounceRole(ctx, role); err != nil {
				return nil, fmt.Errorf("renounce deployer token role %x: %w", role, err)
			}
		}
	}
	return out, nil
}

// DeploymentPath is where a chain's addresses live: <dir>/<chain-id>.json.
func DeploymentPath(dir string, chainID uint64) string {
	return filepath.Join(dir, strconv.FormatUint(chainID, 10)+".json")
}

// WriteAddresses writes a deployment file atomically.
func WriteAddresses(path string, a Addresses) error {
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return fmt.Errorf("encode addresses: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write addresses: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write addresses: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write addresses: %w", err)
	}
	return nil
}

// ReadAddresses reads a deployment file and checks it names every required contract.
func ReadAddresses(path string) (Addresses, error) {
	var a Addresses
	b, err := os.ReadFile(path)
	if err != nil {
		return a, fmt.Errorf("read deployment (deploy first with `dec2-chain deploy`): %w", err)
	}
	if err := json.Unmarshal(b, &a); err != nil {
		return a, fmt.Errorf("parse deployment %s: %w", path, err)
	}
	var missing []error
	for name, addr := range map[string]common.Address{"token": a.Token, "escrow": a.Escrow, "registry": a.Registry} {
		if addr == (common.Address{}) {
			missing = append(missing, fmt.Errorf("%s: no %q address", path, name))
		}
	}
	if a.ChainID == 0 {
		missing = append(missing, fmt.Errorf("%s: no chainId", path))
	}
	return a, errors.Join(missing...)
}
