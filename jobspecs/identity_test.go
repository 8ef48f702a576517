package jobspecs_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/identity/client"
	"github.com/dec2-cloud/dec2/identity/siwe"
)

// The identity service ships as a Nomad job reading its management token from a Nomad
// variable: run it on a region with ACLs, then sign in through it and use the token, as the
// CLI does (its own domain) and as a console it lists does (the console's).
func TestIdentityJobspecSignsIn(t *testing.T) {
	e2e.RequireIntegration(t)
	image := e2e.Image(t, "./identity/cmd/dec2-identity", "dec2-identity")
	region := e2e.StartRegion(t, e2e.Options{ACL: true, Clients: []e2e.Client{{Name: "node", CPUMHz: 2000, MemoryMB: 2048}}})
	v := &api.Variable{Path: "nomad/jobs/dec2-identity", Items: api.VariableItems{"management_token": region.Token}}
	if _, _, err := region.API.Variables().Create(v, nil); err != nil {
		t.Fatalf("storing the management token: %v", err)
	}
	port := e2e.FreePort(t)
	if out, err := region.Nomad(t, "job", "run", "-detach", "-var", "image="+image, "-var", "nomad_addr="+region.Addr,
		"-var", "port="+strconv.Itoa(port), "-var", `console_domains=["console.test:4662"]`, "jobspecs/identity.nomad.hcl"); err != nil {
		t.Fatalf("running the identity job: %v\n%s", err, out)
	}
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	key, _ := crypto.GenerateKey()
	var s client.Session
	var last error
	defer func() {
		if t.Failed() {
			t.Logf("last login error: %v\n%s", last, region.Logs(30))
		}
	}()
	e2e.Poll(t, "a sign-in through the identity job", 2*time.Minute, time.Second, func() (bool, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s, last = client.Login(ctx, url, region.Addr, key)
		return last == nil, nil
	})
	c, err := api.NewClient(&api.Config{Address: region.Addr, SecretID: s.NomadToken, Namespace: s.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Jobs().List(nil); err != nil {
		t.Errorf("the signed-in token cannot list its namespace's jobs: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	msg, err := client.Challenge(ctx, url, "http://console.test:4662/signin", crypto.PubkeyToAddress(key.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	sig, err := siwe.Sign(msg, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Complete(ctx, url, region.Addr, msg, hexutil.Encode(sig)); err != nil {
		t.Errorf("signing in through the console the job lists: %v", err)
	}
}
