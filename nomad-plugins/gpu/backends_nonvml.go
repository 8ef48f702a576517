//go:build !cgo

package gpu

import "errors"

// openNVML cannot load libnvidia-ml into a binary built without cgo (the static builds tests
// and fake-GPU demo providers use); such a build serves the sysfs and fake backends only.
func openNVML(settings) (Backend, error) {
	return nil, errors.New("this dec2-gpu was built without cgo, so it cannot load libnvidia-ml; build it with CGO_ENABLED=1 for NVIDIA GPUs")
}
