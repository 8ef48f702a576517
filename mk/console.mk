# dec2 console (console/, served by `dec2 console`). `make tools` installs Chromium for its
# browser test; `make console-vendor` re-vendors the chart library (uPlot) from npm; `make
# console-image` builds the FROM-scratch image jobspecs/console.nomad.hcl runs.
TOOLS += tools-chromium

.PHONY: tools-chromium console-vendor console-image

tools-chromium:
	@bash scripts/ensure-chromium.sh

console-vendor:
	@bash scripts/vendor-uplot.sh

console-image:
	@mkdir -p .cache/console-image
	CGO_ENABLED=0 go build -trimpath -o .cache/console-image/dec2-console ./console/cmd/dec2-console
	printf 'FROM scratch\nCOPY dec2-console /dec2-console\nENTRYPOINT ["/dec2-console"]\n' > .cache/console-image/Dockerfile
	docker build -q -t dec2-console:latest .cache/console-image
