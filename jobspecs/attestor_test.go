package jobspecs_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/reputation"
)

// Nomad renders the attestor's command line from the variables: every peer as its own --peer,
// the key and token read from the job's Nomad variable and never written in the job.
func TestAttestorJobspecRendersFlags(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{})
	src, err := os.ReadFile("attestor.nomad.hcl")
	if err != nil {
		t.Fatal(err)
	}
	job, err := region.API.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: string(src), Canonicalize: true, Variables: `
name  = "dec2-attestor-2"
peers = ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8=http://10.0.1.5:4658", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC=http://10.0.2.5:4658"]
grace = "5m"
`})
	if err != nil {
		t.Fatalf("parsing the attestor jobspec: %v", err)
	}
	if *job.ID != "dec2-attestor-2" || *job.Type != "service" {
		t.Errorf("job %s of type %s", *job.ID, *job.Type)
	}
	tg := job.TaskGroups[0]
	if *tg.Count != 1 || len(tg.Networks) != 1 || len(tg.Networks[0].ReservedPorts) != 1 || tg.Networks[0].ReservedPorts[0].Value != 4658 {
		t.Errorf("group: count %d, networks %+v; want one attestor on static port 4658", *tg.Count, tg.Networks)
	}
	task := tg.Tasks[0]
	var args []string
	for _, a := range task.Config["args"].([]any) {
		args = append(args, a.(string))
	}
	line := strings.Join(args, " ")
	for _, want := range []string{
		"serve --listen ${NOMAD_IP_http}:${NOMAD_PORT_http} --nomad-addr http://127.0.0.1:4646 --chain-rpc http://127.0.0.1:8545",
		"--deployment ${NOMAD_TASK_DIR}/deployment.json", "--key-file ${NOMAD_SECRETS_DIR}/attestor.key", "--grace 5m",
		"--leader-hold 300s", "--freeze-share 0.34", "--probe-every 30s", "--stage 1m",
		"--peer 0x70997970C51812dc3A010C7d01b50e0d17dc79C8=http://10.0.1.5:4658 --peer 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC=http://10.0.2.5:4658",
	} {
		if !strings.Contains(line, want) {
			t.Errorf("args %q lack %q", line, want)
		}
	}
	var secrets []string
	for _, tpl := range task.Templates {
		if strings.Contains(*tpl.EmbeddedTmpl, "nomadVar") {
			secrets = append(secrets, *tpl.DestPath)
			if !strings.Contains(*tpl.EmbeddedTmpl, `nomadVar "nomad/jobs/dec2-attestor-2"`) {
				t.Errorf("template %s reads another job's variable: %s", *tpl.DestPath, *tpl.EmbeddedTmpl)
			}
		}
	}
	if !slices.Equal(secrets, []string{"secrets/attestor.key", "secrets/nomad.env"}) {
		t.Errorf("templates reading the variable write %v", secrets)
	}
}

// The attestor job runs on a region with ACLs, its key and token from the job's variable,
// against a dev chain, and serves its reputation report.
func TestAttestorJobspecServesReputation(t *testing.T) {
	e2e.RequireIntegration(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	chain, err := devenv.Start(ctx, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(chain.Close)
	image := e2e.Image(t, "./attestor/cmd/dec2-attestor", "dec2-attestor")
	region := e2e.StartRegion(t, e2e.Options{ACL: true, Clients: []e2e.Client{{Name: "node", CPUMHz: 2000, MemoryMB: 2048}}})
	key, _ := crypto.GenerateKey()
	v := &api.Variable{Path: "nomad/jobs/dec2-attestor", Items: api.VariableItems{
		"key": hex.EncodeToString(crypto.FromECDSA(key)), "nomad_token": region.Token}}
	if _, _, err := region.API.Variables().Create(v, nil); err != nil {
		t.Fatalf("storing the key and token: %v", err)
	}
	port := e2e.FreePort(t)
	if out, err := region.Nomad(t, "job", "run", "-detach", "-var", "image="+image, "-var", "nomad_addr="+region.Addr,
		"-var", "chain_rpc="+chain.Chain.HTTPURL, "-var", "token="+chain.Addrs.Token.Hex(), "-var", "registry="+chain.Addrs.Registry.Hex(),
		"-var", "escrow="+chain.Addrs.Escrow.Hex(), "-var", "port="+strconv.Itoa(port), "-var", "probe_every=1s",
		"jobspecs/attestor.nomad.hcl"); err != nil {
		t.Fatalf("running the attestor job: %v\n%s", err, out)
	}
	url := fmt.Sprintf("http://127.0.0.1:%d/v1/reputation", port)
	var last error
	defer func() {
		if t.Failed() {
			t.Logf("last answer: %v\n%s", last, region.Logs(30))
		}
	}()
	nodeID := region.NodeID(t, "node")
	var rep reputation.Report
	e2e.Poll(t, "the attestor job's report listing the node", 3*time.Minute, time.Second, func() (bool, error) {
		rep, last = getReport(url)
		return last == nil && slices.ContainsFunc(rep.Providers, func(p reputation.Provider) bool { return p.NodeID == nodeID }), nil
	})
	if want := crypto.PubkeyToAddress(key.PublicKey).Hex(); !strings.EqualFold(rep.Attestor, want) {
		t.Errorf("the report is signed off by %s, want the key's address %s", rep.Attestor, want)
	}
}

func getReport(url string) (reputation.Report, error) {
	resp, err := http.Get(url)
	if err != nil {
		return reputation.Report{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return reputation.Report{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return reputation.Report{}, fmt.Errorf("%s: %s", resp.Status, body)
	}
	return reputation.ParseReport(body)
}
