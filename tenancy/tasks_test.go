package tenancy

import (
	"errors"
	"testing"
)

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
		err := CheckDockerTask("t", tc.cfg)
		var e *Error
		if tc.ok != (err == nil) || (err != nil && (!errors.As(err, &e) || e.Reason != ReasonForbiddenTask)) {
			t.Errorf("%v: %v, want ok=%v", tc.cfg, err, tc.ok)
		}
	}
}
