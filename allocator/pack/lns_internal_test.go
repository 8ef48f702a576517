package pack

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestRepackKeepsRulesAndNeverAddsNodes repacks first-fit packings of small random problems:
// the result places the same instances, keeps every rule, uses no more nodes than before and
// no fewer than the optimum, and closes nodes on some of them.
func TestRepackKeepsRulesAndNeverAddsNodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(40, 4))
	solved, closed := 0, 0
	for trial := 0; trial < 800; trial++ {
		_, m, e, ok := tinyOptimum(rng)
		if !ok {
			continue
		}
		s := newState(m)
		firstFit(s, groupOrder(m, byDominant, nil, 0), nodeOrder(m, nil, 0))
		before, placed := s.opened, s.placedPerGroup()
		repack(s, time.Now().Add(time.Minute))
		checkPacking(t, s, placed, s.opened)
		if s.opened > before {
			t.Fatalf("trial %d: repack went from %d nodes to %d", trial, before, s.opened)
		}
		if e.lb < 0 || s.placed() != m.instances {
			continue
		}
		solved++
		if s.opened < e.best {
			t.Fatalf("trial %d: repack used %d nodes, below the optimum %d", trial, s.opened, e.best)
		}
		if s.opened < before {
			closed++
		}
	}
	if solved < 300 || closed == 0 {
		t.Fatalf("%d problems solved exhaustively, repack closed nodes on %d", solved, closed)
	}
	t.Logf("%d problems; repack closed nodes on %d", solved, closed)
}
