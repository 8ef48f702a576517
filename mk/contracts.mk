# Contracts (issue 6): pinned solcjs + OpenZeppelin under .cache/, abigen under bin/.
# `make test` needs none of them: artifacts and bindings are committed, and a Go test fails with
# "run make contracts" when contracts/src changed without regenerating.
ABIGEN_VERSION := v1.17.10
CONTRACTS_NODE := $(CURDIR)/.cache/contracts-node
CONTRACTS_LOCK_STAMP := $(CONTRACTS_NODE)/.installed-$(shell sha256sum contracts/package-lock.json 2>/dev/null | cut -c1-16)
TOOLS += tools-solc

.PHONY: tools-solc contracts gas

tools-solc: $(CONTRACTS_LOCK_STAMP) bin/abigen-$(ABIGEN_VERSION)
	@ln -sfn abigen-$(ABIGEN_VERSION) bin/abigen

# Without npm only `make contracts` is impossible; tests use the committed artifacts.
$(CONTRACTS_LOCK_STAMP): contracts/package.json contracts/package-lock.json
	@if ! command -v npm >/dev/null; then echo "tools-solc: no npm on PATH; skipping solc (make contracts needs Node.js)"; exit 0; fi; \
	rm -rf $(CONTRACTS_NODE) && mkdir -p $(CONTRACTS_NODE) && \
	cp contracts/package.json contracts/package-lock.json $(CONTRACTS_NODE)/ && \
	(cd $(CONTRACTS_NODE) && npm ci --ignore-scripts --no-audit --no-fund) && touch $@

bin/abigen-$(ABIGEN_VERSION):
	GOBIN=$(CURDIR)/.cache/gobin go install github.com/ethereum/go-ethereum/cmd/abigen@$(ABIGEN_VERSION)
	@mkdir -p bin && mv .cache/gobin/abigen $@

contracts: tools-solc
	cd contracts && NODE_PATH=$(CONTRACTS_NODE)/node_modules node scripts/compile.js
	@set -e; for pair in Dec2Token:token TokenSale:sale StreamEscrow:escrow ProviderRegistry:registry; do \
	  name=$${pair%%:*}; pkg=$${pair##*:}; rm -rf contracts/bindings/$$pkg; mkdir -p contracts/bindings/$$pkg; \
	  bin/abigen --v2 --combined-json contracts/artifacts/$$name.combined.json --pkg $$pkg --out contracts/bindings/$$pkg/$$pkg.go; \
	done

# Measures gas on go-ethereum's simulated backend with mainnet (Osaka) storage pricing and
# rewrites the gas tables in BENCHMARKS.md and docs/contracts.md.
gas:
	DEC2_GAS_REPORT=$(CURDIR) go test -count=1 -run '^TestGasReport$$' ./contracts/chain
