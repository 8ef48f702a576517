# dec2 console (console/, served by `dec2 console`). `make tools` installs Chromium for its
# browser test; `make console-vendor` re-vendors the chart library (uPlot) from npm.
TOOLS += tools-chromium

.PHONY: tools-chromium console-vendor

tools-chromium:
	@bash scripts/ensure-chromium.sh

console-vendor:
	@bash scripts/vendor-uplot.sh
