package jobspecs_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// Nomad renders the storage service's command line from the variables (each operator, meter
// and repairer its own flag) and takes the database URL only from the job's Nomad variable, SQLite otherwise.
func TestStorageJobspecRendersFlags(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{})
	src, err := os.ReadFile("storage.nomad.hcl")
	if err != nil {
		t.Fatal(err)
	}
	job, err := region.API.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: string(src), Canonicalize: true, Variables: `
operators = ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"]
meters = ["0x90F79bf6EB2c4f870365E785982E1f101E93b906"]
repairers = ["0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"]
`})
	if err != nil {
		t.Fatalf("parsing the storage jobspec: %v", err)
	}
	if *job.ID != "dec2-storage" || *job.Type != "service" {
		t.Errorf("job %s of type %s", *job.ID, *job.Type)
	}
	tg := job.TaskGroups[0]
	if *tg.Count != 1 || len(tg.Networks) != 1 || len(tg.Networks[0].ReservedPorts) != 1 || tg.Networks[0].ReservedPorts[0].Value != 4659 {
		t.Errorf("group: count %d, networks %+v; want one instance on static port 4659", *tg.Count, tg.Networks)
	}
	if tg.EphemeralDisk == nil || !*tg.EphemeralDisk.Sticky || !*tg.EphemeralDisk.Migrate {
		t.Errorf("ephemeral disk %+v: SQLite's file must follow a replaced allocation (sticky, migrate)", tg.EphemeralDisk)
	}
	var args []string
	for _, a := range tg.Tasks[0].Config["args"].([]any) {
		args = append(args, a.(string))
	}
	want := []string{"serve", "--listen", "${NOMAD_IP_http}:${NOMAD_PORT_http}",
		"--snapshot-every", "0s", "--nomad-addr", "http://127.0.0.1:4646", "--chain-id", "1337",
		"--operator", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--operator", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
		"--meter", "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "--repairer", "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"}
	if !slices.Equal(args, want) {
		t.Errorf("args %q, want %q", args, want)
	}
	tpls := tg.Tasks[0].Templates
	if len(tpls) != 2 {
		t.Fatalf("templates %+v: want the database's and the snapshots'", tpls)
	}
	for i, v := range []string{`nomadVarExists "nomad/jobs/dec2-storage"`, `nomadVarExists "nomad/jobs/dec2-storage/storage"`} {
		if !*tpls[i].Envvars || !strings.HasPrefix(*tpls[i].DestPath, "secrets/") || !strings.Contains(*tpls[i].EmbeddedTmpl, v) {
			t.Errorf("template %d %+v: want an env template in secrets/ reading %s", i, tpls[i], v)
		}
	}
}

