package reserve

import (
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/allocator/pack"
)

func TestHoldsFillExpireAndCancel(t *testing.T) {
	var l Ledger
	now := time.Unix(1000, 0)
	per := pack.Resources{CPUMHz: 100, MemoryMB: 256, DiskMB: 10}
	k := Key{"default", "web", "web", "n1"}
	t1 := l.Open()
	l.Hold(t1, k, per, []string{"gpu0"}, 2, 10, now.Add(time.Minute))
	if got := l.ByNode()["n1"]; got.MemoryMB != 512 || len(got.GPUs) != 1 {
		t.Fatalf("held on n1 = %+v, want 512 MiB and one GPU", got)
	}
	// An allocation created before the hold is an older version's: it fills nothing.
	if l.Observe("old", k, 9) {
		t.Errorf("an allocation created before the hold filled it")
	}
	if !l.Observe("a1", k, 11) || l.Observe("a1", k, 11) {
		t.Errorf("a new allocation must fill the hold exactly once")
	}
	if l.Instances() != 1 {
		t.Errorf("instances held = %d, want 1", l.Instances())
	}
	// Nomad answers: the job's index is 20, so a1 (11) was an older version's after all.
	l.Confirm(t1, 20)
	if l.Instances() != 2 {
		t.Errorf("after Confirm(20) instances held = %d, want 2", l.Instances())
	}
	l.Observe("a2", k, 21)
	l.Observe("a3", k, 22)
	if l.Instances() != 0 || len(l.ByNode()) != 0 {
		t.Errorf("filled holds still hold: %d instances, %v", l.Instances(), l.ByNode())
	}

	t2 := l.Open()
	l.Hold(t2, k, per, nil, 3, 30, now.Add(time.Minute))
	if lapsed := l.Expire(now.Add(30 * time.Second)); lapsed != 0 {
		t.Errorf("expired %d before the deadline", lapsed)
	}
	if lapsed := l.Expire(now.Add(time.Minute)); lapsed != 3 || l.Instances() != 0 {
		t.Errorf("at the deadline expired %d, left %d; want 3 and 0", lapsed, l.Instances())
	}
	t3 := l.Open()
	l.Hold(t3, k, per, nil, 1, 30, now.Add(time.Minute))
	l.Hold(t3, Key{"default", "web", "web", "n2"}, per, nil, 1, 30, now.Add(time.Minute))
	l.Cancel(t3)
	if l.Instances() != 0 {
		t.Errorf("cancelled ticket still holds %d", l.Instances())
	}
}
