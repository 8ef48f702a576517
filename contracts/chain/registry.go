package chain

import (
	"context"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/contracts/bindings/registry"
)

// ProviderView is a provider's registry entry; a zero NodeIdHash means not registered.
type ProviderView = registry.ProviderRegistryProvider

// SlashReport is what attestors sign to slash a provider.
type SlashReport = registry.ProviderRegistrySlashReport

// NodeIDHash is the registry's commitment to a Nomad node id.
func NodeIDHash(nodeID string) [32]byte { return crypto.Keccak256Hash([]byte(nodeID)) }

// Registry is ProviderRegistry at an address, used through a Client.
type Registry struct {
	c    *Client
	Addr common.Address
	b    *registry.ProviderRegistry
	bc   *bind.BoundContract
}

func (c *Client) Registry(addr common.Address) *Registry {
	b := registry.NewProviderRegistry()
	return &Registry{c: c, Addr: addr, b: b, bc: b.Instance(c.backend, addr)}
}

// Binding is the generated binding, for decoding events from receipts.
func (g *Registry) Binding() *registry.ProviderRegistry { return g.b }

// Register binds the caller's wallet to a Nomad node and stakes amount (approve it first).
func (g *Registry) Register(ctx context.Context, nodeID string, amount *big.Int) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackRegister(NodeIDHash(nodeID), amount), nil)
}

func (g *Registry) Stake(ctx context.Context, amount *big.Int) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackStake(amount), nil)
}

func (g *Registry) RequestUnbond(ctx context.Context, amount *big.Int) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackRequestUnbond(amount), nil)
}

func (g *Registry) WithdrawUnbonded(ctx context.Context) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackWithdrawUnbonded(), nil)
}

func (g *Registry) AttestUptime(ctx context.Context, provider common.Address) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackAttestUptime(provider), nil)
}

// Slash submits a report with attestor signatures (see SignSlashReport); SortSignatures orders
// them as the contract requires.
func (g *Registry) Slash(ctx context.Context, report SlashReport, signatures [][]byte) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackSlash(report, signatures), nil)
}

// RotateAttestors removes and adds attestors and sets the threshold to k in one transaction
// (owner only), moving the registry to the next config epoch once: reports signed for the old
// epoch no longer verify. Reverts DuplicateAttestor, UnknownAttestor, AttestorExists,
// ZeroAddress or InvalidThreshold (k must be 1..the new count).
func (g *Registry) RotateAttestors(ctx context.Context, remove, add []common.Address, k uint32) (*types.Receipt, error) {
	if remove == nil {
		remove = []common.Address{}
	}
	if add == nil {
		add = []common.Address{}
	}
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackRotateAttestors(remove, add, k), nil)
}

func (g *Registry) AddAttestor(ctx context.Context, a common.Address) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackAddAttestor(a), nil)
}

func (g *Registry) RemoveAttestor(ctx context.Context, a common.Address) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackRemoveAttestor(a), nil)
}

func (g *Registry) SetThreshold(ctx context.Context, k uint32) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackSetThreshold(k), nil)
}

func (g *Registry) SetTreasury(ctx context.Context, t common.Address) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackSetTreasury(t), nil)
}

func (g *Registry) SetConsumerShareBps(ctx context.Context, bps uint16) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackSetConsumerShareBps(bps), nil)
}

// SetRepairFund sends bps of every slash to fund, the repair worker's wallet (0 turns it off).
func (g *Registry) SetRepairFund(ctx context.Context, fund common.Address, bps uint16) (*types.Receipt, error) {
	return g.c.send(ctx, g.bc, g.Addr, g.b.PackSetRepairFund(fund, bps), nil)
}

// RepairFund is the wallet paid RepairShareBps of every slash.
func (g *Registry) RepairFund(ctx context.Context) (common.Address, error) {
	return call(ctx, g.bc, g.b.PackRepairFund(), g.b.UnpackRepairFund)
}

