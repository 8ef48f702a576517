package main

import (
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/tenancy"
)

// delegation is a signed delegation as job meta.
type delegation struct {
	Namespace string            `json:"namespace"`
	Until     time.Time         `json:"until"`
	Meta      map[string]string `json:"meta"`
}

func (d delegation) Header() []string { return []string{"JOB META KEY", "VALUE"} }

func (d delegation) Rows() [][]string {
	rows := [][]string{}
	for _, k := range []string{conventions.MetaWallet, conventions.MetaDelegation, conventions.MetaDelegationUntil} {
		rows = append(rows, []string{k, d.Meta[k]})
	}
	return rows
}

func (a *app) walletDelegateCmd() *cobra.Command {
	var ns string
	var valid time.Duration
	c := &cobra.Command{
		Use:   "delegate --namespace NAMESPACE",
		Short: "Let another tenant's namespace bill its jobs to this wallet, for a while",
		Long: `delegate signs (EIP-712, for the chain at --rpc-url) that jobs of NAMESPACE may be billed to
this wallet until --for from now, and prints the three job meta keys that carry it. Jobs that
carry them in that namespace are billed to this wallet; nothing else changes.`,
		Example: `  dec2 wallet delegate --namespace t-70997970c51812dc3a010c7d01b50e0d17dc79c8 --for 24h`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if ns == "" {
				return fmt.Errorf("--namespace: say which tenant's jobs this wallet pays for (its `dec2 login` prints it)")
			}
			if valid <= 0 {
				return fmt.Errorf("--for %s: want a positive duration such as 24h", valid)
			}
			key, err := wallet.LoadKey(a.s.KeyFile, a.getenv(wallet.KeyEnv))
			if err != nil {
				return err
			}
			ec, err := ethclient.DialContext(cmd.Context(), a.s.RPCURL)
			if err != nil {
				return fmt.Errorf("connecting to the chain at %s: %w", a.s.RPCURL, err)
			}
			defer ec.Close()
			chainID, err := ec.ChainID(cmd.Context())
			if err != nil {
				return fmt.Errorf("reading the chain id from %s: %w", a.s.RPCURL, err)
			}
			d, err := tenancy.Sign(key, tenancy.Delegation{Namespace: ns, Until: time.Now().Add(valid).Truncate(time.Second)}, chainID)
			if err != nil {
				return err
			}
			return a.print(delegation{Namespace: ns, Until: d.Until.UTC(), Meta: d.Meta()})
		},
	}
	c.Flags().StringVar(&ns, "namespace", "", "the namespace whose jobs this wallet pays for")
	c.Flags().DurationVar(&valid, "for", 24*time.Hour, "how long the delegation holds")
	return c
}
