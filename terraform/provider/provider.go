// Package provider is dec2's Terraform/OpenTofu provider: instances rented through the
// allocator, escrow deposits and provider registrations on chain, and the catalogue and fleet
// as data sources. It is an adapter: the job comes from package instances, prices from
// billing-sidecar/pricing, transactions from contracts/chain.
package provider

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/hashicorp/nomad/api"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// Defaults follow CONVENTIONS.md: the allocator on 4656, the dev chain on 8545, the storage
// service on 4659.
const (
	defaultNomadAddr   = "http://127.0.0.1:4656"
	defaultChainRPC    = "http://127.0.0.1:8545"
	defaultStorageAddr = "http://127.0.0.1:4659"
)

// Address is the provider's source address as OpenTofu resolves `source = "dec2-cloud/dec2"`.
const Address = "registry.opentofu.org/dec2-cloud/dec2"

// New returns the provider factory providerserver.Serve wants.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &dec2Provider{version: version} }
}

type dec2Provider struct{ version string }

type providerModel struct {
	NomadAddress types.String `tfsdk:"nomad_address"`
	NomadToken   types.String `tfsdk:"nomad_token"`
	ChainRPC     types.String `tfsdk:"chain_rpc"`
	Deployment   types.String `tfsdk:"deployment"`
	PrivateKey   types.String `tfsdk:"private_key"`
	WaitTimeout  types.String `tfsdk:"wait_timeout"`
	StorageAddr  types.String `tfsdk:"storage_address"`
}

func (p *dec2Provider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "dec2"
	resp.Version = p.version
}

func (p *dec2Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Rent dec2 instances through the allocator, fund escrow, register providers on chain and keep buckets in dec2 storage.",
		Attributes: map[string]schema.Attribute{
			"nomad_address": schema.StringAttribute{
				Optional:    true,
				Description: "Address of dec2-allocator serve (it speaks Nomad's API). Default: DEC2_NOMAD_ADDR, then NOMAD_ADDR, then " + defaultNomadAddr + ".",
			},
			"nomad_token": schema.StringAttribute{
				Optional: true, Sensitive: true,
				Description: "Nomad ACL token. Default: NOMAD_TOKEN.",
			},
			"chain_rpc": schema.StringAttribute{
				Optional:    true,
				Description: "JSON-RPC URL of the chain holding the dec2 contracts. Default: DEC2_CHAIN_RPC, then " + defaultChainRPC + ".",
			},
			"deployment": schema.StringAttribute{
				Optional:    true,
				Description: "Path of the deployment file (deployments/<chain-id>.json) naming the contracts. Default: DEC2_DEPLOYMENT, then deployments/<chain id>.json.",
			},
			"private_key": schema.StringAttribute{
				Optional: true, Sensitive: true,
				Description: "Hex private key of the wallet that signs deposits, registrations and storage requests (buckets are encrypted under a key derived from it). Default: DEC2_PRIVATE_KEY.",
			},
			"storage_address": schema.StringAttribute{
				Optional:    true,
				Description: "URL of the storage service (dec2-storage), where buckets are kept. Default: DEC2_STORAGE, then " + defaultStorageAddr + ".",
			},
			"wait_timeout": schema.StringAttribute{
				Optional:    true,
				Description: "How long to wait for instances to run or stop, as a Go duration. Default 5m.",
				Validators:  []validator.String{durationValidator{}},
			},
		},
	}
}

func (p *dec2Provider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := &clients{
		nomadAddr:   pick(m.NomadAddress, "DEC2_NOMAD_ADDR", "NOMAD_ADDR", defaultNomadAddr),
		chainRPC:    pick(m.ChainRPC, "DEC2_CHAIN_RPC", "", defaultChainRPC),
		deployment:  pick(m.Deployment, "DEC2_DEPLOYMENT", "", ""),
		keyHex:      pick(m.PrivateKey, "DEC2_PRIVATE_KEY", "", ""),
		storageAddr: pick(m.StorageAddr, "DEC2_STORAGE", "", defaultStorageAddr),
		wait:        5 * time.Minute,
	}
	if s := m.WaitTimeout.ValueString(); s != "" {
		c.wait, _ = time.ParseDuration(s) // checked by the attribute's validator
	}
	cfg := api.DefaultConfig()
	cfg.Address = c.nomadAddr
	cfg.SecretID = pick(m.NomadToken, "NOMAD_TOKEN", "", "")
	nomad, err := api.NewClient(cfg)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("nomad_address"), "Invalid Nomad address",
			fmt.Sprintf("Creating a Nomad API client for %s: %v", c.nomadAddr, err))
		return
	}
	c.nomad = nomad
	resp.ResourceData, resp.DataSourceData = c, c
}

