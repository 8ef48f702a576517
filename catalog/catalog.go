// Package catalog holds dec2's instance types: named bundles of CPU, memory, disk and GPUs that
// consumers rent, like EC2's instance types. The list is data (types.json), read once.
package catalog

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// Type is one rentable shape.
type Type struct {
	Name         string `json:"name"`
	Description  string `json:"description"`
	CPU          int    `json:"cpu_mhz"`
	MemoryMB     int    `json:"memory_mb"`
	DiskMB       int    `json:"disk_mb"`
	GPUs         int    `json:"gpus,omitempty"`
	GPUMemoryMiB int    `json:"gpu_memory_mib,omitempty"` // floor per GPU; 0 = any
	GPUName      string `json:"gpu_name,omitempty"`       // device name the plugin reports; "" = any
	// ReadOnlyRoot mounts the container's root filesystem read-only ("sealed" types).
	ReadOnlyRoot bool `json:"readonly_rootfs,omitempty"`
}

//go:embed types.json
var typesJSON []byte

var types = mustParse(typesJSON)

func mustParse(b []byte) []Type {
	ts, err := parse(b)
	if err != nil {
		panic(err) // types.json ships with the binary; its test catches this first
	}
	return ts
}

func parse(b []byte) ([]Type, error) {
	var ts []Type
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ts); err != nil {
		return nil, fmt.Errorf("reading instance types: %w", err)
	}
	seen := map[string]bool{}
	for i, t := range ts {
		switch {
		case t.Name == "":
			return nil, fmt.Errorf("instance type %d has no name", i)
		case seen[t.Name]:
			return nil, fmt.Errorf("instance type %s listed twice", t.Name)
		case t.CPU <= 0 || t.MemoryMB <= 0 || t.DiskMB <= 0:
			return nil, fmt.Errorf("instance type %s: cpu_mhz, memory_mb and disk_mb must be positive", t.Name)
		case t.GPUs < 0 || (t.GPUs == 0 && (t.GPUMemoryMiB != 0 || t.GPUName != "")):
			return nil, fmt.Errorf("instance type %s: GPU memory or name without gpus", t.Name)
		}
		seen[t.Name] = true
	}
	return ts, nil
}

// Types returns every instance type in catalogue order.
func Types() []Type { return append([]Type(nil), types...) }

// Lookup returns the type called name.
func Lookup(name string) (Type, error) {
	for _, t := range types {
		if t.Name == name {
			return t, nil
		}
	}
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name
	}
	return Type{}, fmt.Errorf("unknown instance type %q: want one of %s (see `dec2 instance types`)", name, strings.Join(names, ", "))
}