func (g *Registry) RepairShareBps(ctx context.Context) (uint16, error) {
	return call(ctx, g.bc, g.b.PackRepairShareBps(), g.b.UnpackRepairShareBps)
}

func (g *Registry) Provider(ctx context.Context, provider common.Address) (ProviderView, error) {
	return call(ctx, g.bc, g.b.PackGetProvider(provider), g.b.UnpackGetProvider)
}

func (g *Registry) IsActive(ctx context.Context, provider common.Address) (bool, error) {
	return call(ctx, g.bc, g.b.PackIsActive(provider), g.b.UnpackIsActive)
}

func (g *Registry) ProviderOfNode(ctx context.Context, nodeID string) (common.Address, error) {
	return call(ctx, g.bc, g.b.PackProviderOfNode(NodeIDHash(nodeID)), g.b.UnpackProviderOfNode)
}

// HashSlashReport is the contract's EIP-712 digest of a report (equal to SlashDigest's).
func (g *Registry) HashSlashReport(ctx context.Context, r SlashReport) ([32]byte, error) {
	return call(ctx, g.bc, g.b.PackHashSlashReport(r), g.b.UnpackHashSlashReport)
}

func (g *Registry) Threshold(ctx context.Context) (uint32, error) {
	return call(ctx, g.bc, g.b.PackThreshold(), g.b.UnpackThreshold)
}

func (g *Registry) Treasury(ctx context.Context) (common.Address, error) {
	return call(ctx, g.bc, g.b.PackTreasury(), g.b.UnpackTreasury)
}

// ConfigEpoch is the epoch slash reports must carry; it changes with every change of the
// attestor set or the threshold.
func (g *Registry) ConfigEpoch(ctx context.Context) (uint64, error) {
	return call(ctx, g.bc, g.b.PackConfigEpoch(), g.b.UnpackConfigEpoch)
}

func (g *Registry) IsAttestor(ctx context.Context, a common.Address) (bool, error) {
	return call(ctx, g.bc, g.b.PackIsAttestor(a), g.b.UnpackIsAttestor)
}

// SlashedEvent is one mined Slashed log; Raw carries its block, transaction and index.
type SlashedEvent = registry.ProviderRegistrySlashed

var slashedEventID = sync.OnceValue(func() common.Hash {
	parsed, err := registry.ProviderRegistryMetaData.ParseABI()
	if err != nil {
		panic(err)
	}
	return parsed.Events[registry.ProviderRegistrySlashedEventName].ID
})

// SlashedEvents returns the registry's Slashed logs for provider from fromBlock to the latest
// block (none when fromBlock is past it), oldest first, filtered on the indexed reason unless it is zero. Attestors use it to see
// which reports of an incident were already mined.
func (g *Registry) SlashedEvents(ctx context.Context, provider common.Address, reason [32]byte, fromBlock uint64) ([]*SlashedEvent, error) {
	topics := [][]common.Hash{{slashedEventID()}, {common.BytesToHash(provider[:])}, nil}
	if reason != ([32]byte{}) {
		topics = append(topics, []common.Hash{reason})
	}
	head, err := g.c.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("latest block: %w", err)
	}
	if fromBlock > head.Number.Uint64() { // nodes refuse a range that starts past the head
		return nil, nil
	}
	logs, err := g.c.backend.FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: new(big.Int).SetUint64(fromBlock), ToBlock: head.Number, Addresses: []common.Address{g.Addr}, Topics: topics,
	})
	if err != nil {
		return nil, fmt.Errorf("filter Slashed logs: %w", err)
	}
	out := make([]*SlashedEvent, 0, len(logs))
	for i := range logs {
		ev, err := g.b.UnpackSlashedEvent(&logs[i])
		if err != nil {
			return nil, fmt.Errorf("decode Slashed log %s/%d: %w", logs[i].TxHash, logs[i].Index, err)
		}
		out = append(out, ev)
	}
	return out, nil
}
