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

// The repairer is a periodic batch job that never overlaps itself, one round per run, its key
// and Nomad token from the job's own variable.
func TestRepairJobspecRendersFlags(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{})
	src, err := os.ReadFile("repair.nomad.hcl")
	if err != nil {
		t.Fatal(err)
	}
	job, err := region.API.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: string(src), Canonicalize: true,
		Variables: "storage = \"http://10.0.0.9:4659\"\ngrace = \"5m\"\n"})
	if err != nil {
		t.Fatalf("parsing the repair jobspec: %v", err)
	}
	if *job.Type != "batch" || job.Periodic == nil || !*job.Periodic.ProhibitOverlap || len(job.Periodic.Specs) != 1 {
		t.Errorf("job type %s, periodic %+v: want a periodic batch job that never overlaps", *job.Type, job.Periodic)
	}
	task := job.TaskGroups[0].Tasks[0]
	var args []string
	for _, a := range task.Config["args"].([]any) {
		args = append(args, fmt.Sprint(a))
	}
	want := []string{"run", "--once", "--storage", "http://10.0.0.9:4659", "--nomad-addr", "http://127.0.0.1:4646",
		"--key-file", "${NOMAD_SECRETS_DIR}/repair.key", "--grace", "5m", "--parallel", "4", "--chain-id", "1337"}
	if !slices.Equal(args, want) {
		t.Errorf("args %q, want %q", args, want)
	}
	if len(task.Templates) != 2 || !strings.Contains(*task.Templates[0].EmbeddedTmpl, `nomadVar "nomad/jobs/dec2-repair"`) ||
		!*task.Templates[1].Envvars {
		t.Errorf("templates %+v: want the key file and NOMAD_TOKEN from the job's own variable", task.Templates)
	}
}
