package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cli/settings"
	"github.com/dec2-cloud/dec2/cmdmain"
	"github.com/dec2-cloud/dec2/console/backend"
	"github.com/dec2-cloud/dec2/console/region"
)

// perUser are the CLI's settings each signed-in user brings (their token and namespace) or
// that a console holding no key has no use for: they are not flags here.
var perUser = []string{"nomad-token", "namespace", "key-file"}

func newServeCmd() *cobra.Command {
	var (
		listen, publicURL, sessionsPath string
		attestors                       []string
		perPage, sessions               int
	)
	given := map[string]*string{}
	cmd := &cobra.Command{
		Use:   "serve --identity URL --nomad-addr URL --allocator URL ...",
		Short: "Serve the console: each visitor signs in with their browser wallet and gets their namespace's pages",
		Long: `serve answers a visitor with a sign-in page whose script asks the browser's wallet
(EIP-1193) to sign a Sign-In with Ethereum message from dec2-identity. The console completes
the sign-in, keeps the Nomad token for the wallet's namespace in a session on its side (the
browser holds only an HttpOnly cookie naming it) and serves that user the console's pages
with it, until the token expires or the user signs out. It holds no key: the wallet page
builds a deposit or withdrawal unsigned, and the browser's wallet sends it. With --sessions
the sessions (each under the hash of its cookie, with its Nomad token) are kept in that file,
so that a restarted console serves its users without a new sign-in.

The region's settings are the CLI's flags and environment variables (--nomad-addr/NOMAD_ADDR,
--allocator/DEC2_ALLOCATOR, --identity/DEC2_IDENTITY, --rpc-url, --deployment, --operator,
--billing-url, --region).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if publicURL != "" {
				if u, err := url.Parse(publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return cmdmain.Usage(fmt.Errorf("--public-url %q: want http(s)://host[:port]", publicURL))
				}
			}
			flags := map[string]string{}
			for name, v := range given {
				if cmd.Flags().Changed(name) {
					flags[name] = *v
				}
			}
			s := settings.Resolve(flags, os.Getenv, settings.Settings{})
			s.NomadToken, s.Namespace, s.KeyFile = "", "", ""
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			kept, err := region.OpenSessions(sessionsPath)
			if err != nil {
				return cmdmain.Usage(fmt.Errorf("--sessions: %w", err))
			}
			c, err := region.New(region.Config{Identity: s.Identity, NomadAddr: s.NomadAddr, PublicURL: publicURL, Sessions: kept,
				Open:    region.Backends(backend.Config{Settings: s, Attestors: attestors, Log: log}),
				PerPage: perPage, MaxSessions: sessions, Log: log})
			if err != nil {
				return cmdmain.Usage(err)
			}
			defer c.Close()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return cmdmain.Usage(fmt.Errorf("--listen %s: %w", listen, err))
			}
			log.Info("console serving", "listen", ln.Addr().String(), "public_url", publicURL, "identity", s.Identity,
				"nomad", s.NomadAddr, "allocator", s.Allocator, "sessions", sessionsPath, "kept_sessions", kept.Len())
			return cmdmain.Serve(ctx, ln, c.Handler(), 5*time.Second)
		},
	}
	f := cmd.Flags()
	for _, src := range settings.Sources {
		if slices.Contains(perUser, src.Flag) {
			continue
		}
		given[src.Flag] = f.String(src.Flag, src.Default, "as the CLI's --"+src.Flag+" (else $"+src.Env+")")
	}
	f.StringVar(&listen, "listen", "127.0.0.1:4662", "address to serve the console on")
	f.StringVar(&publicURL, "public-url", "", "the console's URL as its users reach it: the signed message's URI; https:// makes the cookie Secure (default http://<the request's host>)")
	f.StringSliceVar(&attestors, "attestor", nil, "an attestor's base URL for the provider page's reputation (repeatable)")
	f.IntVar(&perPage, "per-page", 0, "instances a page lists (default 50)")
	f.StringVar(&sessionsPath, "sessions", "", "file to keep the sessions in (mode 0600: it holds users' Nomad tokens) so that they survive a restart (default: in memory, a restart signs everyone out)")
	f.IntVar(&sessions, "max-sessions", region.DefaultMaxSessions, "most users signed in at once (each session follows Nomad's events)")
	return cmd
}
