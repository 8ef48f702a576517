// dec2-identity is the wallet sign-in service: Sign-In with Ethereum → JWT → Nomad ACL token
// (docs/identity.md).
package main

import (
	"context"
	"crypto/rsa"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/identity/jwtkeys"
	"github.com/dec2-cloud/dec2/identity/nomadacl"
	"github.com/dec2-cloud/dec2/identity/nonces"
	"github.com/dec2-cloud/dec2/identity/server"
)

type options struct {
	listen, nomadAddr, nomadToken, issuer, audience, keyPath, publicURL, authMethod string
	// domains are the public URL's host, then each -domain.
	domains                   []string
	chainID                   uint64
	tokenTTL, jwtTTL, startup time.Duration
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("dec2-identity", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:4657", "address to serve on")
	fs.StringVar(&o.nomadAddr, "nomad-addr", envOr("NOMAD_ADDR", "http://127.0.0.1:4646"), "Nomad's HTTP API")
	fs.StringVar(&o.nomadToken, "nomad-token", os.Getenv("NOMAD_TOKEN"), "management token (default $NOMAD_TOKEN)")
	fs.StringVar(&o.publicURL, "public-url", "", "this service's URL as Nomad's servers and signers reach it (default http://<listen>)")
	fs.Func("domain", "a domain messages may name besides the public URL's host[:port]: each region console's host[:port] (repeatable)", func(v string) error {
		if v == "" || strings.ContainsAny(v, "/ ") {
			return fmt.Errorf("%q: want host[:port], e.g. console.example:4662", v)
		}
		o.domains = append(o.domains, v)
		return nil
	})
	fs.Uint64Var(&o.chainID, "chain-id", 1337, "the chain id messages must name")
	fs.StringVar(&o.issuer, "issuer", "", "JWT iss (default the public URL)")
	fs.StringVar(&o.audience, "audience", "dec2-nomad", "JWT aud, bound in the auth method")
	fs.StringVar(&o.keyPath, "key", "", "RSA private key PEM for JWTs (default: generated at start)")
	fs.StringVar(&o.authMethod, "auth-method", nomadacl.DefaultAuthMethod, "Nomad auth method name")
	fs.DurationVar(&o.tokenTTL, "token-ttl", nomadacl.DefaultMaxTokenTTL, "life of a Nomad token from a login")
	fs.DurationVar(&o.jwtTTL, "jwt-ttl", jwtkeys.DefaultTTL, "life of a JWT")
	fs.DurationVar(&o.startup, "startup-timeout", time.Minute, "how long to retry setting up Nomad's auth method at start")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.nomadToken == "" {
		return o, errors.New("no management token: pass -nomad-token or set NOMAD_TOKEN")
	}
	if o.publicURL == "" {
		o.publicURL = "http://" + o.listen
	}
	u, err := url.Parse(o.publicURL)
	if err != nil || u.Host == "" {
		return o, fmt.Errorf("-public-url %q: want http(s)://host[:port]", o.publicURL)
	}
	o.domains = append([]string{u.Host}, o.domains...)
	if o.issuer == "" {
		o.issuer = o.publicURL
	}
	return o, nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	o, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err = run(ctx, o, log)
	}
	if err != nil {
		log.Error("dec2-identity", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, log *slog.Logger) error {
	key, err := loadKey(o.keyPath)
	if err != nil {
		return err
	}
	signer, err := jwtkeys.New(key, jwtkeys.Config{Issuer: o.issuer, Audience: o.audience, TTL: o.jwtTTL})
	if err != nil {
		return err
	}
	nomad, err := api.NewClient(&api.Config{Address: o.nomadAddr, SecretID: o.nomadToken})
	if err != nil {
		return fmt.Errorf("creating the Nomad client: %w", err)
	}
	acl := nomadacl.New(nomad, nomadacl.Config{
		AuthMethod: o.authMethod, JWKSURL: o.publicURL + "/.well-known/jwks.json",
		Issuer: o.issuer, Audience: o.audience, MaxTokenTTL: o.tokenTTL,
	})
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", o.listen, err)
	}
	srv := &http.Server{
		Handler: server.New(server.Config{
			Domains: o.domains, ChainID: o.chainID, Nonces: nonces.New(5*time.Minute, 100_000, nil),
			Signer: signer, ACL: acl, Log: log,
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if err := setUpNomad(ctx, acl, o.startup, log); err != nil {
		_ = srv.Close()
		return err
	}
	log.Info("serving", "listen", ln.Addr().String(), "public_url", o.publicURL, "domains", o.domains, "chain_id", o.chainID, "kid", signer.KeyID())
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// setUpNomad retries: in a Nomad job the service may start before its servers elect a leader.
func setUpNomad(ctx context.Context, acl *nomadacl.ACL, timeout time.Duration, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		err := acl.EnsureAuthMethod(ctx)
		if err == nil {
			err = acl.EnsureBindingRule(ctx)
		}
		if err == nil {
			return nil
		}
		log.Warn("setting up Nomad's auth method; retrying", "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("setting up Nomad's auth method: %w", err)
		case <-time.After(2 * time.Second):
		}
	}
}

func loadKey(path string) (*rsa.PrivateKey, error) {
	if path == "" {
		return jwtkeys.Generate()
	}
	return jwtkeys.LoadPEM(path)
}
