// Package devchain runs an in-process go-ethereum node in dev mode for demos and end-to-end
// tests: JSON-RPC over HTTP and WebSocket on loopback, chain id 1337, accounts prefunded from a
// mnemonic, blocks sealed on demand (when a transaction arrives) or on a fixed period.
// Any Ethereum client can talk to it; nothing in dec2 depends on it being this chain.
package devchain

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
)

// ChainID of the dev chain (go-ethereum's dev-mode chain id).
const ChainID = 1337

// Default listen addresses (CONVENTIONS.md).
const (
	DefaultHTTPAddr = "127.0.0.1:8545"
	DefaultWSAddr   = "127.0.0.1:8546"
)

// Config says how to run the dev chain. The zero value is not usable; start from DefaultConfig.
type Config struct {
	HTTPAddr    string        // host:port; port 0 picks a free one
	WSAddr      string        // host:port; port 0 picks a free one; "" disables WebSocket
	DataDir     string        // "" keeps the chain in memory and loses it on Close
	BlockPeriod time.Duration // 0 seals a block whenever a transaction arrives
	Mnemonic    string        // accounts are derived from it (m/44'/60'/0'/0/i)
	Accounts    int           // how many accounts to prefund
	Balance     *big.Int      // wei per prefunded account
}

// DefaultConfig is the documented dev chain: 127.0.0.1:8545/8546, in memory, blocks on demand,
// ten accounts from DevMnemonic with 10,000 ETH each.
func DefaultConfig() Config {
	return Config{
		HTTPAddr: DefaultHTTPAddr,
		WSAddr:   DefaultWSAddr,
		Mnemonic: DevMnemonic,
		Accounts: 10,
		Balance:  new(big.Int).Mul(big.NewInt(10_000), big.NewInt(params.Ether)),
	}
}

// Account is a prefunded dev account.
type Account struct {
	Address common.Address
	Key     *ecdsa.PrivateKey
}

// Chain is a running dev chain.
type Chain struct {
	stack    *node.Node
	HTTPURL  string
	WSURL    string
	Accounts []Account
}

// ChainConfig is go-ethereum's dev chain config without the post-Osaka "Bogota" storage pricing,
// so gas used here matches mainnet (FACTS.md: Bogota makes an ERC20 transfer cost 147k, not 51k).
func ChainConfig() *params.ChainConfig {
	cfg := *params.AllDevChainProtocolChanges
	cfg.BogotaTime = nil
	return &cfg
}

// Genesis allocates `balance` to each of `accounts` on the dev chain config.
func Genesis(accounts []common.Address, balance *big.Int) *core.Genesis {
	alloc := core.SystemContractAllocs()
	for _, a := range accounts {
		alloc[a] = types.Account{Balance: new(big.Int).Set(balance)}
	}
	return &core.Genesis{
		Config:     ChainConfig(),
		GasLimit:   ethconfig.Defaults.Miner.GasCeil,
		BaseFee:    big.NewInt(params.InitialBaseFee),
		Difficulty: big.NewInt(0),
		Alloc:      alloc,
	}
}

// DevAccounts derives n accounts from a mnemonic.
func DevAccounts(mnemonic string, n int) ([]Account, error) {
	accounts := make([]Account, n)
	for i := range accounts {
		key, err := DeriveKey(mnemonic, uint32(i))
		if err != nil {
			return nil, fmt.Errorf("dev account %d: %w", i, err)
		}
		accounts[i] = Account{Address: crypto.PubkeyToAddress(key.PublicKey), Key: key}
	}
	return accounts, nil
}

