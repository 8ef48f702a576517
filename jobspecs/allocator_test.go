package jobspecs_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
)

// The allocator ships as a Nomad job: run it, then submit a job through it and find the job
// packed (its dec2.plan) and running where the plan says.
func TestAllocatorJobspecServes(t *testing.T) {
	e2e.RequireIntegration(t)
	image := e2e.Image(t, "./allocator/cmd/dec2-allocator", "dec2-allocator")
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{{Name: "node", CPUMHz: 4000, MemoryMB: 4096, RawExec: true}}})
	region.BindWallet(t, "default", e2e.TenantWallet)
	port := e2e.FreePort(t)
	if out, err := region.Nomad(t, "job", "run", "-detach", "-var", "image="+image, "-var", "nomad_addr="+region.Addr,
		"-var", "port="+strconv.Itoa(port), "jobspecs/allocator.nomad.hcl"); err != nil {
		t.Fatalf("running the allocator job: %v\n%s", err, out)
	}
	addr := fmt.Sprintf("http://127.0.0.1:%d", port)
	c, err := api.NewClient(&api.Config{Address: addr})
	if err != nil {
		t.Fatal(err)
	}
	e2e.Poll(t, "the allocator job to answer", 2*time.Minute, time.Second, func() (bool, error) {
		_, _, err := c.Nodes().List(nil)
		return err == nil, nil
	})
	job, err := c.Jobs().ParseHCL(`job "packed" {
  meta = { "dec2.pack" = "true" }
  group "g" {
    count = 2
    ephemeral_disk { size = 150 }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["600"]
      }
      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}`, true)
	if err != nil {
		t.Fatalf("parsing through the allocator: %v", err)
	}
	// The allocator builds its model right after start; a registration waits for it.
	if _, _, err := c.Jobs().Register(job, nil); err != nil {
		t.Fatalf("registering through the allocator job: %v\n%s", err, region.Logs(20))
	}
	got, _, err := region.API.Jobs().Info("packed", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Meta["dec2.plan"], region.NodeID(t, "node")) {
		t.Errorf("job registered through the allocator has no plan naming the node: meta %v", got.Meta)
	}
	regs, _, err := region.API.Services().Get("dec2-allocator", nil)
	if err != nil || len(regs) != 1 || regs[0].Port != port {
		t.Errorf("Nomad's catalogue lists the allocator as %+v (%v), want one registration on port %d", regs, err, port)
	}
	e2e.Poll(t, "the packed job to run", 2*time.Minute, time.Second, func() (bool, error) {
		allocs, _, err := region.API.Jobs().Allocations("packed", false, nil)
		running := 0
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusRunning {
				running++
			}
		}
		return err == nil && running == 2, nil
	})
}

// Each attestor URL becomes its own --reputation-url; none leaves reputation off.
func TestAllocatorJobspecReputationFlags(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{})
	src, err := os.ReadFile("allocator.nomad.hcl")
	if err != nil {
		t.Fatal(err)
	}
	args := func(vars string) string {
		job, err := region.API.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: string(src), Canonicalize: true, Variables: vars})
		if err != nil {
			t.Fatalf("parsing the allocator jobspec with %s: %v", vars, err)
		}
		var out []string
		for _, a := range job.TaskGroups[0].Tasks[0].Config["args"].([]any) {
			out = append(out, a.(string))
		}
		return strings.Join(out, " ")
	}
	if line := args(`reputation_urls = ["http://10.0.1.5:4658", "http://10.0.2.5:4658"]`); !strings.HasSuffix(line, "--reputation-url http://10.0.1.5:4658 --reputation-url http://10.0.2.5:4658") {
		t.Errorf("args %q", line)
	}
	if line := args(""); strings.Contains(line, "--reputation-url") || strings.Contains(line, "--leader-lock") {
		t.Errorf("without attestors or a lock the args name one: %q", line)
	}
	// Two allocators: each contends for the lock and advertises where it serves.
	if line := args(`leader_lock = "dec2/allocator/leader"`); !strings.HasSuffix(line, "--leader-lock dec2/allocator/leader --advertise http://${NOMAD_IP_http}:${NOMAD_PORT_http}") {
		t.Errorf("args with a leader lock %q", line)
	}
}

