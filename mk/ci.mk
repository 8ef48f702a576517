# CI habits (issue 14): the race detector, fuzzing and govulncheck. .ci/run calls `make
# test-race` and `make fuzz` after `make test`; `make lint` runs govulncheck.
GOVULNCHECK_VERSION := v1.10.0
FUZZTIME ?= 8s
# Instrumenting go-ethereum for these two takes ~7 minutes on a 2-core CI machine, more than all
# other fuzzing together; their seeds still run in every `go test`, and `make fuzz
# FUZZ_EXCLUDE=` fuzzes them too.
FUZZ_EXCLUDE ?= contracts/chain:FuzzReadAddresses contracts/devchain:FuzzDeriveKey
LINT += govulncheck

# Packages whose tests run under the race detector: those with goroutines of their own (the
# services, their state and holds, the packer's workers, billing's loops, sign-in's nonces,
# the dev chain's sealer, the attestor's loops and probes). The rest are single-threaded;
# racing them would only double CI.
RACE_PKGS := ./allocator/service ./allocator/leadership ./allocator/reserve ./allocator/nomadstate ./allocator/pack \
  ./billing-sidecar/... ./identity/... ./contracts/devchain ./tenancy ./attestor/... ./reputation/... \
  ./storage/...
RACE_TIMEOUT ?= 20m

.PHONY: test-race fuzz govulncheck tools-govulncheck

test-race:
	go test -race -short -shuffle=on -count=1 -timeout $(RACE_TIMEOUT) $(RACE_PKGS)

# Every FuzzXxx target in the module for FUZZTIME each (scripts/fuzz.sh discovers them).
fuzz:
	FUZZTIME=$(FUZZTIME) FUZZ_EXCLUDE="$(FUZZ_EXCLUDE)" bash scripts/fuzz.sh

tools-govulncheck: bin/govulncheck-$(GOVULNCHECK_VERSION)
	@ln -sfn govulncheck-$(GOVULNCHECK_VERSION) bin/govulncheck

bin/govulncheck-$(GOVULNCHECK_VERSION):
	GOBIN=$(CURDIR)/.cache/gobin go install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)
	@mkdir -p bin && mv .cache/gobin/govulncheck $@

# Fails on a vulnerability our code calls, unless scripts/govulncheck-allow.txt tolerates it with
# a reason; skipped with a notice where the vulnerability database is unreachable (see the script).
govulncheck: tools-govulncheck
	bash scripts/govulncheck.sh
