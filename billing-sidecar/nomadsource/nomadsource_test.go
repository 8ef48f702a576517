package nomadsource

import (
	"testing"
	"time"

	"github.com/hashicorp/nomad/api"
)

func TestSnapshot(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	seen := at(50)
	for _, tc := range []struct {
		name              string
		a                 api.Allocation
		started, finished time.Time
	}{
		{"running: earliest task start", api.Allocation{ClientStatus: "running", ModifyTime: at(9).UnixNano(), TaskStates: map[string]*api.TaskState{
			"a": {StartedAt: at(3)}, "b": {StartedAt: at(1)}, "c": nil}}, at(1), at(9)},
		{"complete: latest task finish", api.Allocation{ClientStatus: "complete", ModifyTime: at(99).UnixNano(), TaskStates: map[string]*api.TaskState{
			"a": {StartedAt: at(1), FinishedAt: at(20)}, "b": {StartedAt: at(2), FinishedAt: at(30)}}}, at(1), at(30)},
		{"lost with a task unfinished: Nomad's update time", api.Allocation{ClientStatus: "lost", ModifyTime: at(40).UnixNano(), TaskStates: map[string]*api.TaskState{
			"a": {StartedAt: at(1), FinishedAt: at(20)}, "b": {StartedAt: at(2)}}}, at(1), at(40)},
		{"no tasks yet", api.Allocation{ClientStatus: "pending"}, time.Time{}, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Snapshot(&tc.a, seen)
			if !s.StartedAt.Equal(tc.started) || !s.FinishedAt.Equal(tc.finished) || !s.NodeLastSeen.Equal(seen) || s.Status != tc.a.ClientStatus {
				t.Fatalf("Snapshot = %+v, want started %v finished %v", s, tc.started, tc.finished)
			}
		})
	}
}
