package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/briandowns/spinner"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"
	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cli/instance"
	"github.com/dec2-cloud/dec2/cli/output"
	"github.com/dec2-cloud/dec2/cli/settings"
	"github.com/dec2-cloud/dec2/cli/wallet"
)

// app is one invocation: where it reads and writes, and what it resolved.
type app struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	// interactive: stdout is a terminal, so progress may be drawn.
	interactive bool

	configPath string
	// path is the config file in use (--config or the default), file what it held.
	path       string
	file       settings.Settings
	outputFlag string
	format     output.Format
	s          settings.Settings
	flags      map[string]*string
	login      *cobra.Command
}

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "dec2",
		Short: "Rent instances from dec2 providers, pay for them, or provide a machine",
		Long: `dec2 rents containers and GPU instances from providers' machines (Nomad clients), pays
them from an escrow on chain, and joins a machine as a provider.

Sign in with the wallet first (` + "`dec2 login`" + `): it keeps a Nomad token for the wallet's
namespace in the config file, and every command after it works there.

Settings come from flags, then the environment (NOMAD_ADDR, NOMAD_TOKEN, NOMAD_NAMESPACE,
DEC2_IDENTITY, DEC2_RPC_URL, DEC2_KEY, …), then the config file (` + settings.DefaultPath() + ` or --config).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.resolve(cmd)
		},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	f := root.PersistentFlags()
	f.StringVarP(&a.outputFlag, "output", "o", "table", "output format: table or json")
	f.StringVar(&a.configPath, "config", "", "config file (default "+settings.DefaultPath()+")")
	a.flags = map[string]*string{}
	for _, src := range settings.Sources {
		help := fmt.Sprintf("%s (env %s", usage[src.Flag], src.Env)
		if src.Default != "" {
			help += ", default " + src.Default
		}
		a.flags[src.Flag] = f.String(src.Flag, "", help+")")
	}
	root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"table", "json"}, cobra.ShellCompDirectiveNoFileComp))
	a.login = a.loginCmd()
	root.AddCommand(a.login, a.logoutCmd(), a.instanceCmd(), a.walletCmd(), a.providerCmd(), a.s3Cmd())
	root.AddCommand(a.consoleCmd())
	return root
}

var usage = map[string]string{
	"nomad-addr":  "Nomad's HTTP address",
	"nomad-token": "Nomad ACL token",
	"allocator":   "dec2-allocator's address, where instances are submitted (default the Nomad address)",
	"rpc-url":     "chain JSON-RPC URL",
	"deployment":  "contracts' addresses file (default deployments/<chain-id>.json)",
	"key-file":    "file holding the wallet's hex private key (or set DEC2_KEY)",
	"operator":    "billing operator's address, authorised by wallet deposit",
	"billing-url": "dec2-billing's metrics address, for statements",
	"identity":    "dec2-identity's URL, where dec2 login signs in",
	"namespace":   "Nomad namespace to work in (dec2 login sets the wallet's; default Nomad's default)",
}

func (a *app) resolve(cmd *cobra.Command) error {
	var err error
	if a.format, err = output.ParseFormat(a.outputFlag); err != nil {
		return err
	}
	path, explicit := a.configPath, a.configPath != ""
	if !explicit {
		path = settings.DefaultPath()
	}
	// login creates the file it keeps the session in.
	file, err := settings.Load(path, explicit && cmd != a.login)
	if err != nil {
		return fmt.Errorf("--config: %w", err)
	}
	a.path, a.file = path, file
	given := map[string]string{}
	for name, v := range a.flags {
		if cmd.Flags().Changed(name) {
			given[name] = *v
		}
	}
	a.s = settings.Resolve(given, a.getenv, file)
	return nil
}

func (a *app) print(v output.Tabular) error { return output.Write(a.stdout, a.format, v) }

// progress shows a spinner with the latest step on stderr while stdout is a terminal; done
// clears it.
func (a *app) progress() (update func(string), done func()) {
	if !a.interactive {
		return func(string) {}, func() {}
	}
	s := spinner.New(spinner.CharSets[14], 100*time.Millisecond, spinner.WithWriterFile(os.Stderr))
	s.Start()
	return func(msg string) { s.Suffix = " " + msg }, s.Stop
}

// signer opens the chain signing with the wallet key (--key-file, else DEC2_KEY).
func (a *app) signer(ctx context.Context) (*wallet.Wallet, error) {
	k, err := wallet.LoadKey(a.s.KeyFile, a.getenv(wallet.KeyEnv))
	if err != nil {
		return nil, err
	}
	return wallet.Open(ctx, a.s.RPCURL, a.s.Deployment, k)
}

// reader opens the chain for reads only.
func (a *app) reader(ctx context.Context) (*wallet.Wallet, error) {
	return wallet.Open(ctx, a.s.RPCURL, a.s.Deployment, nil)
}

// address is the wallet the command is about: flag when given, else the key's address.
func (a *app) address(flag, flagValue string) (common.Address, error) {
	if flagValue != "" {
		if !common.IsHexAddress(flagValue) {
			return common.Address{}, fmt.Errorf("--%s %q: want a 0x-prefixed 20-byte hex address", flag, flagValue)
		}
		return common.HexToAddress(flagValue), nil
	}
	k, err := wallet.LoadKey(a.s.KeyFile, a.getenv(wallet.KeyEnv))
	if err != nil {
		return common.Address{}, fmt.Errorf("which wallet? pass --%s, or set DEC2_KEY / --key-file: %w", flag, err)
	}
	return crypto.PubkeyToAddress(k.PublicKey), nil
}

// operator is the configured billing operator, if any.
func (a *app) operator() (common.Address, error) {
	if a.s.Operator == "" {
		return common.Address{}, nil
	}
	if !common.IsHexAddress(a.s.Operator) {
		return common.Address{}, fmt.Errorf("--operator %q: want a 0x address", a.s.Operator)
	}
	return common.HexToAddress(a.s.Operator), nil
}

// exitError carries a command's own exit code (exec passes the remote command's on); it is
// not printed as an error.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// report prints err unless it is an exit status, and returns the process's exit code.
func report(w io.Writer, err error) int {
	var e exitError
	if errors.As(err, &e) {
		return e.code
	}
	fmt.Fprintln(w, "Error:", err)
	return 1
}

// nomad is a client of the Nomad API (reads, logs, exec, drains).
func (a *app) nomad() (*api.Client, error) {
	return instance.Connect(a.s.NomadAddr, a.s.NomadToken, a.s.Namespace, a.s.Region)
}

// allocators are clients of the region's allocators (--allocator, comma-separated), where
// instances are submitted and stopped: the first, then the others while a failover lasts.
func (a *app) allocators() (*api.Client, []*api.Client, error) {
	var cs []*api.Client
	for addr := range strings.SplitSeq(a.s.Allocator, ",") {
		if addr = strings.TrimSpace(addr); addr == "" {
			continue
		}
		c, err := instance.Connect(addr, a.s.NomadToken, a.s.Namespace, a.s.Region)
		if err != nil {
			return nil, nil, fmt.Errorf("--allocator %s: %w", addr, err)
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return nil, nil, errors.New("no allocator address: pass --allocator URL[,URL…] or set DEC2_ALLOCATOR")
	}
	return cs[0], cs[1:], nil
}
