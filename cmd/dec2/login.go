package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"
	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cli/settings"
	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/identity/client"
)

// Session is what `dec2 login` prints: who signed in, where its token works and how long.
type Session struct {
	Wallet     string `json:"wallet"`
	Namespace  string `json:"namespace"`
	Expires    string `json:"expires"`
	AccessorID string `json:"accessor_id"`
	Config     string `json:"config"`
	// NomadEnv is the shell line that gives the plain nomad CLI the session, submitting
	// through the allocator so jobs get packed.
	NomadEnv string `json:"nomad_env"`
}

func (s Session) Header() []string { return nil }

func (s Session) Rows() [][]string {
	return [][]string{
		{"wallet", s.Wallet},
		{"namespace", s.Namespace},
		{"expires", s.Expires},
		{"token", "accessor " + s.AccessorID + ", kept in " + s.Config},
		{"nomad CLI", s.NomadEnv},
	}
}

func (a *app) loginCmd() *cobra.Command {
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "login",
		Short: "Sign in with the wallet: get a Nomad token for its namespace and keep it in the config file",
		Long: `login signs a Sign-In with Ethereum message with the wallet's key (--key-file or DEC2_KEY),
trades it at the identity service (--identity, DEC2_IDENTITY) for a JWT, and the JWT at Nomad
(--nomad-addr) for an ACL token that works only in the wallet's namespace, t-<40 hex>. The first
sign-in binds the namespace to the wallet: everything run in it is billed to the wallet.

The token, its namespace and its expiry are kept in the config file (--config or the default),
created readable by its owner only, so that later dec2 commands work in the namespace. NOMAD_TOKEN
and NOMAD_NAMESPACE, when set, still win over it. Tokens last an hour: then log in again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, err := wallet.LoadKey(a.s.KeyFile, a.getenv(wallet.KeyEnv))
			if err != nil {
				return fmt.Errorf("dec2 login signs with the wallet's key: %w", err)
			}
			if a.path == "" {
				return fmt.Errorf("no config file to keep the session in: pass --config")
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			s, err := client.Login(ctx, a.s.Identity, a.s.NomadAddr, key)
			if err != nil {
				return a.loginError(err)
			}
			expires := ""
			if !s.ExpiresAt.IsZero() {
				expires = s.ExpiresAt.UTC().Format(time.RFC3339)
			}
			if err := settings.Update(a.path, func(f *settings.Settings) {
				f.NomadToken, f.Namespace, f.TokenExpires = s.NomadToken, s.Namespace, expires
			}); err != nil {
				return fmt.Errorf("signed in as %s, but could not keep the session: %w", s.Wallet, err)
			}
			for _, v := range []string{"NOMAD_TOKEN", "NOMAD_NAMESPACE"} {
				if a.getenv(v) != "" {
					fmt.Fprintf(a.stderr, "warning: %s is set in the environment and wins over the session: unset it for dec2 to use the session\n", v)
				}
			}
			shown := expires
			if shown == "" {
				shown = "never"
			} else {
				shown += fmt.Sprintf(" (in %s)", time.Until(s.ExpiresAt).Round(time.Minute))
			}
			return a.print(Session{
				Wallet: s.Wallet, Namespace: s.Namespace, Expires: shown, AccessorID: s.AccessorID, Config: a.path,
				NomadEnv: fmt.Sprintf("export NOMAD_ADDR=%s NOMAD_TOKEN=%s NOMAD_NAMESPACE=%s", strings.TrimSpace(strings.Split(a.s.Allocator, ",")[0]), s.NomadToken, s.Namespace),
			})
		},
	}
	c.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "how long to wait for the identity service and Nomad")
	return c
}

// loginError says what to do about a failed sign-in.
func (a *app) loginError(err error) error {
	var ie *client.Error
	if errors.As(err, &ie) {
		var hint string
		switch ie.Code {
		case "namespace_taken":
			hint = "the wallet's namespace exists bound to another wallet or to none, and is never rebound: ask the region's operator to look at it"
		case "bad_signature":
			hint = "the signature does not match the wallet: check the key (--key-file or DEC2_KEY)"
		case "expired", "not_yet_valid":
			hint = "the signed message was outside its time window: check this machine's clock, then run `dec2 login` again"
		case "bad_nonce":
			hint = "the sign-in nonce was spent or expired: run `dec2 login` again"
		case "wrong_domain":
			hint = fmt.Sprintf("the identity service does not call itself %s: set --identity or DEC2_IDENTITY to its public URL", a.s.Identity)
		case "wrong_chain_id":
			hint = "the identity service signs in wallets of another chain: ask the region's operator which identity service to use"
		case "too_many_nonces":
			hint = "the identity service is busy: try again in a few minutes"
		default:
			switch {
			case ie.Status == http.StatusNotFound || strings.HasPrefix(ie.Code, "http_"):
				hint = fmt.Sprintf("%s does not answer like dec2-identity: set --identity or DEC2_IDENTITY to the identity service's URL", a.s.Identity)
			case ie.Status >= 500:
				hint = "the identity service failed: try again later, or tell the region's operator"
			default:
				hint = "the identity service refused the sign-in"
			}
		}
		return fmt.Errorf("dec2 login: %s: %w", hint, err)
	}
	if strings.Contains(err.Error(), "logging in to Nomad") {
		return fmt.Errorf("dec2 login: the identity service signed the wallet in, but Nomad at %s did not take its JWT: "+
			"check --nomad-addr or NOMAD_ADDR names the region the identity service serves: %w", a.s.NomadAddr, err)
	}
	var ue *url.Error
	if errors.As(err, &ue) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("dec2 login: cannot reach the identity service at %s: set --identity or DEC2_IDENTITY to its URL: %w", a.s.Identity, err)
	}
	return fmt.Errorf("dec2 login: %w", err)
}

func (a *app) logoutCmd() *cobra.Command {
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "logout",
		Short: "Revoke the session's Nomad token and remove it from the config file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.file.NomadToken == "" {
				fmt.Fprintf(a.stderr, "not logged in: %s holds no session\n", a.path)
				return nil
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			what := "token revoked"
			if err := client.Logout(ctx, a.s.Identity, a.file.NomadToken); err != nil {
				var ie *client.Error
				switch {
				case errors.As(err, &ie) && ie.Code == "unknown_token":
					what = "the token had already expired or been revoked"
				case errors.As(err, &ie) && ie.Code == "not_a_wallet_token":
					return fmt.Errorf("the token in %s is not a wallet's session (dec2 login did not make it): left there and not revoked: %w", a.path, err)
				default:
					return fmt.Errorf("the session stays in %s: try again when the identity service at %s answers (--identity, DEC2_IDENTITY): %w", a.path, a.s.Identity, err)
				}
			}
			if err := settings.Update(a.path, func(f *settings.Settings) {
				f.NomadToken, f.Namespace, f.TokenExpires = "", "", ""
			}); err != nil {
				return fmt.Errorf("%s, but the session could not be removed from the config file: %w", what, err)
			}
			fmt.Fprintf(a.stderr, "logged out: %s; session removed from %s\n", what, a.path)
			return nil
		},
	}
	c.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "how long to wait for the identity service")
	return c
}

// boundWallet is the wallet the namespace in use is bound to (namespace meta dec2.wallet,
// written by the identity service): it pays for everything run there. "" when no namespace is
// set or it is bound to none.
func (a *app) boundWallet(ctx context.Context) (string, error) {
	if a.s.Namespace == "" {
		return "", nil
	}
	nomad, err := a.nomad()
	if err != nil {
		return "", err
	}
	ns, _, err := nomad.Namespaces().Info(a.s.Namespace, (&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("reading namespace %s: %w", a.s.Namespace, err)
	}
	w := ns.Meta[conventions.MetaWallet]
	if !common.IsHexAddress(w) {
		return "", nil
	}
	return common.HexToAddress(w).Hex(), nil
}

// payer is the wallet an instance is billed to: the namespace's bound wallet (--wallet, when
// given, must be it), else --wallet or the key's address.
func (a *app) payer(ctx context.Context, flag string) (common.Address, error) {
	bound, err := a.boundWallet(ctx)
	if err != nil {
		return common.Address{}, err
	}
	if bound == "" {
		return a.address("wallet", flag)
	}
	if flag != "" {
		if !common.IsHexAddress(flag) {
			return common.Address{}, fmt.Errorf("--wallet %q: want a 0x-prefixed 20-byte hex address", flag)
		}
		if common.HexToAddress(flag).Hex() != bound {
			return common.Address{}, fmt.Errorf("--wallet %s: namespace %s is bound to wallet %s, which pays for everything run in it: leave out --wallet", flag, a.s.Namespace, bound)
		}
	}
	return common.HexToAddress(bound), nil
}

// explainRefusals makes c's commands say what to do when Nomad refuses their token.
func explainRefusals(a *app, c *cobra.Command) {
	for _, sub := range c.Commands() {
		explainRefusals(a, sub)
	}
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error { return a.explain(run(cmd, args)) }
	}
}

// explain adds what to do to Nomad's refusal of the token (403); other errors pass unchanged.
func (a *app) explain(err error) error {
	var re api.UnexpectedResponseError
	if err == nil || !(errors.As(err, &re) && re.StatusCode() == http.StatusForbidden ||
		strings.Contains(err.Error(), "Permission denied") || strings.Contains(err.Error(), "ACL token not found")) {
		return err
	}
	ns := a.s.Namespace
	if ns == "" {
		ns = api.DefaultNamespace
	}
	switch exp := a.file.Expires(); {
	case a.s.NomadToken == "":
		return fmt.Errorf("not signed in: run `dec2 login` (or set NOMAD_TOKEN): %w", err)
	case a.s.NomadToken == a.file.NomadToken && !exp.IsZero() && time.Now().After(exp):
		return fmt.Errorf("the session in %s expired at %s: run `dec2 login` again: %w", a.path, exp.Format(time.RFC3339), err)
	default:
		return fmt.Errorf("the token was refused in namespace %s (expired, revoked, or not allowed there): run `dec2 login`: %w", ns, err)
	}
}
