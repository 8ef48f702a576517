# dec2-billing, the billing sidecar (billing-sidecar/).
BENCH_PKGS += ./billing-sidecar/ledger

.PHONY: billing

billing:
	@mkdir -p bin
	CGO_ENABLED=0 go build -trimpath -o bin/dec2-billing ./billing-sidecar/cmd/dec2-billing
