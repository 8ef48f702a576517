package nomadstate_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/nomadstate"
	"github.com/dec2-cloud/dec2/e2e"
)

// nodeLog keeps every node Watch reports, in order; built is closed at the first Reset.
type nodeLog struct {
	mu        sync.Mutex
	nodes     []*nomadstate.Node
	built     chan struct{}
	buildOnce sync.Once
}

func (l *nodeLog) Reset(m *nomadstate.Model) { l.buildOnce.Do(func() { close(l.built) }) }
func (l *nodeLog) NodeChanged(n *api.Node) {
	m := nomadstate.NewModel("global")
	m.SetNode(n)
	got, _ := m.Node(n.ID)
	l.mu.Lock()
	l.nodes = append(l.nodes, got)
	l.mu.Unlock()
}
func (l *nodeLog) NodeGone(string, uint64)                      {}
func (l *nodeLog) AllocChanged(*nomadstate.Alloc, bool, uint64) {}

// A node changed after the model was built must keep its GPUs' memory: the event stream's copy
// of a node does not decode device attributes into the API's types.
func TestWatchedNodeKeepsGPUMemory(t *testing.T) {
	e2e.RequireIntegration(t)
	r := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{e2e.Client{Name: "rig"}.WithFakeGPUs(t, "a100x2.json", nil)}})
	id := r.NodeID(t, "rig")
	e2e.Poll(t, "the rig's GPUs", time.Minute, 250*time.Millisecond, func() (bool, error) {
		n, _, err := r.API.Nodes().Info(id, nil)
		return err == nil && len(n.NodeResources.Devices) > 0, nil
	})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := &nodeLog{built: make(chan struct{})}
	go nomadstate.Watch(ctx, r.API, "global", log, slog.New(slog.DiscardHandler))
	// Once the model is built, Watch follows the event stream from the model's index on, so a
	// change made after Reset is delivered even if the stream is not open yet.
	select {
	case <-log.built:
	case <-time.After(30 * time.Second):
		t.Fatal("Watch built no model in 30s")
	}
	// A node event: the node turned ineligible.
	if _, err := r.API.Nodes().ToggleEligibility(id, false, nil); err != nil {
		t.Fatal(err)
	}
	e2e.Poll(t, "a node event", 30*time.Second, 100*time.Millisecond, func() (bool, error) {
		log.mu.Lock()
		defer log.mu.Unlock()
		return len(log.nodes) > 0, nil
	})
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, n := range log.nodes {
		if len(n.GPUs) != 2 {
			t.Fatalf("a changed node has %d GPUs, want 2", len(n.GPUs))
		}
		for _, g := range n.GPUs {
			if g.MemoryMB != 81920 {
				t.Errorf("GPU %s of a changed node has %d MB of memory, want 81920", g.ID, g.MemoryMB)
			}
		}
	}
}
