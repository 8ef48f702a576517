# CI habits (issue 14): the race detector, fuzzing and govulncheck. .ci/run calls `make
# test-race` and `make fuzz` after `make test`; `make lint` runs govulncheck.
GOVULNCHECK_VERSION := v1.10.0
FUZZTIME ?= 10s
LINT += govulncheck

# Packages whose tests run under the race detector: everything `go test -short` covers, less
# RACE_EXCLUDE (each exclusion with its reason here).
RACE_EXCLUDE :=
RACE_TIMEOUT ?= 20m

.PHONY: test-race fuzz govulncheck tools-govulncheck

test-race:
	go test -race -short -shuffle=on -count=1 -timeout $(RACE_TIMEOUT) \
	  $$(go list ./... | grep -vxF -e '' $(addprefix -e ,$(RACE_EXCLUDE)))

# Every FuzzXxx target in the module for FUZZTIME each (scripts/fuzz.sh discovers them).
fuzz:
	FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh

tools-govulncheck: bin/govulncheck-$(GOVULNCHECK_VERSION)
	@ln -sfn govulncheck-$(GOVULNCHECK_VERSION) bin/govulncheck

bin/govulncheck-$(GOVULNCHECK_VERSION):
	GOBIN=$(CURDIR)/.cache/gobin go install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)
	@mkdir -p bin && mv .cache/gobin/govulncheck $@

# Fails on a vulnerability our code calls, unless scripts/govulncheck-allow.txt tolerates it with
# a reason; skipped with a notice where the vulnerability database is unreachable (see the script).
govulncheck: tools-govulncheck
	bash scripts/govulncheck.sh
