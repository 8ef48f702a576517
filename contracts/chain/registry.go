package chain

import (
	"context"
	"math/big"

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
