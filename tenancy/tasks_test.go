package tenancy

import (
	"errors"
	"testing"
)

// Host networking is allowed on a provider dedicated to the task's own tenant, and nothing
// else is: other host namespaces and containers' networks stay refused there.
func TestHostNetworkOnOwnProvider(t *testing.T) {
	if err := CheckDockerTask("t", map[string]any{"network_mode": "host"}, true); err != nil {
		t.Errorf("host network on the tenant's own provider: %v", err)
	}
	for _, cfg := range []map[string]any{{"network_mode": "container:abc"}, {"pid_mode": "host"}, {"privileged": true}} {
		if err := CheckDockerTask("t", cfg, true); err == nil {
			t.Errorf("%v accepted on the tenant's own provider", cfg)
		}
	}
}

func TestCheckDockerTask(t *testing.T) {
	for _, tc := range []struct {
		cfg map[string]any
		ok  bool
	}{
		{map[string]any{"image": "web:1", "ports": []any{"http"}, "security_opt": []any{"no-new-privileges"}}, true},
		{map[string]any{"image": "web:1", "network_mode": "bridge", "devices": []any{}}, true},
		{map[string]any{"privileged": true}, false},
		{map[string]any{"privileged": false}, true},
		{map[string]any{"pid_mode": "host"}, false},
		{map[string]any{"ipc_mode": "host"}, false},
		{map[string]any{"userns_mode": "host"}, false},
		{map[string]any{"network_mode": "host"}, false},
		{map[string]any{"network_mode": "container:0123abcd"}, false},
		{map[string]any{"devices": []any{map[string]any{"host_path": "/dev/sda"}}}, false},
		{map[string]any{"sysctl": map[string]any{"net.core.somaxconn": "16384"}}, false},
		{map[string]any{"security_opt": []any{"seccomp=unconfined"}}, false},
		{map[string]any{"security_opt": []any{"no-new-privileges", "apparmor=unconfined"}}, false},
		{map[string]any{"security_opt": []any{"no-new-privileges=false"}}, false},
	} {
		err := CheckDockerTask("t", tc.cfg, false)
		var e *Error
		if tc.ok != (err == nil) || (err != nil && (!errors.As(err, &e) || e.Reason != ReasonForbiddenTask)) {
			t.Errorf("%v: %v, want ok=%v", tc.cfg, err, tc.ok)
		}
	}
}
