//go:build cgo

package gpu

import (
	gonvml "github.com/NVIDIA/go-nvml/pkg/nvml"

	"github.com/dec2-cloud/dec2/nomad-plugins/gpu/nvml"
)

// openNVML loads libnvidia-ml (dlopen, hence cgo) and initialises it.
func openNVML(s settings) (Backend, error) {
	var opts []gonvml.LibraryOption
	if s.NVMLLibrary != "" {
		opts = append(opts, gonvml.WithLibraryPath(s.NVMLLibrary))
	}
	return nvml.Open(gonvml.New(opts...), nvml.Options{MaxTemperatureC: s.MaxTemperature})
}