// The storage job runs on a region with ACLs, its database URL from the job's variable, and
// answers a tenant's signed requests.
func TestStorageJobspecServes(t *testing.T) {
	e2e.RequireIntegration(t)
	image := e2e.Image(t, "./storage/cmd/dec2-storage", "dec2-storage")
	region := e2e.StartRegion(t, e2e.Options{ACL: true, Clients: []e2e.Client{{Name: "node", CPUMHz: 2000, MemoryMB: 2048}}})
	v := &api.Variable{Path: "nomad/jobs/dec2-storage", Items: api.VariableItems{"db": "sqlite:///alloc/data/from-variable.db"}}
	if _, _, err := region.API.Variables().Create(v, nil); err != nil {
		t.Fatalf("storing the database URL: %v", err)
	}
	port := e2e.FreePort(t)
	if out, err := region.Nomad(t, "job", "run", "-detach", "-var", "image="+image, "-var", "port="+strconv.Itoa(port),
		"jobspecs/storage.nomad.hcl"); err != nil {
		t.Fatalf("running the storage job: %v\n%s", err, out)
	}
	key, _ := crypto.GenerateKey()
	c := &metaapi.Client{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Key: key}
	var last error
	defer func() {
		if t.Failed() {
			t.Logf("last error: %v\n%s", last, region.Logs(30))
		}
	}()
	e2e.Poll(t, "a bucket created through the storage job", 2*time.Minute, time.Second, func() (bool, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, last = c.CreateBucket(ctx, []byte("b"))
		return last == nil, nil
	})
	bs, err := c.ListBuckets(context.Background())
	if err != nil || len(bs) != 1 {
		t.Fatalf("buckets %+v, %v", bs, err)
	}
	allocs, _, err := region.API.Jobs().Allocations("dec2-storage", false, nil)
	if err != nil || len(allocs) == 0 {
		t.Fatalf("the job's allocations: %v", err)
	}
	alloc, _, err := region.API.Allocations().Info(allocs[0].ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := region.API.AllocFS().Stat(alloc, "alloc/data/from-variable.db", nil); err != nil {
		t.Errorf("the database named by the variable is not in the allocation's data directory: %v", err)
	}
}

// The checker's jobspec renders its own command line and the worker's variables from one set
// of variables; the worker's jobspec, rendered with those, is a one-shot batch job the allocator
// packs (no periodic block), one round per run, each job's key and Nomad token from its own
// Nomad variable.
func TestRepairJobspecRendersFlags(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{})
	parse := func(file, vars string) *api.Job {
		t.Helper()
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		job, err := region.API.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: string(src), Canonicalize: true, Variables: vars})
		if err != nil {
			t.Fatalf("parsing %s: %v", file, err)
		}
		return job
	}
	args := func(task *api.Task) []string {
		var out []string
		for _, a := range task.Config["args"].([]any) {
			out = append(out, fmt.Sprint(a))
		}
		return out
	}
	secrets := func(task *api.Task, job string) {
		t.Helper()
		n := len(task.Templates)
		if n < 2 || !strings.Contains(*task.Templates[n-2].EmbeddedTmpl, `nomadVar "nomad/jobs/`+job+`"`) || *task.Templates[n-2].DestPath != "secrets/repair.key" ||
			!*task.Templates[n-1].Envvars || !strings.Contains(*task.Templates[n-1].EmbeddedTmpl, `nomadVar "nomad/jobs/`+job+`"`) {
			t.Errorf("templates of %s: want the key file and NOMAD_TOKEN from nomad/jobs/%s", job, job)
		}
	}

	checker := parse("repair-checker.nomad.hcl", `storage = "http://10.0.0.9:4659"
allocator = "http://10.0.0.8:4656"
namespace = "repairs"
grace = "5m"
reputation_urls = ["http://10.0.0.5:4658", "http://10.0.0.6:4658"]
`)
	if *checker.Type != "service" || *checker.Namespace != "repairs" {
		t.Errorf("checker: type %s in %s, want a service in repairs", *checker.Type, *checker.Namespace)
	}
	watch := checker.TaskGroups[0].Tasks[0]
	want := []string{"watch", "--storage", "http://10.0.0.9:4659", "--nomad-addr", "http://10.0.0.8:4656",
		"--key-file", "${NOMAD_SECRETS_DIR}/repair.key", "--var-file", "${NOMAD_TASK_DIR}/worker.vars.hcl", "--every", "30s", "--grace", "5m",
		"--reputation-url", "http://10.0.0.5:4658", "--reputation-url", "http://10.0.0.6:4658"}
	if got := args(watch); !slices.Equal(got, want) {
		t.Errorf("checker args %q, want %q", got, want)
	}
	secrets(watch, "dec2-repair-checker")
	if len(watch.Templates) != 3 || *watch.Templates[0].DestPath != "local/worker.vars.hcl" {
		t.Fatalf("checker templates %+v: want the worker's variables first", watch.Templates)
	}

	// The worker, as the checker registers it: its jobspec with the variables the checker's renders.
	worker := parse("repair.nomad.hcl", *watch.Templates[0].EmbeddedTmpl)
	if *worker.Type != "batch" || worker.Periodic != nil || worker.Meta["dec2.pack"] != "true" || *worker.ID != "dec2-repair" || *worker.Namespace != "repairs" {
		t.Errorf("worker: %s job %s in %s, periodic %+v, meta %v: want a one-shot batch job dec2-repair in repairs the allocator packs",
			*worker.Type, *worker.ID, *worker.Namespace, worker.Periodic, worker.Meta)
	}
	if rs := worker.TaskGroups[0].ReschedulePolicy; rs == nil || *rs.Attempts != 0 || *rs.Unlimited {
		t.Errorf("worker reschedule %+v: want none (the checker starts the next run, packed anew)", rs)
	}
	task := worker.TaskGroups[0].Tasks[0]
	want = []string{"run", "--once", "--storage", "http://10.0.0.9:4659", "--nomad-addr", "http://127.0.0.1:4646",
		"--key-file", "${NOMAD_SECRETS_DIR}/repair.key", "--grace", "5m", "--parallel", "4", "--chain-id", "1337",
		"--reputation-url", "http://10.0.0.5:4658", "--reputation-url", "http://10.0.0.6:4658"}
	if got := args(task); !slices.Equal(got, want) {
		t.Errorf("worker args %q, want %q", got, want)
	}
	secrets(task, "dec2-repair")
}
