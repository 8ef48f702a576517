# dec2-allocator serve: the Nomad API front that packs job registrations (allocator/service).
# `make allocator-serve` runs it against $NOMAD_ADDR (default http://127.0.0.1:4646) on :4656;
# `make allocator-image` builds the FROM-scratch image jobspecs/allocator.nomad.hcl runs.
BENCH_PKGS += ./allocator/service

ALLOCATOR_LISTEN ?= 127.0.0.1:4656

.PHONY: allocator-serve allocator-image

allocator-serve:
	@mkdir -p bin
	CGO_ENABLED=0 go build -trimpath -o bin/dec2-allocator ./allocator/cmd/dec2-allocator
	bin/dec2-allocator serve --listen $(ALLOCATOR_LISTEN) $(ALLOCATOR_ARGS)

allocator-image:
	@mkdir -p .cache/allocator-image
	CGO_ENABLED=0 go build -trimpath -o .cache/allocator-image/dec2-allocator ./allocator/cmd/dec2-allocator
	printf 'FROM scratch\nCOPY dec2-allocator /dec2-allocator\nENTRYPOINT ["/dec2-allocator"]\n' > .cache/allocator-image/Dockerfile
	docker build -q -t dec2-allocator:latest .cache/allocator-image
