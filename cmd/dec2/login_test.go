package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/cli/instance"
	"github.com/dec2-cloud/dec2/cli/settings"
	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
)

const testKey = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"

// A refused sign-in says what to do, whatever refused it: the key, the identity service's
// address, the identity service itself.
func TestLoginErrorsSayWhatToDo(t *testing.T) {
	taken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/siwe/nonce" {
			fmt.Fprint(w, `{"nonce": "abcdef0123456789abcdef0123456789", "domain": "x", "chain_id": 1337}`)
			return
		}
		w.WriteHeader(http.StatusConflict)
		fmt.Fprint(w, `{"error": "namespace: t-… is bound to another wallet", "code": "namespace_taken"}`)
	}))
	defer taken.Close()
	notIdentity := httptest.NewServer(http.NotFoundHandler())
	defer notIdentity.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	cfg := filepath.Join(t.TempDir(), "config.json")
	for _, tc := range []struct {
		env  map[string]string
		want []string
	}{
		{map[string]string{}, []string{"dec2 login signs with the wallet's key", "DEC2_KEY"}},
		{map[string]string{"DEC2_KEY": "0xnot-a-key"}, []string{"not a hex secp256k1 private key"}},
		{map[string]string{"DEC2_KEY": testKey, "DEC2_IDENTITY": dead.URL}, []string{"cannot reach the identity service at " + dead.URL, "DEC2_IDENTITY"}},
		{map[string]string{"DEC2_KEY": testKey, "DEC2_IDENTITY": notIdentity.URL}, []string{"does not answer like dec2-identity", "DEC2_IDENTITY"}},
		{map[string]string{"DEC2_KEY": testKey, "DEC2_IDENTITY": taken.URL}, []string{"operator", "namespace_taken"}},
		{map[string]string{"DEC2_KEY": testKey, "DEC2_IDENTITY": "not a url"}, []string{"identity URL"}},
	} {
		_, _, err := dec2(t, tc.env, "--config", cfg, "login")
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("login with %v: %v, want an error containing %q", tc.env, err, w)
			}
		}
		if strings.Contains(fmt.Sprint(err), testKey) {
			t.Errorf("the key is in the error: %v", err)
		}
	}
	if _, err := os.Stat(cfg); err == nil {
		t.Error("a failed login wrote the config file")
	}
}

func TestLogoutWithoutSession(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(cfg, []byte(`{"rpc_url": "http://127.0.0.1:1"}`), 0o600)
	_, stderr, err := dec2(t, nil, "--config", cfg, "logout")
	if err != nil || !strings.Contains(stderr, "not logged in") {
		t.Fatalf("logout with no session: %v, stderr %q", err, stderr)
	}
	if b, _ := os.ReadFile(cfg); string(b) != `{"rpc_url": "http://127.0.0.1:1"}` {
		t.Errorf("logout with no session changed the config file: %s", b)
	}
}

// Nomad's refusal of the token (403) says to sign in, and why it was refused when it can tell.
func TestRefusedTokenSaysLogin(t *testing.T) {
	nomad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "Permission denied", http.StatusForbidden)
	}))
	defer nomad.Close()
	cfg := filepath.Join(t.TempDir(), "config.json")
	env := map[string]string{"NOMAD_ADDR": nomad.URL, "DEC2_KEY": testKey}
	if _, _, err := dec2(t, env, "instance", "ls"); err == nil || !strings.Contains(err.Error(), "not signed in: run `dec2 login`") {
		t.Errorf("ls with no token: %v", err)
	}
	if err := settings.Save(cfg, settings.Settings{NomadToken: "old", Namespace: "t-ab", TokenExpires: "2001-01-01T00:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := dec2(t, env, "--config", cfg, "instance", "ls"); err == nil || !strings.Contains(err.Error(), "expired at 2001-01-01T00:00:00Z: run `dec2 login` again") {
		t.Errorf("ls with an expired session: %v", err)
	}
	if _, _, err := dec2(t, env, "--config", cfg, "instance", "describe", "web"); err == nil || !strings.Contains(err.Error(), "dec2 login") {
		t.Errorf("describe with an expired session: %v", err)
	}
	env["NOMAD_TOKEN"] = "other"
	if _, _, err := dec2(t, env, "--config", cfg, "instance", "stop", "web"); err == nil || !strings.Contains(err.Error(), "refused in namespace t-ab") {
		t.Errorf("stop with a refused token: %v", err)
	}
}

