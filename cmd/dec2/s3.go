package main

import (
	"crypto/ecdsa"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/piecesink"
	"github.com/dec2-cloud/dec2/storage/s3keys"
)

func (a *app) s3Cmd() *cobra.Command {
	c := &cobra.Command{Use: "s3", Short: "S3-compatible storage on providers' disks: the consumer's own gateway and its keys"}
	keys := &cobra.Command{Use: "keys", Short: "Access keys of the local S3 gateway; they never leave this machine"}
	keys.AddCommand(a.s3KeysCreateCmd())
	c.AddCommand(keys, a.s3ServeCmd())
	return c
}

// s3Serve is what `dec2 s3 serve` runs with.
type s3Serve struct {
	listen, storage, keysFile, masterFile, region, certFile, tlsKeyFile string
	nodes                                                               []string
	chainID                                                             uint64
}

func (a *app) s3ServeCmd() *cobra.Command {
	var o s3Serve
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the S3 gateway: objects encrypted here, erasure-coded onto storage nodes, catalogued by the storage service",
		Long: `serve runs the consumer's own S3 gateway. Every key stays on this machine: the S3 access keys
(dec2 s3 keys create), and the master key that encrypts object names and bytes, derived from the
wallet key (--key-file or DEC2_KEY) unless --master-key-file holds one. The wallet signs the
requests to the storage service (--storage) and owns the pieces on the storage nodes (--node,
once per node: 0xPROVIDER=NODE_ID=URL).`,
		Example: `  dec2 s3 serve --storage http://127.0.0.1:4659 \
    --node 0x70997970C51812dc3A010C7d01b50e0d17dc79C8=node-a=http://10.0.0.1:4660 ...`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.s3Serve(cmd, o) },
	}
	f := c.Flags()
	f.StringVar(&o.listen, "listen", "127.0.0.1:9000", "host:port the S3 API listens on")
	f.StringVar(&o.storage, "storage", "", "the storage service's URL (dec2-storage)")
	f.StringArrayVar(&o.nodes, "node", nil, "a storage node as 0xPROVIDER=NODE_ID=URL; repeat for each (at least 4)")
	f.StringVar(&o.keysFile, "keys-file", "", "the access key file (default $DEC2_S3_KEYS, else s3keys.json beside the config)")
	f.StringVar(&o.masterFile, "master-key-file", "", "file holding the 32-byte master key in hex (default: derived from the wallet key)")
	f.Uint64Var(&o.chainID, "chain-id", 1337, "the chain the storage nodes sign receipts for")
	f.StringVar(&o.region, "region", "us-east-1", "the SigV4 region clients sign for")
	f.StringVar(&o.certFile, "tls-cert", "", "serve TLS with this certificate (with --tls-key)")
	f.StringVar(&o.tlsKeyFile, "tls-key", "", "the TLS certificate's private key")
	return c
}

func (a *app) s3Serve(cmd *cobra.Command, o s3Serve) error {
	if o.storage == "" {
		return fmt.Errorf("--storage: the storage service's URL is required")
	}
	nodes, err := parseNodes(o.nodes)
	if err != nil {
		return err
	}
	key, err := wallet.LoadKey(a.s.KeyFile, a.getenv(wallet.KeyEnv))
	if err != nil {
		return err
	}
	master, err := masterKey(key, o.masterFile)
	if err != nil {
		return err
	}
	path, err := a.s3KeysPath(o.keysFile)
	if err != nil {
		return err
	}
	keys, err := s3keys.Load(path)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(a.stderr, nil))
	data, err := piecesink.New(piecesink.Config{Nodes: nodes, Key: key, ChainID: o.chainID, Log: log})
	if err != nil {
		return err
	}
	be, err := gateway.New(gateway.Config{
		Catalog: &metaapi.Client{URL: o.storage, Key: key},
		Data:    data, Master: master, Owner: keys[0].AccessKey, Log: log,
	})
	if err != nil {
		return err
	}
	return gateway.Serve(cmd.Context(), be, gateway.ServeConfig{
		Listen: o.listen, Region: o.region, Keys: keys, CertFile: o.certFile, KeyFile: o.tlsKeyFile, Quiet: true,
		OnListen: func() {
			log.Info("S3 gateway listening", "listen", o.listen, "wallet", crypto.PubkeyToAddress(key.PublicKey).Hex(), "nodes", len(nodes))
		},
	})
}

// parseNodes reads --node values, 0xPROVIDER=NODE_ID=URL each.
func parseNodes(specs []string) ([]piecesink.Node, error) {
	var out []piecesink.Node
	for _, s := range specs {
		parts := strings.SplitN(s, "=", 3)
		if len(parts) != 3 || !common.IsHexAddress(parts[0]) || parts[1] == "" ||
			!(strings.HasPrefix(parts[2], "http://") || strings.HasPrefix(parts[2], "https://")) {
			return nil, fmt.Errorf("--node %q: want 0xPROVIDER=NODE_ID=http(s)://HOST:PORT", s)
		}
		out = append(out, piecesink.Node{Provider: common.HexToAddress(parts[0]), ID: parts[1], URL: parts[2]})
	}
	return out, nil
}

// masterInfo names the master key's derivation from the wallet key, so that no other use of
// the wallet key yields the same bytes.
const masterInfo = "dec2 s3 master key v1"

// masterKey reads the master key from file, or derives it from the wallet key with HKDF-SHA256:
// one secret to back up, and every gateway of the wallet reads what the others wrote.
func masterKey(wk *ecdsa.PrivateKey, file string) (crypt.Key, error) {
	if file == "" {
		b, err := hkdf.Key(sha256.New, crypto.FromECDSA(wk), nil, masterInfo, crypt.KeySize)
		if err != nil {
			return crypt.Key{}, fmt.Errorf("deriving the master key: %w", err)
		}
		return crypt.KeyFromBytes(b)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return crypt.Key{}, fmt.Errorf("--master-key-file: %w", err)
	}
	b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(string(raw)), "0x"))
	if err != nil {
		// The key itself never goes into an error.
		return crypt.Key{}, fmt.Errorf("--master-key-file %s: not hex", file)
	}
	k, err := crypt.KeyFromBytes(b)
	if err != nil {
		return crypt.Key{}, fmt.Errorf("--master-key-file %s: %w", file, err)
	}
	return k, nil
}

// s3KeysPath is where the gateway's keys live: --keys-file, DEC2_S3_KEYS, or beside the config.
func (a *app) s3KeysPath(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if p := a.getenv("DEC2_S3_KEYS"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no --keys-file and no config directory: %w", err)
	}
	return filepath.Join(dir, "dec2", "s3keys.json"), nil
}

func (a *app) s3KeysCreateCmd() *cobra.Command {
	var file string
	c := &cobra.Command{
		Use:   "create",
		Short: "Create an access key pair for the local S3 gateway and print it once",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			path, err := a.s3KeysPath(file)
			if err != nil {
				return err
			}
			k, err := s3keys.Create(path, time.Now())
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.stdout, "AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n# kept in %s\n", k.AccessKey, k.SecretKey, path)
			return err
		},
	}
	c.Flags().StringVar(&file, "keys-file", "", "the key file (default $DEC2_S3_KEYS, else s3keys.json beside the config)")
	return c
}