// pick is the configured value, else the first environment variable set, else def.
func pick(v types.String, env1, env2, def string) string {
	if s := v.ValueString(); s != "" {
		return s
	}
	for _, e := range []string{env1, env2} {
		if e != "" && os.Getenv(e) != "" {
			return os.Getenv(e)
		}
	}
	return def
}

func (p *dec2Provider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{newInstanceResource, newEscrowDepositResource, newProviderRegistrationResource, newBucketResource}
}

func (p *dec2Provider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newInstanceTypesDataSource, newProvidersDataSource}
}

// clients holds the connections resources share; the chain and the storage service are
// reached on first use so that instance-only configurations need neither.
type clients struct {
	nomadAddr, chainRPC, deployment, keyHex, storageAddr string
	nomad                                                *api.Client
	wait                                                 time.Duration

	mu      sync.Mutex
	chain   *chain.Client
	addrs   chain.Addresses
	storage *gateway.Backend
}

// buckets is the gateway's backend over the storage service alone, signed by the configured
// wallet, under the master key `dec2 s3` derives from the same wallet key: buckets made here
// are the wallet's gateway's buckets.
func (c *clients) buckets() (*gateway.Backend, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.storage != nil {
		return c.storage, nil
	}
	key, err := parseKey(c.keyHex)
	if err != nil {
		return nil, err
	}
	master, err := crypt.MasterFromWallet(key)
	if err != nil {
		return nil, err
	}
	// The backend logs what it answers as internal errors; the diagnostics carry them here.
	be, err := gateway.NewBucketsOnly(&metaapi.Client{URL: c.storageAddr, Key: key}, master, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, fmt.Errorf("the storage service at %s (set storage_address): %w", c.storageAddr, err)
	}
	c.storage = be
	return be, nil
}

// signer is the chain client for the configured key with the deployment's addresses.
func (c *clients) signer(ctx context.Context) (*chain.Client, chain.Addresses, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.chain != nil {
		return c.chain, c.addrs, nil
	}
	key, err := parseKey(c.keyHex)
	if err != nil {
		return nil, chain.Addresses{}, err
	}
	rpc, err := ethclient.DialContext(ctx, c.chainRPC)
	if err != nil {
		return nil, chain.Addresses{}, fmt.Errorf("dialling the chain at %s (set chain_rpc): %w", c.chainRPC, err)
	}
	cl, err := chain.NewClient(ctx, rpc, key, chain.WithReceiptPoll(100*time.Millisecond))
	if err != nil {
		rpc.Close()
		return nil, chain.Addresses{}, fmt.Errorf("connecting to the chain at %s: %w", c.chainRPC, err)
	}
	dep := c.deployment
	if dep == "" {
		dep = chain.DeploymentPath("deployments", cl.ChainID().Uint64())
	}
	addrs, err := chain.ReadAddresses(dep)
	if err != nil {
		rpc.Close()
		return nil, chain.Addresses{}, fmt.Errorf("reading the contract addresses (set deployment): %w", err)
	}
	if addrs.ChainID != cl.ChainID().Uint64() {
		rpc.Close()
		return nil, chain.Addresses{}, fmt.Errorf("deployment %s is for chain %d but %s is chain %d", dep, addrs.ChainID, c.chainRPC, cl.ChainID().Uint64())
	}
	c.chain, c.addrs = cl, addrs
	return cl, addrs, nil
}

// onChain is signer reporting a failure as a diagnostic.
func (c *clients) onChain(ctx context.Context, diags *diag.Diagnostics) (*chain.Client, chain.Addresses, bool) {
	cl, addrs, err := c.signer(ctx)
	if err != nil {
		diags.AddError("Connecting to the chain failed", err.Error())
		return nil, addrs, false
	}
	return cl, addrs, true
}

func parseKey(s string) (*ecdsa.PrivateKey, error) {
	if s == "" {
		return nil, fmt.Errorf("no private key: set the provider's private_key or DEC2_PRIVATE_KEY")
	}
	key, err := crypto.HexToECDSA(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return nil, fmt.Errorf("private_key: want 64 hex digits: %w", err)
	}
	return key, nil
}

// clientsFrom is the provider data handed to a resource or data source (nil before Configure).
func clientsFrom(data any, diags *diag.Diagnostics) *clients {
	if data == nil {
		return nil
	}
	c, ok := data.(*clients)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("want *clients, got %T; this is a bug in the dec2 provider", data))
	}
	return c
}
