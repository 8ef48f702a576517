# jobspecs: the batch jobs' e2e test runs their POSIX sh scripts in a FROM-scratch image with
# Debian's busybox-static (a static binary, unlike the busybox package's).
TOOLS += tools-busybox

.PHONY: tools-busybox

tools-busybox:
	@if ! dpkg -s busybox-static >/dev/null 2>&1; then \
	  if [ "$$(id -u)" != 0 ]; then echo "busybox: as root run: apt-get install busybox-static" >&2; exit 1; fi; \
	  echo "busybox: installing Debian's busybox-static"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null; }; \
	fi
