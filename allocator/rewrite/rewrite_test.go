package rewrite

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

func testJob() *api.Job {
	j := api.NewServiceJob("web", "web", "global", 50)
	j.Meta = map[string]string{MetaPack: "true"}
	g := api.NewTaskGroup("front", 5)
	g.Constraints = []*api.Constraint{api.NewConstraint("", "distinct_hosts", "true")}
	g.Scaling = &api.ScalingPolicy{Min: ptr(int64(1)), Max: ptr(int64(10))}
	task := api.NewTask("t", "docker")
	task.Resources = &api.Resources{CPU: ptr(500), MemoryMB: ptr(256)}
	g.Tasks = []*api.Task{task}
	db := api.NewTaskGroup("db", 1)
	db.Tasks = []*api.Task{api.NewTask("d", "docker")}
	j.TaskGroups = []*api.TaskGroup{g, db}
	return j
}

func ptr[T any](v T) *T { return &v }

func TestPinSplitsSoNomadHasNoChoice(t *testing.T) {
	job := testJob()
	pl := map[string]Placement{"front": {"n1": 1, "n2": 1, "n3": 3}}
	pinned, plan, err := Pin(job, pl, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tg := range pinned.TaskGroups {
		var pins []string
		for _, c := range tg.Constraints {
			pins = append(pins, c.LTarget+" "+c.Operand+" "+c.RTarget)
		}
		got[*tg.Name] = fmt.Sprintf("%d: %s", *tg.Count, strings.Join(pins, "; "))
		if tg.Scaling != nil && *tg.Name != "db" {
			t.Errorf("part %s kept the scaling block; its count would break the bounds", *tg.Name)
		}
	}
	want := map[string]string{
		// The node taking 3 is the biggest part and keeps the user's name.
		"front":   "3:  distinct_hosts true; ${node.unique.id} = n3",
		"front#2": "2:  distinct_hosts true; ${node.unique.id} set_contains_any n1,n2;  distinct_hosts true",
		"db":      "1: ",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pinned groups:\n got %v\nwant %v", got, want)
	}
	if pinned.Meta[MetaPlan] == "" || plan.Group("front").Placement().Total() != 5 {
		t.Errorf("plan not recorded: meta %v", pinned.Meta)
	}
	if _, _, err := Pin(job, map[string]Placement{"front": {"n1": 2}}, nil, nil); err == nil {
		t.Errorf("a placement of 2 for a group of 5 was accepted")
	}
}

func TestOriginalUndoesPin(t *testing.T) {
	job := testJob()
	pinned, _, err := Pin(job, map[string]Placement{"front": {"n1": 1, "n2": 1, "n3": 3}, "db": {"n1": 1}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	back, plan, err := Original(pinned)
	if err != nil || plan == nil {
		t.Fatalf("Original: plan %v, err %v", plan, err)
	}
	a, _ := json.Marshal(job)
	b, _ := json.Marshal(back)
	if string(a) != string(b) {
		t.Errorf("Original(Pin(job)) differs from job:\n%s\n%s", a, b)
	}
	if GroupHash(back, back.TaskGroups[0]) != plan.Group("front").Hash {
		t.Errorf("hash of the restored group differs from the recorded one")
	}
}

func TestGroupConversion(t *testing.T) {
	job := testJob()
	job.Datacenters = []string{"eu-*"}
	job.Namespace = ptr("acme")
	job.Meta[MetaMaxPrice] = "0.5"
	tg := job.TaskGroups[0]
	tg.Constraints = append(tg.Constraints,
		api.NewConstraint("${attr.cpu.numcores}", ">=", "8"),
		api.NewConstraint("${meta.rack}", "distinct_property", "2"))
	tg.Tasks[0].Resources.Devices = []*api.RequestedDevice{{Name: "nvidia/gpu/A100", Count: ptr(uint64(2)),
		Constraints: []*api.Constraint{api.NewConstraint("${device.attr.memory}", ">=", "40 GiB")}}}
	nodes := []pack.Node{
		{ID: "big", Attributes: map[string]string{"attr.cpu.numcores": "16"}},
		{ID: "small", Attributes: map[string]string{"attr.cpu.numcores": "4"}},
	}
	g, err := Group(job, tg, 5, nodes)
	if err != nil {
		t.Fatal(err)
	}
	if g.Tenant != "acme" || g.CPUMHz != 500 || g.MemoryMB != 256 || g.DiskMB != defaultDiskMB || g.MaxPricePerHour != 0.5 || !g.DistinctHosts {
		t.Errorf("group = %+v", g)
	}
	if g.GPU == nil || *g.GPU != (pack.GPUAsk{Count: 2, Model: "A100", MinMemoryMB: 40 * 1024}) {
		t.Errorf("gpu ask = %+v", g.GPU)
	}
	if len(g.Spread) != 1 || g.Spread[0].Max != 2 {
		t.Errorf("spread = %+v", g.Spread)
	}
	var cons []string
	for _, c := range g.Constraints {
		cons = append(cons, c.Attribute+" "+c.Operator+" "+c.Value)
	}
	want := []string{"datacenter regexp ^(eu-.*)$", "node_pool = default", "${node.unique.id} set_contains_any big,(attr.cpu.numcores >= 8)"}
	if !reflect.DeepEqual(cons, want) {
		t.Errorf("constraints:\n got %q\nwant %q", cons, want)
	}

	tg.Tasks[0].Resources.Cores = ptr(2)
	if _, err := Group(job, tg, 1, nodes); err == nil || !strings.Contains(err.Error(), "cores") {
		t.Errorf("cores accepted: %v", err)
	}
}

func TestPackable(t *testing.T) {
	j := testJob()
	if !Packable(j, false) {
		t.Errorf("opted-in service job not packable")
	}
	delete(j.Meta, MetaPack)
	if Packable(j, false) || !Packable(j, true) {
		t.Errorf("opt-in and pack-all not honoured")
	}
	j.Periodic = &api.PeriodicConfig{}
	if Packable(j, true) {
		t.Errorf("periodic job packed")
	}
	sys := api.NewSystemJob("s", "s", "global", 50)
	if Packable(sys, true) {
		t.Errorf("system job packed")
	}
}

// FuzzRewrite: for any job Nomad's API can carry and any placement of its groups, Pin keeps
// every instance pinned to exactly the chosen nodes, and Original gives back the job.
func FuzzRewrite(f *testing.F) {
	seed, _ := json.Marshal(testJob())
	f.Add(seed, []byte{1, 2, 3, 3, 3})
	f.Add([]byte(`{"ID":"x","TaskGroups":[{"Name":"a","Count":3},{"Name":"a#2","Count":1}]}`), []byte{0, 0, 1})
	f.Add([]byte(`{"ID":"x","TaskGroups":[{"Name":"a","Count":0,"Constraints":[{"Operand":"distinct_hosts","RTarget":"true"}]}]}`), []byte{})
	f.Add([]byte(`{"ID":"x","Meta":{"dec2.plan":"{\"groups\":[{\"group\":\"a\",\"parts\":[]}]}"},"TaskGroups":[{"Name":"a"}]}`), []byte{5})
	f.Fuzz(func(t *testing.T, data []byte, choice []byte) {
		var job api.Job
		if json.Unmarshal(data, &job) != nil {
			return
		}
		user, _, err := Original(&job)
		if err != nil {
			return
		}
		pl := map[string]Placement{}
		k := 0
		for _, tg := range user.TaskGroups {
			if tg == nil || tg.Name == nil || groupCount(tg) < 0 || groupCount(tg) > 1000 {
				return
			}
			p := Placement{}
			for i := 0; i < groupCount(tg); i++ {
				node := "n0"
				if k < len(choice) {
					node = fmt.Sprintf("n%d", choice[k]%7)
				}
				k++
				p[node]++
			}
			pl[*tg.Name] = p
			_, _ = Group(user, tg, groupCount(tg), nil)
		}
		pinned, plan, err := Pin(user, pl, nil, nil)
		if err != nil {
			return
		}
		for _, tg := range pinned.TaskGroups {
			owner, _ := plan.Owner(*tg.Name)
			gp := plan.Group(owner)
			var part *Part
			for i := range gp.Parts {
				if gp.Parts[i].Name == *tg.Name {
					part = &gp.Parts[i]
				}
			}
			if part == nil || *tg.Count != part.Count || part.Count != part.PerNode*len(part.Nodes) && len(part.Nodes) > 0 {
				t.Fatalf("task group %s: count %d does not match its part %+v", *tg.Name, *tg.Count, part)
			}
			if len(part.Nodes) > 1 && part.PerNode != 1 {
				t.Fatalf("a part over several nodes puts %d on each: Nomad could choose", part.PerNode)
			}
		}
		for name, p := range pl {
			if got := plan.Group(name).Placement(); p.Total() > 0 && !reflect.DeepEqual(got, p) {
				t.Fatalf("group %s: plan places %v, asked %v", name, got, p)
			}
		}
		roundTrip(t, user, pinned)

		// A new placement of the same counts (the choice read backwards), pinned over the
		// first plan: every instance that can stay in its part does.
		next := map[string]Placement{}
		k = len(choice) - 1
		for name, p := range pl {
			q := Placement{}
			for i := 0; i < p.Total(); i++ {
				node := "n0"
				if k >= 0 {
					node = fmt.Sprintf("n%d", choice[k]%5)
				}
				k--
				q[node]++
			}
			next[name] = q
		}
		repinned, replan, err := Pin(user, next, nil, plan)
		if err != nil && strings.Contains(err.Error(), "which the job already uses") {
			return // the new layout needs a part name the user took: refused, as it should be
		} else if err != nil {
			t.Fatalf("repinning over a plan: %v", err)
		}
		for name, q := range next {
			checkParts(t, name, replan.Group(name).Parts)
			if got := replan.Group(name).Placement(); q.Total() > 0 && !reflect.DeepEqual(got, q) {
				t.Fatalf("group %s repinned: plan places %v, asked %v", name, got, q)
			}
			if stay, can := stayed(plan.Group(name).Parts, replan.Group(name).Parts), overlap(plan.Group(name).Placement(), q); stay != can {
				t.Fatalf("group %s: %d instances stayed in their parts, %d could: %+v → %+v", name, stay, can, plan.Group(name).Parts, replan.Group(name).Parts)
			}
		}
		roundTrip(t, user, repinned)
	})
}

func roundTrip(t *testing.T, user, pinned *api.Job) {
	t.Helper()
	back, _, err := Original(pinned)
	if err != nil {
		t.Fatalf("Original of a pinned job: %v", err)
	}
	a, _ := json.Marshal(normal(user))
	b, _ := json.Marshal(normal(back))
	if string(a) != string(b) {
		t.Fatalf("round trip differs:\n%s\n%s", a, b)
	}
}

// checkParts: names unique and the first the group's; each part pins its instances exactly.
func checkParts(t *testing.T, group string, ps []Part) {
	t.Helper()
	seen := map[string]bool{}
	for i, p := range ps {
		if i == 0 && p.Name != group || seen[p.Name] {
			t.Fatalf("group %s: part %d is named %q: %+v", group, i, p.Name, ps)
		}
		seen[p.Name] = true
		if p.Count != p.PerNode*len(p.Nodes) || len(p.Nodes) > 1 && p.PerNode != 1 || len(p.Nodes) > len(slices.Compact(slices.Clone(p.Nodes))) {
			t.Fatalf("group %s: part %+v does not pin its instances", group, p)
		}
	}
}

// stayed counts instances in the same part on the same node in both layouts.
func stayed(before, after []Part) int {
	on := func(ps []Part) map[[2]string]int {
		m := map[[2]string]int{}
		for _, p := range ps {
			for _, n := range p.Nodes {
				m[[2]string{p.Name, n}] += p.PerNode
			}
		}
		return m
	}
	a, n := on(after), 0
	for k, c := range on(before) {
		n += min(c, a[k])
	}
	return n
}

func overlap(a, b Placement) int {
	n := 0
	for k, c := range a {
		n += min(c, b[k])
	}
	return n
}

// A scale keeps the running instances where and in which part they are, and their tasks'
// meta unchanged: Nomad updates them in place instead of restarting them.
func TestRepinKeepsRunningInstances(t *testing.T) {
	job := testJob()
	first, plan, err := Pin(job, map[string]Placement{"front": {"n1": 1, "n2": 1, "n3": 3}, "db": {"n1": 1}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	*job.TaskGroups[0].Count = 8
	second, replan, err := Pin(job, map[string]Placement{"front": {"n1": 2, "n2": 1, "n3": 4, "n4": 1}, "db": {"n1": 1}}, nil, plan)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(replan.Group("front").Parts)
	// n3's part grows, n4 joins the single-instance part, n1's second instance gets a part.
	want := "[{front 4 4 [n3]} {front#2 3 1 [n1 n2 n4]} {front#3 1 1 [n1]}]"
	if got != want {
		t.Errorf("parts after a scale:\n got %s\nwant %s", got, want)
	}
	if first.Meta[MetaPlan] == second.Meta[MetaPlan] {
		t.Fatalf("the job's plan did not change")
	}
	for _, tg := range second.TaskGroups {
		for _, task := range tg.Tasks {
			if m := taskMeta(first, *tg.Name, task.Name); m != nil && !reflect.DeepEqual(m, taskMeta(second, *tg.Name, task.Name)) {
				t.Errorf("task %s/%s sees its meta change from %v to %v; Nomad would restart it", *tg.Name, task.Name, m, taskMeta(second, *tg.Name, task.Name))
			}
		}
	}
	// Scaled down to 2: the part on n3 keeps them, the other parts empty; the user's part stays.
	*job.TaskGroups[0].Count = 2
	_, down, err := Pin(job, map[string]Placement{"front": {"n3": 2}, "db": {"n1": 1}}, nil, replan)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(down.Group("front").Parts); got != "[{front 2 2 [n3]}]" {
		t.Errorf("parts after scaling down: %s", got)
	}
}

// taskMeta is the meta Nomad gives a task, as its Job.CombinedTaskMeta merges it.
func taskMeta(j *api.Job, group, task string) map[string]string {
	for _, tg := range j.TaskGroups {
		if *tg.Name != group {
			continue
		}
		m := maps.Clone(j.Meta)
		maps.Copy(m, tg.Meta)
		for _, t := range tg.Tasks {
			if t.Name == task {
				maps.Copy(m, t.Meta)
				return m
			}
		}
	}
	return nil
}

// normal writes what Nomad reads the same either way one form: no meta, count 1.
func normal(j *api.Job) *api.Job {
	c, _ := copyJob(j)
	if len(c.Meta) == 0 {
		c.Meta = nil
	}
	for _, tg := range c.TaskGroups {
		if tg.Count == nil {
			tg.Count = ptr(1)
		}
	}
	return c
}

// The hash follows what placement depends on, and only that.
func TestGroupHashFollowsPlacementInputs(t *testing.T) {
	base := GroupHash(testJob(), testJob().TaskGroups[0])
	for what, change := range map[string]func(*api.Job){
		"image":   func(j *api.Job) { j.TaskGroups[0].Tasks[0].Config = map[string]any{"image": "nginx:2"} },
		"env":     func(j *api.Job) { j.TaskGroups[0].Tasks[0].Env = map[string]string{"A": "1"} },
		"meta":    func(j *api.Job) { j.TaskGroups[0].Meta = map[string]string{"k": "v"}; j.Meta["x"] = "y" },
		"count":   func(j *api.Job) { *j.TaskGroups[0].Count = 9 },
		"update":  func(j *api.Job) { j.TaskGroups[0].Update = &api.UpdateStrategy{MaxParallel: ptr(3)} },
		"scaling": func(j *api.Job) { j.TaskGroups[0].Scaling.Max = ptr(int64(20)) },
	} {
		j := testJob()
		change(j)
		if GroupHash(j, j.TaskGroups[0]) != base {
			t.Errorf("changing the %s changed the hash: the placement would be packed again", what)
		}
	}
	for what, change := range map[string]func(*api.Job){
		"cpu": func(j *api.Job) { j.TaskGroups[0].Tasks[0].Resources.CPU = ptr(600) },
		"devices": func(j *api.Job) {
			j.TaskGroups[0].Tasks[0].Resources.Devices = []*api.RequestedDevice{{Name: "nvidia/gpu"}}
		},
		"driver":         func(j *api.Job) { j.TaskGroups[0].Tasks[0].Driver = "raw_exec" },
		"constraint":     func(j *api.Job) { j.TaskGroups[0].Constraints = nil },
		"disk":           func(j *api.Job) { j.TaskGroups[0].EphemeralDisk = &api.EphemeralDisk{SizeMB: ptr(500)} },
		"datacenters":    func(j *api.Job) { j.Datacenters = []string{"eu-1"} },
		"job constraint": func(j *api.Job) { j.Constraints = []*api.Constraint{api.NewConstraint("${meta.kind}", "=", "rack")} },
		"namespace":      func(j *api.Job) { j.Namespace = ptr("team-a") },
		"max price":      func(j *api.Job) { j.Meta[MetaMaxPrice] = "0.5" },
	} {
		j := testJob()
		change(j)
		if GroupHash(j, j.TaskGroups[0]) == base {
			t.Errorf("changing the %s kept the hash: the old placement would be kept", what)
		}
	}
}
