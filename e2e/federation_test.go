package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/cli/clientconfig"
)

func TestFederationAgentConfigs(t *testing.T) {
	p := ports{http: 1, rpc: 2, serf: 3, dynamicLow: 20100, dynamicHigh: 20199}
	rc := regionConfig{name: "us", datacenter: "us-1", acl: true, authoritative: "eu", replicationToken: "tok", join: []string{"127.0.0.1:4648"}}
	server := strings.Join(strings.Fields(agentConfig("server", "/d", p, rc, nil, 0)), " ")
	for _, want := range []string{`region = "us"`, `datacenter = "us-1"`, `authoritative_region = "eu"`,
		`acl { enabled = true replication_token = "tok" }`, `server_join { retry_join = ["127.0.0.1:4648"]`} {
		if !strings.Contains(server, want) {
			t.Errorf("server config lacks %s:\n%s", want, server)
		}
	}
	set, err := clientconfig.Settings([]byte(agentConfig("c1", "/d", p, rc, &Client{Name: "c1"}, 2)))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"region": `"us"`, "datacenter": `"us-1"`, "acl.enabled": "true"} {
		if set[k] != want {
			t.Errorf("client config: %s = %s, want %s", k, set[k], want)
		}
	}
	// A lone region renders as before: Nomad's defaults, nothing about other regions.
	lone := agentConfig("server", "/d", p, regionConfig{}, nil, 0)
	for _, unwanted := range []string{"region", "datacenter", "server_join", "replication_token"} {
		if strings.Contains(lone, unwanted) {
			t.Errorf("lone region's server config says %s:\n%s", unwanted, lone)
		}
	}
}

func TestCheckFederation(t *testing.T) {
	rig := func(name string) []Client { return []Client{{Name: name}} }
	for _, tc := range []struct {
		regions []FederatedRegion
		want    string
	}{
		{nil, "no regions"},
		{[]FederatedRegion{{Name: "EU"}}, `"EU"`},
		{[]FederatedRegion{{Name: "eu"}, {Name: "eu"}}, "twice"},
		{[]FederatedRegion{{Name: "eu", Clients: rig("rig")}, {Name: "us", Clients: rig("rig")}}, `client "rig"`},
	} {
		if err := checkFederation(tc.regions); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("checkFederation(%+v) = %v, want an error containing %s", tc.regions, err, tc.want)
		}
	}
	if err := checkFederation([]FederatedRegion{{Name: "eu", Clients: rig("a")}, {Name: "us-east", Clients: rig("b")}}); err != nil {
		t.Errorf("two distinct regions: %v", err)
	}
}

// Two federated regions with ACLs: the management token, namespaces and region list reach both,
// and each region's API forwards work for the other.
func TestFederationOfTwoRegions(t *testing.T) {
	RequireIntegration(t)
	image := WorkloadImage(t)
	start := time.Now()
	f := StartFederation(t, FederationOptions{ACL: true, Regions: []FederatedRegion{
		{Name: "eu", Clients: []Client{{Name: "eu-rig", CPUMHz: 1000, MemoryMB: 1024}}},
		{Name: "us", Datacenter: "us-1", Clients: []Client{{Name: "us-rig", CPUMHz: 1000, MemoryMB: 1024}}},
	}})
	t.Logf("federation ready in %v", time.Since(start).Round(time.Millisecond))
	eu, us := f.Region(t, "eu"), f.Region(t, "us")
	if eu.Token == "" || us.Token != eu.Token {
		t.Fatalf("tokens: eu %q, us %q; want eu's bootstrap token in both", eu.Token, us.Token)
	}

	for _, r := range f.Regions {
		list, err := r.API.Regions().List()
		slices.Sort(list)
		if err != nil || !slices.Equal(list, []string{"eu", "us"}) {
			t.Errorf("regions seen from %s: %v, %v; want [eu us]", r.Name, list, err)
		}
	}

	// Namespaces are written in the authoritative region and replicated.
	if _, err := eu.API.Namespaces().Register(&api.Namespace{Name: "tenant-a"}, nil); err != nil {
		t.Fatalf("creating a namespace in eu: %v", err)
	}
	Poll(t, "namespace tenant-a in us", time.Minute, 250*time.Millisecond, func() (bool, error) {
		ns, _, err := us.API.Namespaces().Info("tenant-a", nil)
		return err == nil && ns.Name == "tenant-a", nil
	})

	// A job sent to eu with ?region=us is forwarded and runs on us's client.
	id, typ, region := "fed-web", "service", "us"
	task := &api.Task{Name: "web", Driver: "docker", Config: map[string]any{"image": image},
		Resources: &api.Resources{CPU: intPtr(100), MemoryMB: intPtr(64)}}
	job := &api.Job{ID: &id, Name: &id, Type: &typ, Region: &region, Datacenters: []string{"us-1"},
		TaskGroups: []*api.TaskGroup{{Name: &id, Count: intPtr(1), Tasks: []*api.Task{task}}}}
	if _, _, err := eu.API.Jobs().Register(job, &api.WriteOptions{Region: "us"}); err != nil {
		t.Fatalf("registering %s in us through eu: %v", id, err)
	}
	usNode := us.NodeID(t, "us-rig")
	Poll(t, "the job's allocation running on us-rig", time.Minute, 250*time.Millisecond, func() (bool, error) {
		allocs, _, err := us.API.Jobs().Allocations(id, false, nil)
		if err != nil {
			return false, nil
		}
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusFailed {
				return false, fmt.Errorf("allocation %s failed: %+v", a.ID, a.TaskStates)
			}
			if a.ClientStatus == api.AllocClientStatusRunning && a.NodeID == usNode {
				return true, nil
			}
		}
		return false, nil
	})
	if _, _, err := eu.API.Jobs().Info(id, nil); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("job %s found in eu (%v); it belongs to us alone", id, err)
	}
	out, err := eu.Nomad(t, "job", "status", "-region", "us", id)
	if err != nil || !strings.Contains(out, "us-1") || !strings.Contains(out, "running") {
		t.Errorf("nomad job status -region us against eu: %v\n%s", err, out)
	}
}

func intPtr(i int) *int { return &i }