// startACLWorld is startWorld with ACLs on and no namespace bound: consumers sign in with
// their wallets, which binds their namespaces. The providers are priced and paid to provider 0.
func startACLWorld(t *testing.T, clients []e2e.Client) *world {
	t.Helper()
	return startWorldWith(t, true, func(ch *devenv.Env) []e2e.Client {
		meta := map[string]string{"dec2.wallet": ch.Provider(0).Hex()}
		for k, v := range testPrices {
			meta[k] = v
		}
		for i := range clients {
			clients[i].Meta = meta
		}
		return clients
	})
}

// A consumer signs in with its wallet and rents an instance in its own namespace, through the
// allocator, billed to its wallet; another consumer signed in cannot see or stop it; logging out
// revokes the token.
func TestLoginTenantInstances(t *testing.T) {
	w := startACLWorld(t, []e2e.Client{{Name: "p1", CPUMHz: 4000, MemoryMB: 4096}})
	id := e2e.StartIdentity(t, w.region)
	alloc := e2e.StartAllocator(t, w.region, "--pack-all")
	image := e2e.WorkloadImage(t)

	as := func(c common.Address) (map[string]string, string) {
		env := w.as(t, c)
		env["DEC2_IDENTITY"], env["DEC2_ALLOCATOR"], env["DEC2_OPERATOR"] = id.URL, alloc.Addr, w.chain.Operator().Hex()
		return env, filepath.Join(t.TempDir(), "dec2", "config.json")
	}
	a, b := w.chain.Consumer(0), w.chain.Consumer(1)
	envA, cfgA := as(a)
	envB, cfgB := as(b)
	mustRun(t, envA, "wallet", "deposit", "50", "--operator", w.chain.Operator().Hex())

	sess := decode[Session](t, mustRun(t, envA, "--config", cfgA, "login", "-o", "json"))
	nsA := "t-" + strings.ToLower(strings.TrimPrefix(a.Hex(), "0x"))
	if sess.Wallet != a.Hex() || sess.Namespace != nsA || sess.Config != cfgA || !strings.Contains(sess.NomadEnv, "NOMAD_ADDR="+alloc.Addr) ||
		!strings.Contains(sess.NomadEnv, "NOMAD_NAMESPACE="+nsA) {
		t.Fatalf("login printed %+v, want wallet %s in %s", sess, a.Hex(), nsA)
	}
	file, err := settings.Load(cfgA, true)
	if err != nil || file.NomadToken == "" || file.Namespace != nsA || file.Expires().Before(time.Now().Add(30*time.Minute)) {
		t.Fatalf("config file after login: %+v, %v", file, err)
	}
	if fi, _ := os.Stat(cfgA); fi.Mode() != 0o600 {
		t.Errorf("config file mode %v, want 0600", fi.Mode())
	}
	if !strings.Contains(sess.NomadEnv, "NOMAD_TOKEN="+file.NomadToken) {
		t.Errorf("the nomad CLI line %q lacks the session's token", sess.NomadEnv)
	}
	if table := mustRun(t, envA, "--config", cfgA, "login"); !strings.Contains(table, "export NOMAD_ADDR=") || !strings.Contains(table, nsA) {
		t.Errorf("login's table:\n%s", table)
	}
	file, _ = settings.Load(cfgA, true) // the second login's token
	// Billing starts once A's namespace exists: Nomad v1.11.3's event stream for all namespaces
	// covers only those that exist when it is opened (nomad/event_endpoint.go validateACL).
	w.chain.ServeBilling(t, w.region.Addr, w.region.Token)
	ns, _, err := w.region.API.Namespaces().Info(nsA, nil)
	if err != nil || ns.Meta[conventions.MetaWallet] != a.Hex() {
		t.Fatalf("namespace %s: %+v, %v; want it bound to %s", nsA, ns, err, a.Hex())
	}

	// No --wallet: the namespace's wallet pays. Through the allocator, packed, in the namespace.
	in := decode[instance.Instance](t, mustRun(t, envA, "--config", cfgA, "instance", "run", "--type", "d2.nano", "--image", image,
		"--name", "web", "--port", "8080", "--arg=-http", "--arg=:8080", "-o", "json"))
	if in.Status != "running" || len(in.Placements) != 1 || in.Placements[0].Node != "p1" {
		t.Fatalf("run returned %+v, want web running on p1", in)
	}
	job, _, err := w.region.API.Jobs().Info("web", &api.QueryOptions{Namespace: nsA})
	if err != nil || *job.Namespace != nsA || job.Meta["dec2.plan"] == "" || job.Meta["dec2.wallet"] != a.Hex() {
		t.Fatalf("web in %s: %v, meta %v; want it packed and billed to %s", nsA, err, job.Meta, a.Hex())
	}
	if _, _, err := w.region.API.Jobs().Info("web", &api.QueryOptions{Namespace: api.DefaultNamespace}); err == nil {
		t.Fatal("web is also in the default namespace")
	}
	if _, _, err := dec2(t, envA, "--config", cfgA, "instance", "run", "--type", "d2.nano", "--image", image, "--wallet", b.Hex()); err == nil ||
		!strings.Contains(err.Error(), "bound to wallet "+a.Hex()) {
		t.Errorf("run billed to another wallet: %v", err)
	}
	list := decode[instance.List](t, mustRun(t, envA, "--config", cfgA, "instance", "ls", "-o", "json"))
	if len(list) != 1 || list[0].Name != "web" || list[0].Running != 1 || list[0].Wallet != a.Hex() {
		t.Fatalf("ls = %+v, want web running, billed to %s", list, a.Hex())
	}
	if table := mustRun(t, envA, "--config", cfgA, "instance", "describe", "web"); !strings.Contains(table, "p1") {
		t.Errorf("describe:\n%s", table)
	}
	e2e.Poll(t, "billing to stream web's price from the namespace's wallet", time.Minute, 500*time.Millisecond, func() (bool, error) {
		return decode[wallet.Balance](t, mustRun(t, envA, "wallet", "balance", "-o", "json")).RatePerHour != "0", nil
	})

	// Another consumer, signed in, sees nothing of it and cannot stop it, nor reach A's namespace.
	mustRun(t, envB, "--config", cfgB, "login")
	if other := decode[instance.List](t, mustRun(t, envB, "--config", cfgB, "instance", "ls", "-o", "json")); len(other) != 0 {
		t.Fatalf("B's ls = %+v, want nothing", other)
	}
	if _, _, err := dec2(t, envB, "--config", cfgB, "instance", "stop", "web"); err == nil || !strings.Contains(err.Error(), `no instance "web"`) {
		t.Fatalf("B stopping A's instance: %v, want no such instance", err)
	}
	if _, _, err := dec2(t, envB, "--config", cfgB, "--namespace", nsA, "instance", "ls"); err == nil || !strings.Contains(err.Error(), "refused in namespace "+nsA) {
		t.Fatalf("B listing A's namespace: %v, want the token refused there", err)
	}
	if _, _, err := dec2(t, envB, "--config", cfgB, "--namespace", nsA, "instance", "stop", "web"); err == nil || !strings.Contains(err.Error(), "dec2 login") {
		t.Fatalf("B stopping web in A's namespace: %v, want refused", err)
	}
	if job, _, err := w.region.API.Jobs().Info("web", &api.QueryOptions{Namespace: nsA}); err != nil || job.Stop != nil && *job.Stop {
		t.Fatalf("web after B's tries: %v, stopped %v", err, job.Stop)
	}

	// Logging out revokes A's token: Nomad refuses it, and dec2 says to sign in.
	_, stderr, err := dec2(t, envA, "--config", cfgA, "logout")
	if err != nil || !strings.Contains(stderr, "token revoked") {
		t.Fatalf("logout: %v, stderr %q", err, stderr)
	}
	if f, _ := settings.Load(cfgA, true); f.NomadToken != "" || f.Namespace != "" || f.TokenExpires != "" || f.Identity != "" && f.Identity != id.URL {
		t.Fatalf("config file after logout: %+v", f)
	}
	old, err := instance.Connect(w.region.Addr, file.NomadToken, nsA, "")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = old.Jobs().List(nil)
	var re api.UnexpectedResponseError
	if !asForbidden(err, &re) {
		t.Fatalf("the revoked token listing jobs: %v, want 403", err)
	}
	if _, _, err := dec2(t, envA, "--config", cfgA, "instance", "ls"); err == nil || !strings.Contains(err.Error(), "run `dec2 login`") {
		t.Fatalf("ls after logout: %v, want it to say to dec2 login", err)
	}
	if _, stderr, err := dec2(t, envA, "--config", cfgA, "logout"); err != nil || !strings.Contains(stderr, "not logged in") {
		t.Fatalf("a second logout: %v, stderr %q", err, stderr)
	}
	// Signed in again, A stops its instance.
	mustRun(t, envA, "--config", cfgA, "login")
	mustRun(t, envA, "--config", cfgA, "instance", "stop", "web")
	mustRun(t, envB, "--config", cfgB, "logout")
}

func asForbidden(err error, re *api.UnexpectedResponseError) bool {
	if err == nil {
		return false
	}
	if e, ok := err.(api.UnexpectedResponseError); ok {
		*re = e
		return e.StatusCode() == http.StatusForbidden
	}
	return strings.Contains(err.Error(), "403")
}
