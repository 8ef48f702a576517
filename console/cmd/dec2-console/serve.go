package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
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
		storage, storageKey             string
		storageEvery                    time.Duration
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

With --storage and a --meter wallet's key of the storage service (--storage-key-file, else
$DEC2_CONSOLE_METER_KEY), the buckets page shows each user what their pieces take on each
provider and cost an hour; the service is read at most once per --storage-every for all users.
Bucket names stay encrypted with the user's key: ` + "`dec2 s3 ls`" + ` shows them.

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
			meter, err := storageMeter(storage, storageKey, storageEvery)
			if err != nil {
				return cmdmain.Usage(err)
			}
			kept, err := region.OpenSessions(sessionsPath)
			if err != nil {
				return cmdmain.Usage(fmt.Errorf("--sessions: %w", err))
			}
			c, err := region.New(region.Config{Identity: s.Identity, NomadAddr: s.NomadAddr, PublicURL: publicURL, Sessions: kept,
				Open:    region.Backends(backend.Config{Settings: s, Attestors: attestors, Meter: meter, Log: log}),
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
				"nomad", s.NomadAddr, "allocator", s.Allocator, "sessions", sessionsPath, "kept_sessions", kept.Len(), "storage", storage)
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
	f.StringVar(&storage, "storage", os.Getenv("DEC2_STORAGE"), "the storage service (dec2-storage) whose usage the buckets page shows each user; needs --storage-key-file (default $DEC2_STORAGE; empty: the page says storage is not configured)")
	f.StringVar(&storageKey, "storage-key-file", "", "file holding the hex key of a wallet dec2-storage names with --meter (else $"+meterKeyEnv+"); needed with --storage")
	f.DurationVar(&storageEvery, "storage-every", 30*time.Second, "how often, at most, the tenants' storage usage is read for the buckets page")
	return cmd
}

// meterKeyEnv holds the storage meter's hex key when no --storage-key-file is given.
const meterKeyEnv = "DEC2_CONSOLE_METER_KEY"

// storageMeter is the buckets page's reader of the tenants' storage usage; nil without
// --storage.
func storageMeter(addr, keyFile string, every time.Duration) (*backend.Meter, error) {
	if addr == "" {
		if keyFile != "" {
			return nil, errors.New("--storage-key-file: given without --storage")
		}
		return nil, nil
	}
	if u, err := url.Parse(addr); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--storage %q: want the storage service's http(s)://host[:port]", addr)
	}
	if every <= 0 {
		return nil, fmt.Errorf("--storage-every %s: want more than 0", every)
	}
	src, h := meterKeyEnv, os.Getenv(meterKeyEnv)
	if keyFile != "" {
		b, err := os.ReadFile(keyFile)
		if err != nil {
			return nil, fmt.Errorf("--storage-key-file: %w", err)
		}
		src, h = "--storage-key-file "+keyFile, string(b)
	}
	h = strings.TrimPrefix(strings.TrimSpace(h), "0x")
	if h == "" {
		return nil, fmt.Errorf("--storage %s needs a --meter wallet's key of the storage service: pass --storage-key-file or set %s", addr, meterKeyEnv)
	}
	key, err := crypto.HexToECDSA(h)
	if err != nil {
		// The key itself never goes into an error: it would end up in terminals and logs.
		return nil, fmt.Errorf("the storage meter key from %s is not a hex secp256k1 private key", src)
	}
	return backend.NewMeter(addr, key, every)
}
