# Terraform/OpenTofu (issue 9): the dec2 provider (terraform/provider), its modules and examples.
# `make tools` builds OpenTofu from the Go module proxy into bin/tofu (cached by version); the
# tests in terraform/ apply the examples with it against a local region and dev chain.
TOOLS += tools-tofu
LINT += lint-terraform

.PHONY: tools-tofu terraform-provider lint-terraform

tools-tofu:
	@bash scripts/install-tofu.sh

terraform-provider:
	@mkdir -p bin
	CGO_ENABLED=0 go build -trimpath -o bin/terraform-provider-dec2 ./terraform/cmd/terraform-provider-dec2

# fmt -check over the whole tree; validate needs each module's providers, so it runs with a
# dev override pointing at a freshly built provider and `tofu init -backend=false`.
lint-terraform: tools-tofu
	env -u TF_CLI_CONFIG_FILE bin/tofu fmt -check -recursive -diff terraform
	@bash terraform/scripts/validate.sh
