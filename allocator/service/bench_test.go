package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/leadership"
	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/allocator/pack"
)

// stubTenantWallet is the wallet every namespace of stubNomad is bound to.
const stubTenantWallet = "0x00000000000000000000000000000000000000c0"

// stubNomad answers the calls a registration makes — the namespace's binding, the caller's node list, the job's
// current version, the registration — with no work behind them, so that a benchmark times
// the allocator alone. Only benchmarks use it; every test runs against real Nomad.
func stubNomad(nodes []*api.Node) *httptest.Server {
	stubs := make([]*api.NodeListStub, len(nodes))
	for i, n := range nodes {
		stubs[i] = &api.NodeListStub{ID: n.ID, Name: n.Name, Status: n.Status}
	}
	list, _ := json.Marshal(stubs)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/nodes", func(w http.ResponseWriter, _ *http.Request) { w.Write(list) })
	mux.HandleFunc("GET /v1/namespace/{name}", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(api.Namespace{Name: r.PathValue("name"), Meta: map[string]string{"dec2.wallet": stubTenantWallet}})
	})
	mux.HandleFunc("GET /v1/job/{id}", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "job not found", http.StatusNotFound) })
	mux.HandleFunc("PUT /v1/jobs", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fmt.Fprint(w, `{"EvalID":"e","EvalCreateIndex":2,"JobModifyIndex":2}`)
	})
	// The leader lock: the first allocator to ask holds it for good, as a lock nobody loses.
	var (
		mu     sync.Mutex
		holder *api.Variable
	)
	mux.HandleFunc("PUT /v1/var/{path...}", func(w http.ResponseWriter, r *http.Request) {
		var v api.Variable
		json.NewDecoder(r.Body).Decode(&v)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.URL.Query().Has("lock-acquire") && holder == nil:
			v.Lock.ID = "stub-lock"
			holder = &v
			json.NewEncoder(w).Encode(holder)
		case r.URL.Query().Has("lock-acquire"):
			http.Error(w, "lock held", http.StatusConflict)
		default: // renew, release
			json.NewEncoder(w).Encode(api.VariableMetadata{Namespace: holder.Namespace, Path: holder.Path, Lock: holder.Lock})
		}
	})
	mux.HandleFunc("GET /v1/var/{path...}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if holder == nil {
			http.Error(w, "variable not found", http.StatusNotFound)
			return
		}
		json.NewEncoder(w).Encode(holder)
	})
	return httptest.NewServer(mux)
}

// benchFleet is n providers of three sizes, each about half full.
func benchFleet(n int) (*nomadstate.Model, []*api.Node) {
	m := nomadstate.NewModel("global")
	sizes := [][2]int64{{2000, 4096}, {4000, 8192}, {8000, 16384}}
	var nodes []*api.Node
	for i := range n {
		s := sizes[i%len(sizes)]
		node := &api.Node{ID: fmt.Sprintf("node-%05d", i), Name: fmt.Sprintf("p%d", i), Datacenter: "dc1", NodePool: "default",
			Status: api.NodeStatusReady, SchedulingEligibility: api.NodeSchedulingEligible,
			Meta: map[string]string{"dec2.price.cpu_ghz_hour": "0.01", "dec2.price.mem_gb_hour": "0.002"},
			NodeResources: &api.NodeResources{Cpu: api.NodeCpuResources{CpuShares: s[0]}, Memory: api.NodeMemoryResources{MemoryMB: s[1]},
				Disk: api.NodeDiskResources{DiskMB: 50000}}}
		nodes = append(nodes, node)
		m.SetNode(node)
		a := &nomadstate.Alloc{ID: fmt.Sprintf("a-%05d", i), Namespace: "default", JobID: "old", TaskGroup: "g", NodeID: node.ID,
			Res: packRes(s[0]/2, s[1]/2, 300), CreateIndex: 1}
		m.SetAlloc(a, false, 1)
	}
	return m, nodes
}

// admissionSetup is how a benchmark's registrations reach the allocator.
type admissionSetup int

const (
	alone       admissionSetup = iota // one allocator, no lock
	leader                            // the leader of two, sent to directly
	viaFollower                       // sent to the follower, which forwards to the leader
)

// benchAdmission times registrations through the allocator against a stub region of n nodes:
// jobs of 1–3 instances of mixed sizes, each answered before the next is sent.
func benchAdmission(b *testing.B, n int, setup admissionSetup) {
	model, nodes := benchFleet(n)
	stub := stubNomad(nodes)
	defer stub.Close()
	serve := func(lock bool) (*Server, *httptest.Server) {
		cfg := Config{NomadAddr: stub.URL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			// Nothing ever shows up as allocations here: holds lapse at the next registration,
			// so every one sees the same half-full region.
			HoldTTL: time.Nanosecond}
		front := httptest.NewUnstartedServer(nil)
		if lock {
			cfg.LeaderLock, cfg.Advertise = leadership.DefaultPath, "http://"+front.Listener.Addr().String()
		}
		s, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		s.fleet.Reset(model)
		front.Config.Handler = s.Handler()
		front.Start()
		if lock {
			ctx, cancel := context.WithCancel(context.Background())
			b.Cleanup(cancel)
			go s.elector.Run(ctx, s.lead)
		}
		return s, front
	}
	s, front := serve(setup != alone)
	defer front.Close()
	if setup != alone {
		for i := 0; !s.admits(); i++ {
			if i > 500 {
				b.Fatal("the allocator did not take the stub's lock within 5s")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if setup == viaFollower {
		_, follower := serve(true)
		defer follower.Close()
		front = follower
	}

	rng := rand.New(rand.NewPCG(1, 2))
	bodies := make([][]byte, 64)
	for i := range bodies {
		job := api.NewServiceJob(fmt.Sprintf("j%d", i), fmt.Sprintf("j%d", i), "global", 50)
		job.Meta = map[string]string{"dec2.pack": "true"}
		tg := api.NewTaskGroup("g", 1+rng.IntN(3))
		task := api.NewTask("t", "docker")
		cpu, mem := 100*(1+rng.IntN(10)), 128*(1+rng.IntN(16))
		task.Resources = &api.Resources{CPU: &cpu, MemoryMB: &mem}
		tg.Tasks = []*api.Task{task}
		job.TaskGroups = []*api.TaskGroup{tg}
		bodies[i], _ = json.Marshal(api.JobRegisterRequest{Job: job})
	}
	client := front.Client()
	lat := make([]time.Duration, 0, b.N)
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest(http.MethodPut, front.URL+"/v1/jobs", bytes.NewReader(bodies[i%len(bodies)]))
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(t0))
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("registration %d: %d %s", i, resp.StatusCode, strings.TrimSpace(string(body)))
		}
	}
	b.StopTimer()
	// The machine is shared: CPU time per registration (allocator and stub together, one
	// process) says what wall-clock percentiles cannot when other work competes for the cores.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

func BenchmarkAdmission200Nodes(b *testing.B)  { benchAdmission(b, 200, alone) }
func BenchmarkAdmission2000Nodes(b *testing.B) { benchAdmission(b, 2000, alone) }

// The same registrations with the leader lock on: to the leader, and through the follower.
func BenchmarkAdmission2000NodesLeader(b *testing.B)      { benchAdmission(b, 2000, leader) }
func BenchmarkAdmission2000NodesViaFollower(b *testing.B) { benchAdmission(b, 2000, viaFollower) }

func packRes(cpu, mem, disk int64) (r pack.Resources) {
	r.CPUMHz, r.MemoryMB, r.DiskMB = cpu, mem, disk
	return r
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
