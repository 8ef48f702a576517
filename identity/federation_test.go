package identity_test

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/identity/client"
)

// A tenant signs in once, in the authoritative region, and its token and namespace work in
// every federated region; signing out ends it everywhere.
func TestOneLoginForEveryRegion(t *testing.T) {
	e2e.RequireIntegration(t)
	fed := e2e.StartFederation(t, e2e.FederationOptions{ACL: true, Regions: []e2e.FederatedRegion{
		{Name: "eu", Clients: []e2e.Client{{Name: "eu-1", CPUMHz: 2000, MemoryMB: 2048}}},
		{Name: "us", Clients: []e2e.Client{{Name: "us-1", CPUMHz: 2000, MemoryMB: 2048}}},
	}})
	eu, us := fed.Region(t, "eu"), fed.Region(t, "us")
	id := e2e.StartIdentity(t, eu)
	key, _ := crypto.GenerateKey()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := client.Login(ctx, id.URL, eu.Addr, key)
	if err != nil {
		t.Fatalf("login in eu: %v", err)
	}
	inUS, err := api.NewClient(&api.Config{Address: us.Addr, SecretID: s.NomadToken, Namespace: s.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	e2e.Poll(t, "eu's token to work in us", time.Minute, 250*time.Millisecond, func() (bool, error) {
		_, _, err := inUS.Jobs().Register(parked(s.Namespace), nil)
		return err == nil, nil
	})
	if _, _, err := inUS.Jobs().Register(parked("default"), &api.WriteOptions{Namespace: "default"}); !forbidden(err) {
		t.Errorf("the tenant's token registers in us's default namespace: %v, want 403", err)
	}
	if err := client.Logout(ctx, id.URL, s.NomadToken); err != nil {
		t.Fatalf("logout: %v", err)
	}
	e2e.Poll(t, "the revoked token to stop working in us", time.Minute, 250*time.Millisecond, func() (bool, error) {
		_, _, err := inUS.Jobs().List(nil)
		return forbidden(err), nil
	})
}
