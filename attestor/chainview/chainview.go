// Package chainview is what an attestor reads from and sends to the chain: a provider's
// standing in ProviderRegistry, a lost allocation's stream in StreamEscrow (its consumer and
// rate: the slash amount is computed over on-chain data only), which reports of an incident
// were mined, the head's age, and the slash itself.
package chainview

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/storage/audit"
)

// maxSegments bounds how many stream segments of one allocation are read; billing opens a
// new segment only when a halted stream resumes after a top-up.
const maxSegments = 16

// Chain is the registry and escrow at their addresses, through one attestor's client.
type Chain struct {
	Client   *chain.Client
	Registry *chain.Registry
	Escrow   *chain.Escrow
	// FromBlock is where the deployment starts: scans for mined reports begin there.
	FromBlock uint64
}

// New binds the deployment's registry and escrow to c.
func New(c *chain.Client, registry, escrow common.Address, fromBlock uint64) *Chain {
	return &Chain{Client: c, Registry: c.Registry(registry), Escrow: c.Escrow(escrow), FromBlock: fromBlock}
}

// Standing is a provider's slash-relevant state and the registry's configuration.
type Standing struct {
	Nonce, Epoch     uint64
	Stake, Unbonding *big.Int
	Slashes          uint32
	LastSlashedAt    time.Time
	Threshold        uint32
}

// Standing reads provider's standing.
func (c *Chain) Standing(ctx context.Context, provider common.Address) (Standing, error) {
	p, err := c.Registry.Provider(ctx, provider)
	if err != nil {
		return Standing{}, fmt.Errorf("reading provider %s: %w", provider.Hex(), err)
	}
	epoch, err := c.Registry.ConfigEpoch(ctx)
	if err != nil {
		return Standing{}, fmt.Errorf("reading the config epoch: %w", err)
	}
	k, err := c.Registry.Threshold(ctx)
	if err != nil {
		return Standing{}, fmt.Errorf("reading the threshold: %w", err)
	}
	st := Standing{Nonce: p.SlashNonce, Epoch: epoch, Stake: p.Stake, Unbonding: p.Unbonding, Slashes: p.Slashes, Threshold: k}
	if p.LastSlashedAt != 0 {
		st.LastSlashedAt = time.Unix(int64(p.LastSlashedAt), 0)
	}
	return st, nil
}

// Threshold is k, the signatures a slash needs.
func (c *Chain) Threshold(ctx context.Context) (uint32, error) {
	k, err := c.Registry.Threshold(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the threshold: %w", err)
	}
	return k, nil
}

// ProviderOfNode is the wallet staking for a Nomad node; zero when none does.
func (c *Chain) ProviderOfNode(ctx context.Context, nodeID string) (common.Address, error) {
	a, err := c.Registry.ProviderOfNode(ctx, nodeID)
	if err != nil {
		return common.Address{}, fmt.Errorf("reading the provider of node %s: %w", nodeID, err)
	}
	return a, nil
}

// IsAttestor says whether a is in the registry's attestor set.
func (c *Chain) IsAttestor(ctx context.Context, a common.Address) (bool, error) {
	ok, err := c.Registry.IsAttestor(ctx, a)
	if err != nil {
		return false, fmt.Errorf("reading whether %s is an attestor: %w", a.Hex(), err)
	}
	return ok, nil
}

// Stream is an allocation's latest stream to provider: who pays and how much per second.
type Stream struct {
	Consumer common.Address
	Rate     *big.Int
}

// StreamOf reads allocID's latest stream segment paying provider; ok is false when billing
// never opened one (the allocation was unbilled).
func (c *Chain) StreamOf(ctx context.Context, allocID string, provider common.Address) (s Stream, ok bool, err error) {
	for seg := 0; seg < maxSegments; seg++ {
		v, err := c.Escrow.Stream(ctx, chain.AllocStreamKey(allocID, seg))
		if err != nil {
			return Stream{}, false, fmt.Errorf("reading stream %d of allocation %s: %w", seg, allocID, err)
		}
		if v.Consumer == (common.Address{}) {
			break
		}
		if v.Provider == provider {
			s, ok = Stream{Consumer: v.Consumer, Rate: v.Rate}, true
		}
	}
	return s, ok, nil
}

// Reported lists the consumers whose report of the incident reason was already mined.
func (c *Chain) Reported(ctx context.Context, provider common.Address, reason [32]byte) (map[common.Address]bool, error) {
	evs, err := c.Registry.SlashedEvents(ctx, provider, reason, c.FromBlock)
	if err != nil {
		return nil, fmt.Errorf("reading the slashes of %s: %w", provider.Hex(), err)
	}
	out := make(map[common.Address]bool, len(evs))
	for _, e := range evs {
		out[e.Consumer] = true
	}
	return out, nil
}

// Head is the latest block's time.
func (c *Chain) Head(ctx context.Context) (time.Time, error) {
	h, err := c.Client.Backend().HeaderByNumber(ctx, nil)
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the chain head: %w", err)
	}
	return time.Unix(int64(h.Time), 0), nil
}

// Slash submits report with signatures sorted as the registry requires. A report whose nonce
// was used already (another attestor submitted it first) is ErrAlreadySlashed.
func (c *Chain) Slash(ctx context.Context, report chain.SlashReport, sigs [][]byte) (common.Hash, error) {
	digest, err := chain.SlashDigest(c.Client.ChainID(), c.Registry.Addr, report)
	if err != nil {
		return common.Hash{}, err
	}
	sorted, err := chain.SortSignatures(digest, sigs)
	if err != nil {
		return common.Hash{}, fmt.Errorf("sorting signatures: %w", err)
	}
	rcpt, err := c.Registry.Slash(ctx, report, sorted)
	if chain.IsRevert(err, "InvalidNonce") {
		return common.Hash{}, ErrAlreadySlashed
	}
	if err != nil {
		return common.Hash{}, fmt.Errorf("submitting the slash of %s (nonce %s): %w", report.Provider.Hex(), report.Nonce, err)
	}
	return rcpt.TxHash, nil
}

// ErrAlreadySlashed says the report's nonce was used: someone submitted first.
var ErrAlreadySlashed = fmt.Errorf("the report's nonce was already used on chain: another attestor submitted it")

// Seed is the latest block as an audit's seed: its hash nobody knew before it was mined.
func (c *Chain) Seed(ctx context.Context) (audit.Seed, error) {
	h, err := c.Client.Backend().HeaderByNumber(ctx, nil)
	if err != nil {
		return audit.Seed{}, fmt.Errorf("reading the chain head for an audit seed: %w", err)
	}
	return audit.Seed{Block: h.Number.Uint64(), Hash: h.Hash(), Time: time.Unix(int64(h.Time), 0)}, nil
}

// Block is block n as a seed, for checking one an audit names.
func (c *Chain) Block(ctx context.Context, n uint64) (audit.Seed, error) {
	h, err := c.Client.Backend().HeaderByNumber(ctx, new(big.Int).SetUint64(n))
	if err != nil {
		return audit.Seed{}, fmt.Errorf("reading block %d, an audit's seed: %w", n, err)
	}
	return audit.Seed{Block: n, Hash: h.Hash(), Time: time.Unix(int64(h.Time), 0)}, nil
}