// Start runs the dev chain until Close.
func Start(cfg Config) (*Chain, error) {
	if cfg.Accounts < 1 {
		return nil, errors.New("dev chain: at least one account is needed to fund transactions")
	}
	if cfg.Balance == nil || cfg.Balance.Sign() <= 0 {
		return nil, errors.New("dev chain: account balance must be positive")
	}
	if cfg.BlockPeriod != 0 && cfg.BlockPeriod < time.Second {
		return nil, fmt.Errorf("dev chain: block period %v: use 0 (on demand) or whole seconds", cfg.BlockPeriod)
	}
	accounts, err := DevAccounts(cfg.Mnemonic, cfg.Accounts)
	if err != nil {
		return nil, err
	}
	addrs := make([]common.Address, len(accounts))
	for i, a := range accounts {
		addrs[i] = a.Address
	}

	nodeConf := node.DefaultConfig
	nodeConf.Name = "dec2-devchain"
	nodeConf.DataDir = cfg.DataDir
	nodeConf.P2P = p2p.Config{NoDiscovery: true, MaxPeers: 0, ListenAddr: ""}
	nodeConf.HTTPModules = []string{"eth", "net", "web3", "txpool"}
	if cfg.BlockPeriod != 0 {
		nodeConf.HTTPModules = append(nodeConf.HTTPModules, "dev") // see the sealer below
	}
	nodeConf.HTTPVirtualHosts = []string{"localhost", "127.0.0.1"}
	nodeConf.HTTPCors = []string{"*"}
	if nodeConf.HTTPHost, nodeConf.HTTPPort, err = splitAddr(cfg.HTTPAddr); err != nil {
		return nil, fmt.Errorf("dev chain: http address: %w", err)
	}
	if cfg.WSAddr != "" {
		if nodeConf.WSHost, nodeConf.WSPort, err = splitAddr(cfg.WSAddr); err != nil {
			return nil, fmt.Errorf("dev chain: ws address: %w", err)
		}
		nodeConf.WSModules = nodeConf.HTTPModules
		nodeConf.WSOrigins = []string{"*"}
	}
	stack, err := node.New(&nodeConf)
	if err != nil {
		return nil, fmt.Errorf("dev chain: new node: %w", err)
	}
	ethConf := ethconfig.Defaults
	ethConf.Genesis = Genesis(addrs, cfg.Balance)
	ethConf.SyncMode = ethconfig.FullSync
	ethConf.NetworkId = ChainID
	// The pool refuses what the miner would never include (FACTS.md: a tip under the miner's
	// 0.001 gwei minimum is otherwise accepted and never mined, and waiting for it hangs).
	ethConf.TxPool.PriceLimit = ethConf.Miner.GasPrice.Uint64()
	backend, err := eth.New(stack, &ethConf)
	if err != nil {
		stack.Close()
		return nil, fmt.Errorf("dev chain: ethereum service: %w", err)
	}
	stack.RegisterAPIs([]rpc.API{{
		Namespace: "eth",
		Service:   filters.NewFilterAPI(filters.NewFilterSystem(backend.APIBackend, filters.Config{})),
	}})
	beacon, err := catalyst.NewSimulatedBeacon(uint64(cfg.BlockPeriod/time.Second), common.Address{}, backend)
	if err != nil {
		stack.Close()
		return nil, fmt.Errorf("dev chain: block producer: %w", err)
	}
	if cfg.BlockPeriod == 0 {
		// On demand: our sealer, not go-ethereum's period-0 loop (sealer.go says why), so the
		// dev_ API (RegisterSimulatedBeaconAPIs would start that loop) is not served.
		stack.RegisterLifecycle(newSealer(beacon, backend))
	} else {
		catalyst.RegisterSimulatedBeaconAPIs(stack, beacon)
	}
	stack.RegisterLifecycle(beacon)
	if err := stack.Start(); err != nil {
		stack.Close()
		return nil, fmt.Errorf("dev chain: start node: %w", err)
	}
	c := &Chain{stack: stack, HTTPURL: stack.HTTPEndpoint(), Accounts: accounts}
	if cfg.WSAddr != "" {
		c.WSURL = stack.WSEndpoint()
	}
	return c, nil
}

// Close stops the node; an in-memory chain is gone afterwards.
func (c *Chain) Close() error {
	return c.stack.Close()
}

func splitAddr(addr string) (string, int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%q: want host:port: %w", addr, err)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 {
		return "", 0, fmt.Errorf("%q: bad port", addr)
	}
	return host, p, nil
}
