package jobspecs_test

import (
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
)

// The region console ships as a Nomad job: run it with a storage service, and a visitor gets
// the sign-in page with its script (the console refuses to start with --storage unless the
// storage meter's key, rendered from the job's Nomad variable, is a key); each attestor
// becomes its own --attestor, and the public URL and the storage service are passed only when
// set.
func TestConsoleJobspecServesSignIn(t *testing.T) {
	e2e.RequireIntegration(t)
	image := e2e.Image(t, "./console/cmd/dec2-console", "dec2-console")
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{{Name: "node", CPUMHz: 2000, MemoryMB: 2048}}})
	port := e2e.FreePort(t)
	meter, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := region.Nomad(t, "var", "put", "nomad/jobs/dec2-console", "meter_key="+hex.EncodeToString(crypto.FromECDSA(meter))); err != nil {
		t.Fatalf("putting the meter's key: %v\n%s", err, out)
	}
	// The console reads the storage service only when a user opens the buckets page.
	storage := fmt.Sprintf("http://127.0.0.1:%d", e2e.FreePort(t))
	if out, err := region.Nomad(t, "job", "run", "-detach", "-var", "image="+image, "-var", "nomad_addr="+region.Addr,
		"-var", "storage="+storage, "-var", "port="+strconv.Itoa(port), "jobspecs/console.nomad.hcl"); err != nil {
		t.Fatalf("running the console job: %v\n%s", err, out)
	}
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	var page string
	defer func() {
		if t.Failed() {
			t.Logf("last answer:\n%s\n%s", page, region.Logs(30))
		}
	}()
	e2e.Poll(t, "the console job's sign-in page", 2*time.Minute, time.Second, func() (bool, error) {
		resp, err := http.Get(url + "/instances")
		if err != nil {
			return false, nil
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		page = string(b)
		return resp.StatusCode == http.StatusOK && resp.Request.URL.Path == "/signin" && strings.Contains(page, `id="signin"`), nil
	})
	resp, err := http.Get(url + "/static/signin.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the sign-in script: %d", resp.StatusCode)
	}

	src, err := os.ReadFile("console.nomad.hcl")
	if err != nil {
		t.Fatal(err)
	}
	args := func(vars string) string {
		job, err := region.API.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: string(src), Canonicalize: true, Variables: vars})
		if err != nil {
			t.Fatalf("parsing the console jobspec with %s: %v", vars, err)
		}
		var out []string
		for _, a := range job.TaskGroups[0].Tasks[0].Config["args"].([]any) {
			out = append(out, fmt.Sprint(a))
		}
		return strings.Join(out, " ")
	}
	line := args(`attestors = ["http://10.0.1.5:4658", "http://10.0.2.5:4658"]
public_url = "https://console.example"
storage = "http://10.0.0.9:4659"`)
	if !strings.HasSuffix(line, "--public-url https://console.example --storage http://10.0.0.9:4659 --attestor http://10.0.1.5:4658 --attestor http://10.0.2.5:4658") {
		t.Errorf("args %q", line)
	}
	if line := args(""); strings.Contains(line, "--attestor") || strings.Contains(line, "--public-url") || strings.Contains(line, "--storage") {
		t.Errorf("without attestors, a public URL or storage the args name one: %q", line)
	}
}
