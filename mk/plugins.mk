# dec2-gpu, the Nomad device plugin (nomad-plugins/gpu).
# `make plugins` builds bin/plugins/dec2-gpu with cgo, so the NVML backend can load
# libnvidia-ml; a CGO_ENABLED=0 build (as the e2e harness makes) serves sysfs and fake GPUs only.
BENCH_PKGS += ./nomad-plugins/gpu ./nomad-plugins/gpu/nvml

.PHONY: plugins gpu-probe

plugins:
	@mkdir -p bin/plugins
	CGO_ENABLED=1 go build -trimpath -o bin/plugins/dec2-gpu ./nomad-plugins/gpu/cmd/dec2-gpu

# What the plugin sees on this machine: one fingerprint and one stats sample as JSON.
# GPU_PROBE_ARGS passes flags, e.g. GPU_PROBE_ARGS="-backends fake -fake-devices-file nomad-plugins/gpu/examples/a100x2.json".
gpu-probe: plugins
	bin/plugins/dec2-gpu probe $(GPU_PROBE_ARGS)