// Allocators run from this jobspec in two federated regions, without a leader lock, find each
// other in Nomad's service catalogue through region forwarding: a job that lets dec2 choose
// its region, sent to eu's allocator, is quoted by us's and lands in us, the cheaper region.
func TestAllocatorJobsFindEachOtherAcrossRegions(t *testing.T) {
	e2e.RequireIntegration(t)
	image := e2e.Image(t, "./allocator/cmd/dec2-allocator", "dec2-allocator")
	priced := func(name, price string) e2e.Client {
		return e2e.Client{Name: name, CPUMHz: 4000, MemoryMB: 4096, RawExec: true,
			Meta: map[string]string{conventions.MetaWallet: e2e.TenantWallet, "dec2.price.cpu_ghz_hour": price, "dec2.price.mem_gb_hour": "0"}}
	}
	fed := e2e.StartFederation(t, e2e.FederationOptions{ACL: true, Regions: []e2e.FederatedRegion{
		{Name: "eu", Clients: []e2e.Client{priced("eu-1", "2.0")}},
		{Name: "us", Clients: []e2e.Client{priced("us-1", "1.0")}},
	}})
	eu, us := fed.Region(t, "eu"), fed.Region(t, "us")
	eu.BindWallet(t, "default", e2e.TenantWallet)
	// us quotes only once the tenant's binding has replicated there; before, its allocator
	// refuses the job and eu would win by default.
	e2e.Poll(t, "the namespace binding to replicate to us", time.Minute, 250*time.Millisecond, func() (bool, error) {
		ns, _, err := us.API.Namespaces().Info("default", nil)
		return err == nil && ns.Meta[conventions.MetaWallet] == e2e.TenantWallet, nil
	})
	ports := map[string]int{}
	for _, r := range fed.Regions {
		ports[r.Name] = e2e.FreePort(t)
		if out, err := r.Nomad(t, "job", "run", "-detach", "-var", "image="+image, "-var", "nomad_addr="+r.Addr,
			"-var", "token="+fed.Token, "-var", "port="+strconv.Itoa(ports[r.Name]), "jobspecs/allocator.nomad.hcl"); err != nil {
			t.Fatalf("running the allocator job in %s: %v\n%s", r.Name, err, out)
		}
		e2e.Poll(t, "the allocator of "+r.Name+" in the catalogue", 2*time.Minute, time.Second, func() (bool, error) {
			regs, _, err := eu.API.Services().Get("dec2-allocator", &api.QueryOptions{Region: r.Name})
			return err == nil && len(regs) == 1, nil
		})
		// Listed as soon as its task starts; it quotes once it has built its model.
		e2e.Poll(t, "the allocator of "+r.Name+" to model its region", 2*time.Minute, 250*time.Millisecond, func() (bool, error) {
			resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", ports[r.Name]))
			if err != nil {
				return false, nil
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return strings.Contains(string(body), "\ndec2_allocator_state_rebuilds_total 1"), nil
		})
	}
	c, err := api.NewClient(&api.Config{Address: fmt.Sprintf("http://127.0.0.1:%d", ports["eu"]), SecretID: fed.Token})
	if err != nil {
		t.Fatal(err)
	}
	job := api.NewBatchJob("anywhere", "anywhere", "eu", 50)
	job.Meta = map[string]string{conventions.MetaPack: "true", "dec2.regions": "eu,us"}
	cpu, mem, disk, one := 200, 64, 10, 1
	task := api.NewTask("t", "raw_exec").SetConfig("command", "/bin/sleep").SetConfig("args", []string{"600"})
	task.Require(&api.Resources{CPU: &cpu, MemoryMB: &mem})
	task.LogConfig = &api.LogConfig{MaxFiles: &one, MaxFileSizeMB: &one}
	tg := api.NewTaskGroup("g", 1).AddTask(task)
	tg.EphemeralDisk = &api.EphemeralDisk{SizeMB: &disk}
	job.AddTaskGroup(tg)
	if _, _, err := c.Jobs().Register(job, nil); err != nil {
		t.Fatalf("registering through eu's allocator: %v", err)
	}
	if _, _, err := us.API.Jobs().Info("anywhere", nil); err != nil {
		t.Errorf("the job is not in us, the cheaper region: %v", err)
	}
	if _, _, err := eu.API.Jobs().Info("anywhere", nil); err == nil {
		t.Errorf("the job was registered in eu too")
	}
}
