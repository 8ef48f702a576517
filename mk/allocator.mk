# Allocator (issue 4): allocator/pack, its Nomad baseline and the dec2-allocator CLI.
# `make allocator-bench` runs the packing benchmarks (ours vs Nomad's scheduler vs the lower
# bound) and summarises them with benchstat; BENCHMARKS.md records its output.
BENCHSTAT_VERSION := v0.0.0-20260908200009-22c9c6c9d4da
TOOLS += tools-benchstat
BENCH_PKGS += ./allocator/pack ./allocator/pack/nomadbase

.PHONY: tools-benchstat allocator allocator-bench

tools-benchstat: bin/benchstat-$(BENCHSTAT_VERSION)
	@ln -sfn benchstat-$(BENCHSTAT_VERSION) bin/benchstat

bin/benchstat-$(BENCHSTAT_VERSION):
	GOBIN=$(CURDIR)/.cache/gobin go install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION)
	@mkdir -p bin && mv .cache/gobin/benchstat $@

allocator:
	go build -o bin/ ./allocator/cmd/dec2-allocator

# Nomad's scheduler needs about 4 minutes a run at 5,000 nodes, so the comparison stops at
# 1,000 unless DEC2_BENCH_NOMAD_LARGE=1.
allocator-bench: tools-benchstat
	@mkdir -p .cache
	go test -run '^$$' -bench . -benchmem -count 6 -timeout 60m ./allocator/pack ./allocator/pack/nomadbase | tee .cache/allocator-bench.txt
	bin/benchstat -col /algo .cache/allocator-bench.txt
