# dec2, the consumer's and provider's CLI (cmd/dec2 over cli/).
# `make build` builds it with everything else; `make cli` builds only it, `make cli-fuzz` runs
# the price-file and size parsers' fuzzers for a while (their seeds run in every `go test`).
CLI_FUZZTIME ?= 30s

.PHONY: cli cli-fuzz

cli:
	@mkdir -p bin
	CGO_ENABLED=0 go build -trimpath -o bin/dec2 ./cmd/dec2

cli-fuzz:
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(CLI_FUZZTIME) ./cli/pricefile
	go test -run '^$$' -fuzz '^FuzzParseMiB$$' -fuzztime $(CLI_FUZZTIME) ./cli/size
