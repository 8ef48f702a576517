package instances_test

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/nomad/api"
	"github.com/zclconf/go-cty/cty"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/instances"
)

func TestValidateNamesTheField(t *testing.T) {
	ok := instances.Spec{Name: "web-1", Type: "d2.small", Image: "nginx:1.27-alpine", Ports: []int{80}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid spec refused: %v", err)
	}
	for _, c := range []struct {
		change func(*instances.Spec)
		want   string
	}{
		{func(s *instances.Spec) { s.Name = "Web_1" }, "name"},
		{func(s *instances.Spec) { s.Type = "t2.micro" }, "type"},
		{func(s *instances.Spec) { s.Image = "" }, "image"},
		{func(s *instances.Spec) { s.Ports = []int{0} }, "port 0"},
		{func(s *instances.Spec) { s.Ports = []int{80, 80} }, "twice"},
		{func(s *instances.Spec) { s.Count = 101 }, "count"},
		{func(s *instances.Spec) { s.GPUMemoryMiB = 1024 }, "no GPU"},
		{func(s *instances.Spec) { s.Wallet = "0x12" }, "wallet"},
	} {
		s := ok
		c.change(&s)
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate(%+v) = %v, want an error naming %q", s, err, c.want)
		}
	}
}

// The variables file must be HCL whose values read back as given, templates included.
func TestVarsReadBack(t *testing.T) {
	ty, err := catalog.Lookup("g1.a100x2")
	if err != nil {
		t.Fatal(err)
	}
	s := instances.Spec{Name: "train", Type: ty.Name, Image: "img", Args: []string{"${HOME}", `say "hi"`}, GPUMemoryMiB: 40960}
	src := instances.Vars(s, ty)
	f, diags := hclsyntax.ParseConfig([]byte(src), "vars.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s\n%s", diags, src)
	}
	attrs, _ := f.Body.JustAttributes()
	get := func(name string) cty.Value {
		v, diags := attrs[name].Expr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", name, diags)
		}
		return v
	}
	if args := get("args").AsValueSlice(); len(args) != 2 || args[0].AsString() != "${HOME}" || args[1].AsString() != `say "hi"` {
		t.Errorf("args = %#v", get("args"))
	}
	if n, _ := get("gpu_memory_mib").AsBigFloat().Int64(); n != 40960 {
		t.Errorf("gpu_memory_mib = %d, want the override 40960", n)
	}
	if n, _ := get("count").AsBigFloat().Int64(); n != 1 {
		t.Errorf("count = %d, want 1 for an unset count", n)
	}
	if get("ports").LengthInt() != 0 || get("gpu_name").AsString() != "A100-80GB" || get("cpu").AsBigFloat().String() != "16000" {
		t.Errorf("vars:\n%s", src)
	}
	if _, ok := attrs["gpu_count"]; !ok {
		t.Error("a GPU type has no gpu_count")
	}
	cpuOnly, _ := catalog.Lookup("d2.small")
	if strings.Contains(instances.Vars(instances.Spec{Name: "a", Type: "d2.small", Image: "i"}, cpuOnly), "gpu_") {
		t.Error("a CPU type got GPU variables")
	}
}

// Every catalogue type parses through a real Nomad's parse endpoint into the job it names.
func TestJobParsesEveryType(t *testing.T) {
	e2e.RequireIntegration(t)
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{{Name: "p", CPUMHz: 2000, MemoryMB: 2048}}})
	wallet := "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
	for _, ty := range catalog.Types() {
		s := instances.Spec{Name: "i-" + strings.ReplaceAll(ty.Name, ".", "-"), Type: ty.Name, Image: "img:1", Ports: []int{8080, 9090}, Count: 2, Wallet: wallet}
		job, err := instances.Job(region.API, s)
		if err != nil {
			t.Fatalf("%s: %v", ty.Name, err)
		}
		if *job.ID != s.Name || job.Meta["dec2.pack"] != "true" || job.Meta["dec2.wallet"] != wallet {
			t.Errorf("%s: id %s meta %v", ty.Name, *job.ID, job.Meta)
		}
		if len(job.TaskGroups) != 1 || *job.TaskGroups[0].Count != 2 {
			t.Fatalf("%s: groups %+v", ty.Name, job.TaskGroups)
		}
		tg := job.TaskGroups[0]
		task := tg.Tasks[0]
		if *task.Resources.CPU != ty.CPU || *task.Resources.MemoryMB != ty.MemoryMB || *tg.EphemeralDisk.SizeMB != ty.DiskMB {
			t.Errorf("%s: cpu %d mem %d disk %d", ty.Name, *task.Resources.CPU, *task.Resources.MemoryMB, *tg.EphemeralDisk.SizeMB)
		}
		if task.Config["image"] != "img:1" || len(tg.Networks) != 1 || len(tg.Networks[0].DynamicPorts) != 2 {
			t.Errorf("%s: image %v networks %+v", ty.Name, task.Config["image"], tg.Networks)
		}
		if ro, _ := task.Config["readonly_rootfs"].(bool); ro != ty.ReadOnlyRoot {
			t.Errorf("%s: readonly_rootfs %v, want %v", ty.Name, task.Config["readonly_rootfs"], ty.ReadOnlyRoot)
		}
		var gpus uint64
		for _, d := range task.Resources.Devices {
			gpus += *d.Count
		}
		if int(gpus) != ty.GPUs {
			t.Errorf("%s: %d GPUs asked, want %d", ty.Name, gpus, ty.GPUs)
		}
	}
}

func TestLastEventIsTheLatestAcrossTasks(t *testing.T) {
	a := &api.AllocationListStub{TaskStates: map[string]*api.TaskState{
		"web":  {Events: []*api.TaskEvent{{Type: "Received", DisplayMessage: "Task received by client", Time: 1}, {Type: "Driver Failure", DisplayMessage: "image not found", Time: 5}}},
		"side": {Events: []*api.TaskEvent{{Type: "Started", DisplayMessage: "Task started by client", Time: 3}}},
	}}
	if got := instances.LastEvent(a); got != "Driver Failure: image not found" {
		t.Errorf("LastEvent = %q", got)
	}
	if got := instances.LastEvent(&api.AllocationListStub{}); got != "" {
		t.Errorf("LastEvent of no events = %q, want empty", got)
	}
}
