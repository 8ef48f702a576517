package identity_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/identity/client"
	"github.com/dec2-cloud/dec2/identity/jwtkeys"
	"github.com/dec2-cloud/dec2/identity/nomadacl"
	"github.com/dec2-cloud/dec2/identity/nonces"
	"github.com/dec2-cloud/dec2/identity/server"
	"github.com/dec2-cloud/dec2/identity/siwe"
	"github.com/dec2-cloud/dec2/identity/tenant"
	"github.com/dec2-cloud/dec2/identity/wire"
)

const (
	issuer   = "dec2-identity-test"
	audience = "dec2-nomad"
	chainID  = 1337
)

type rig struct {
	region *e2e.Region
	url    string // the identity service
	host   string
	acl    *nomadacl.ACL
}

// startRig runs Nomad with ACLs and the identity service in this process, set up as
// dec2-identity sets itself up.
func startRig(t *testing.T) *rig {
	region := e2e.StartRegion(t, e2e.Options{ACL: true, Clients: []e2e.Client{{Name: "c1", CPUMHz: 2000, MemoryMB: 2048}}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{region: region, host: ln.Addr().String(), url: "http://" + ln.Addr().String()}
	key, err := jwtkeys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jwtkeys.New(key, jwtkeys.Config{Issuer: issuer, Audience: audience})
	if err != nil {
		t.Fatal(err)
	}
	r.acl = nomadacl.New(region.API, nomadacl.Config{JWKSURL: r.url + "/.well-known/jwks.json", Issuer: issuer, Audience: audience})
	srv := &http.Server{Handler: server.New(server.Config{
		Domains: []string{r.host}, ChainID: chainID, Nonces: nonces.New(5*time.Minute, 1000, nil), Signer: signer, ACL: r.acl,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	ctx := context.Background()
	// Twice: set-up is idempotent, as a restart needs.
	for range 2 {
		if err := r.acl.EnsureAuthMethod(ctx); err != nil {
			t.Fatal(err)
		}
		if err := r.acl.EnsureBindingRule(ctx); err != nil {
			t.Fatal(err)
		}
	}
	rules, _, err := region.API.ACLBindingRules().List(nil)
	if err != nil || len(rules) != 1 {
		t.Fatalf("binding rules after two set-ups: %d, %v", len(rules), err)
	}
	return r
}

func (r *rig) login(t *testing.T, key *ecdsa.PrivateKey) client.Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := client.Login(ctx, r.url, r.region.Addr, key)
	if err != nil {
		t.Fatalf("login: %v\n%s", err, r.region.Logs(20))
	}
	return s
}

// as is a Nomad client with a tenant's token, in its namespace.
func (r *rig) as(t *testing.T, s client.Session) *api.Client {
	t.Helper()
	c, err := api.NewClient(&api.Config{Address: r.region.Addr, SecretID: s.NomadToken, Namespace: s.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// parked is a job that registers but never places: no node has that kernel.
func parked(ns string) *api.Job {
	job := api.NewServiceJob("parked", "parked", "global", 50)
	job.Namespace = &ns
	job.Constrain(api.NewConstraint("${attr.kernel.name}", "=", "none"))
	task := api.NewTask("t", "docker").SetConfig("image", "dec2-none:latest")
	task.Require(&api.Resources{CPU: ptr(100), MemoryMB: ptr(64)})
	job.AddTaskGroup(api.NewTaskGroup("g", 1).AddTask(task))
	return job
}

func ptr[T any](v T) *T { return &v }

func forbidden(err error) bool {
	var ue api.UnexpectedResponseError
	return errors.As(err, &ue) && ue.StatusCode() == http.StatusForbidden
}

func TestWalletLoginOnNomad(t *testing.T) {
	e2e.RequireIntegration(t)
	r := startRig(t)
	alice, _ := crypto.GenerateKey()
	bob, _ := crypto.GenerateKey()
	a := r.login(t, alice)
	b := r.login(t, bob)
	wallet := crypto.PubkeyToAddress(alice.PublicKey)
	if a.Wallet != wallet.Hex() || a.Namespace != tenant.Namespace(wallet) || a.NomadToken == "" {
		t.Fatalf("session %+v", a)
	}
	if left := time.Until(a.ExpiresAt); left < 55*time.Minute || left > time.Hour {
		t.Errorf("token expires in %v, want the auth method's hour", left)
	}
	ns, _, err := r.region.API.Namespaces().Info(a.Namespace, nil)
	if err != nil || ns.Meta[conventions.MetaWallet] != wallet.Hex() {
		t.Fatalf("namespace %+v (%v), want meta %s = %s", ns, err, conventions.MetaWallet, wallet.Hex())
	}
	self, _, err := r.as(t, a).ACLTokens().Self(nil)
	// The binding rule's tenant-${value.namespace} gave the token its namespace's policy.
	if err != nil || !slices.Equal(self.Policies, []string{tenant.PolicyName(a.Namespace)}) || self.Type != "client" {
		t.Fatalf("token %+v (%v), want only policy %s", self, err, tenant.PolicyName(a.Namespace))
	}
	checkConfined(t, r, a, b)

	again := r.login(t, alice)
	if again.Namespace != a.Namespace || again.NomadToken == a.NomadToken {
		t.Errorf("second login %+v, want the same namespace %s and a new token", again, a.Namespace)
	}
	checkLogout(t, r, a, again)
}

// checkConfined: a's token works in a's namespace and nowhere else, and cannot rebind it.
func checkConfined(t *testing.T, r *rig, a, b client.Session) {
	t.Helper()
	ca := r.as(t, a)
	if _, _, err := ca.Jobs().Register(parked(a.Namespace), nil); err != nil {
		t.Fatalf("registering in its own namespace: %v", err)
	}
	if jobs, _, err := ca.Jobs().List(nil); err != nil || len(jobs) != 1 {
		t.Errorf("listing its own jobs: %d, %v", len(jobs), err)
	}
	if _, _, err := ca.Nodes().List(nil); err != nil {
		t.Errorf("reading nodes, which the allocator does with tenants' tokens: %v", err)
	}
	for _, other := range []string{b.Namespace, "default"} {
		// The query's namespace wins over the job's in Nomad's HTTP API: name it in both.
		if _, _, err := ca.Jobs().Register(parked(other), &api.WriteOptions{Namespace: other}); !forbidden(err) {
			t.Errorf("registering in %s: %v, want 403", other, err)
		}
		if _, _, err := ca.Jobs().List(&api.QueryOptions{Namespace: other}); !forbidden(err) {
			t.Errorf("listing jobs of %s: %v, want 403", other, err)
		}
	}
	rebind := &api.Namespace{Name: a.Namespace, Meta: map[string]string{conventions.MetaWallet: b.Wallet}}
	if _, err := ca.Namespaces().Register(rebind, nil); !forbidden(err) {
		t.Errorf("rewriting its namespace's wallet: %v, want 403", err)
	}
	if _, err := ca.ACLPolicies().Upsert(&api.ACLPolicy{Name: "mine", Rules: `namespace "*" { policy = "write" }`}, nil); !forbidden(err) {
		t.Errorf("writing a policy: %v, want 403", err)
	}
}

// checkLogout: logout revokes the one token; the management token is not the service's to revoke.
func checkLogout(t *testing.T, r *rig, a, again client.Session) {
	t.Helper()
	ctx := context.Background()
	if err := client.Logout(ctx, r.url, a.NomadToken); err != nil {
		t.Fatalf("logout: %v", err)
	}
	if _, _, err := r.as(t, a).Jobs().List(nil); !forbidden(err) {
		t.Errorf("a revoked token lists jobs: %v, want 403", err)
	}
	if _, _, err := r.as(t, again).Jobs().List(nil); err != nil {
		t.Errorf("the other session's token stopped working: %v", err)
	}
	var ce *client.Error
	if err := client.Logout(ctx, r.url, a.NomadToken); !errors.As(err, &ce) || ce.Code != "unknown_token" {
		t.Errorf("second logout: %v, want unknown_token", err)
	}
	if err := client.Logout(ctx, r.url, r.region.Token); !errors.As(err, &ce) || ce.Code != "not_a_wallet_token" {
		t.Errorf("logout of the management token: %v, want not_a_wallet_token", err)
	}
}

// A JWT from another key is refused by Nomad itself; a namespace bound elsewhere is never rebound.
func TestForgedJWTAndTakenNamespace(t *testing.T) {
	e2e.RequireIntegration(t)
	r := startRig(t)
	key, _ := crypto.GenerateKey()
	wallet := crypto.PubkeyToAddress(key.PublicKey)
	r.login(t, key) // the namespace and policy now exist
	otherKey, _ := jwtkeys.Generate()
	forger, _ := jwtkeys.New(otherKey, jwtkeys.Config{Issuer: issuer, Audience: audience})
	forged, _, err := forger.Issue(wallet, tenant.Namespace(wallet))
	if err != nil {
		t.Fatal(err)
	}
	anon, _ := api.NewClient(&api.Config{Address: r.region.Addr})
	tok, _, err := anon.ACLAuth().Login(&api.ACLLoginRequest{AuthMethodName: nomadacl.DefaultAuthMethod, LoginToken: forged}, nil)
	if err == nil {
		t.Errorf("Nomad swapped a forged JWT for token %s", tok.AccessorID)
	} else if !strings.Contains(err.Error(), "signature") {
		t.Errorf("Nomad refused the forged JWT for another reason than its signature: %v", err)
	}

	squatter, _ := crypto.GenerateKey()
	ns := tenant.Namespace(crypto.PubkeyToAddress(squatter.PublicKey))
	if _, err := r.region.API.Namespaces().Register(&api.Namespace{Name: ns, Meta: map[string]string{conventions.MetaWallet: wallet.Hex()}}, nil); err != nil {
		t.Fatal(err)
	}
	var ce *client.Error
	if _, err := client.Login(context.Background(), r.url, r.region.Addr, squatter); !errors.As(err, &ce) || ce.Code != "namespace_taken" || ce.Status != 409 {
		t.Errorf("login into a namespace bound to another wallet: %v, want 409 namespace_taken", err)
	}
	got, _, _ := r.region.API.Namespaces().Info(ns, nil)
	if got == nil || got.Meta[conventions.MetaWallet] != wallet.Hex() {
		t.Errorf("namespace %s rebound: %+v", ns, got)
	}
}

// Messages the service must refuse, posted as a wallet would post them.
func TestRefusedMessages(t *testing.T) {
	e2e.RequireIntegration(t)
	r := startRig(t)
	key, _ := crypto.GenerateKey()
	now := time.Now().UTC().Truncate(time.Second)
	good := func() siwe.Message {
		return siwe.Message{Domain: r.host, Address: crypto.PubkeyToAddress(key.PublicKey), URI: r.url, ChainID: chainID,
			Nonce: r.nonce(t), IssuedAt: now, ExpirationTime: now.Add(5 * time.Minute)}
	}
	replayed := good()
	if code, body := r.post(t, key, replayed); code != 200 {
		t.Fatalf("a good message: %d %s", code, body)
	}
	for _, tc := range []struct {
		name string
		m    siwe.Message
		code int
	}{
		{"replayed", replayed, 409},
		{"expired", func() siwe.Message {
			m := good()
			m.IssuedAt, m.ExpirationTime = now.Add(-10*time.Minute), now.Add(-time.Minute)
			return m
		}(), 401},
		{"wrong domain", func() siwe.Message { m := good(); m.Domain = "evil.test"; return m }(), 400},
		{"wrong chain", func() siwe.Message { m := good(); m.ChainID = 1; return m }(), 400},
	} {
		if code, body := r.post(t, key, tc.m); code != tc.code {
			t.Errorf("%s: %d %s, want %d", tc.name, code, body, tc.code)
		}
	}
}

func (r *rig) nonce(t *testing.T) string {
	t.Helper()
	resp, err := http.Get(r.url + "/v1/siwe/nonce")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var n wire.NonceResponse
	if err := json.NewDecoder(resp.Body).Decode(&n); err != nil {
		t.Fatal(err)
	}
	return n.Nonce
}

func (r *rig) post(t *testing.T, key *ecdsa.PrivateKey, m siwe.Message) (int, string) {
	t.Helper()
	sig, err := siwe.Sign(m.String(), key)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(wire.LoginRequest{Message: m.String(), Signature: hexutil.Encode(sig)})
	resp, err := http.Post(r.url+"/v1/siwe/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}
