# dec2's one Makefile. Components add their own targets in mk/<component>.mk; each fragment
# may append to TOOLS (installed by `make tools`), BENCH_PKGS (run by `make bench`) and LINT
# (more checks for `make lint`).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export GOTOOLCHAIN := local
export PATH := $(CURDIR)/bin:$(PATH)

STATICCHECK_VERSION := v0.8.2
TEST_TIMEOUT ?= 50m
BENCH_PKGS :=
LINT :=
TOOLS := tools-nomad tools-docker tools-postgres

-include mk/*.mk

.PHONY: tools tools-nomad tools-docker tools-postgres tools-staticcheck build test test-short demo bench lint

tools: $(TOOLS)

tools-nomad:
	@bash scripts/install-nomad.sh

tools-docker:
	@bash scripts/ensure-docker.sh

tools-postgres:
	@bash scripts/ensure-postgres.sh

tools-staticcheck:
	@if [ ! -x bin/staticcheck-$(STATICCHECK_VERSION) ]; then \
	  GOBIN=$(CURDIR)/.cache/gobin go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION); \
	  mkdir -p bin; mv .cache/gobin/staticcheck bin/staticcheck-$(STATICCHECK_VERSION); fi
	@ln -sfn staticcheck-$(STATICCHECK_VERSION) bin/staticcheck

build:
	go build -o bin/ ./...

# Tests start real Nomad agents and Docker containers; `make test-short` skips those.
# -shuffle=on runs each package's tests in a random order (the seed is printed as
# -test.shuffle N: pass it back to reproduce), so no test leans on another having run first.
# CI also runs `make test-race` and `make fuzz` (mk/ci.mk).
test: tools
	go test -count=1 -shuffle=on -timeout $(TEST_TIMEOUT) ./...

test-short:
	go test -short -count=1 ./...

demo: tools build
	go run ./e2e/cmd/dec2-demo

bench:
	go test -run '^$$' -bench . -benchmem -count 6 $(BENCH_PKGS) | tee .cache/bench.txt

lint: tools-staticcheck $(LINT)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...
	bin/staticcheck ./...
