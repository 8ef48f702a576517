package main

import (
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/cli/instance"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
)

// --region (or NOMAD_REGION) reaches another region of the federation through the one
// address the CLI knows, as nomad's -region does.
func TestRegionFlagReachesAnotherRegion(t *testing.T) {
	e2e.RequireIntegration(t)
	fed := e2e.StartFederation(t, e2e.FederationOptions{ACL: true, Regions: []e2e.FederatedRegion{
		{Name: "eu", Clients: []e2e.Client{{Name: "eu-1", CPUMHz: 2000, MemoryMB: 2048}}},
		{Name: "us", Clients: []e2e.Client{{Name: "us-1", CPUMHz: 2000, MemoryMB: 2048}}},
	}})
	us := fed.Region(t, "us")
	// A packed job that never places (no node has that kernel): an instance of us only.
	job := api.NewServiceJob("only-in-us", "only-in-us", "us", 50)
	job.Meta = map[string]string{conventions.MetaPack: "true"}
	job.Constrain(api.NewConstraint("${attr.kernel.name}", "=", "none"))
	task := api.NewTask("t", "docker").SetConfig("image", "dec2-none:latest")
	cpu, mem := 100, 64
	task.Require(&api.Resources{CPU: &cpu, MemoryMB: &mem})
	job.AddTaskGroup(api.NewTaskGroup("g", 1).AddTask(task))
	if _, _, err := us.API.Jobs().Register(job, nil); err != nil {
		t.Fatalf("registering in us: %v", err)
	}
	env := map[string]string{"NOMAD_ADDR": fed.Region(t, "eu").Addr, "NOMAD_TOKEN": fed.Token}
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"instance", "ls", "--all", "-o", "json"}, 0},
		{[]string{"--region", "us", "instance", "ls", "--all", "-o", "json"}, 1},
	} {
		list := decode[instance.List](t, mustRun(t, env, c.args...))
		if len(list) != c.want || (c.want == 1 && list[0].Name != "only-in-us") {
			t.Errorf("dec2 %v listed %+v, want %d instance(s)", c.args, list, c.want)
		}
	}
	withEnv := map[string]string{"NOMAD_REGION": "us"}
	for k, v := range env {
		withEnv[k] = v
	}
	if list := decode[instance.List](t, mustRun(t, withEnv, "instance", "ls", "--all", "-o", "json")); len(list) != 1 {
		t.Errorf("with NOMAD_REGION=us: listed %+v, want only-in-us", list)
	}
}
