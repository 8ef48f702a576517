#!/usr/bin/env bash
# Makes sure a Docker engine answers, configured the way a dec2 provider's is (docs/sandbox.md):
#   - gVisor's runsc registered as the runtime "runsc" (Debian's runsc package);
#   - no-new-privileges for every container (Nomad's docker plugin has no such knob);
#   - icc=false: containers on the default bridge reach each other only through published ports;
#   - a DOCKER-USER rule rejecting packets from containers to the cloud metadata address.
# On a fresh machine it installs Debian's docker.io and runsc, writes those keys into
# /etc/docker/daemon.json (merged with what is there) and starts dockerd. Where an engine already
# runs, it merges the same keys and sends SIGHUP, which reloads runtimes only: icc and
# no-new-privileges need a restart this script never does to an engine it did not start (it warns).
# The machine's engine keeps runc as its default runtime: other tests run on it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
log="$root/.cache/dockerd.log"
daemon_json=${DEC2_DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}
metadata=169.254.169.254/32

# The keys dec2 owns in daemon.json; jq's `*` merges them into what is there, keeping other runtimes.
dec2_keys='{"runtimes":{"runsc":{"path":"/usr/bin/runsc","runtimeArgs":["--network=host"]}},"no-new-privileges":true,"icc":false}'

is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${apt_updated:-}" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# merge_daemon_json writes dec2's keys into daemon.json; exit 0 when the file changed.
merge_daemon_json() {
  local current='{}' merged
  if [ -s "$daemon_json" ]; then
    current=$(cat "$daemon_json")
  fi
  if ! merged=$(jq -S --argjson d "$dec2_keys" '. * $d' <<<"$current"); then
    echo "docker: $daemon_json is not valid JSON; fix it, then rerun" >&2
    exit 1
  fi
  if [ -s "$daemon_json" ] && [ "$(jq -S . <<<"$current")" = "$merged" ]; then
    return 1
  fi
  mkdir -p "$(dirname "$daemon_json")"
  printf '%s\n' "$merged" >"$daemon_json.dec2-tmp"
  mv "$daemon_json.dec2-tmp" "$daemon_json"
  echo "docker: wrote $daemon_json (runsc runtime, no-new-privileges, icc=false)"
  return 0
}

# metadata_rule makes containers' packets to the metadata address fail fast (REJECT, not DROP).
metadata_rule() {
  if ! command -v iptables >/dev/null 2>&1; then
    echo "docker: WARNING: no iptables; containers are not kept from $metadata" >&2
    return
  fi
  if ! iptables -n -L DOCKER-USER >/dev/null 2>&1; then
    echo "docker: WARNING: no DOCKER-USER chain (dockerd without iptables?); containers are not kept from $metadata" >&2
    return
  fi
  if ! iptables -C DOCKER-USER -d "$metadata" -j REJECT --reject-with icmp-host-prohibited 2>/dev/null; then
    iptables -I DOCKER-USER -d "$metadata" -j REJECT --reject-with icmp-host-prohibited
    echo "docker: DOCKER-USER rejects containers' packets to $metadata"
  fi
}

# check_engine warns about what a running engine lacks (the escape suite checks the same).
check_engine() {
  local rt icc
  rt=$(docker info --format '{{range $k, $v := .Runtimes}}{{$k}} {{end}}' 2>/dev/null || true)
  case " $rt " in
    *" runsc "*) ;;
    *) echo "docker: WARNING: the engine has no runsc runtime (runtimes: $rt); gVisor tests will fail" >&2 ;;
  esac
  icc=$(docker network inspect bridge --format '{{index .Options "com.docker.network.bridge.enable_icc"}}' 2>/dev/null || true)
  if [ "$icc" != "false" ]; then
    echo "docker: WARNING: the running engine has icc enabled on its default bridge (it started before" >&2
    echo "docker:   $daemon_json set \"icc\": false, which only a dockerd restart applies). Containers of" >&2
    echo "docker:   different tenants can reach each other's bridge IPs; the cross-tenant escape test skips" >&2
    echo "docker:   unless CI is set. Restart dockerd when nothing else uses it to apply it." >&2
  fi
}

if is_root && ! command -v jq >/dev/null 2>&1; then
  apt_install jq
fi
if is_root && [ ! -x /usr/bin/runsc ]; then
  echo "docker: installing Debian's runsc (gVisor)"
  apt_install runsc || echo "docker: WARNING: could not install runsc; gVisor tests will fail" >&2
fi

if docker info >/dev/null 2>&1; then
  echo "docker: engine answers ($(docker info --format '{{.ServerVersion}}' 2>/dev/null))"
  if is_root && [ -w "$(dirname "$daemon_json")" ] && merge_daemon_json; then
    # SIGHUP reloads runtimes (not icc nor no-new-privileges, which wait for a restart).
    if pid=$(pidof dockerd); then
      kill -HUP $pid
      sleep 1
      echo "docker: sent SIGHUP to dockerd ($pid) to load the runsc runtime"
    fi
  fi
  if is_root; then
    metadata_rule
  fi
  check_engine
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if ! is_root; then
    echo "docker: no engine runs and dockerd is not installed; as root run: apt-get install docker.io runsc jq" >&2
    exit 1
  fi
  echo "docker: installing Debian's docker.io"
  apt_install docker.io iptables
fi

if is_root; then
  merge_daemon_json || true
else
  echo "docker: WARNING: not root; $daemon_json is left as it is (no runsc, icc, no-new-privileges)" >&2
fi

mkdir -p "$root/.cache"
echo "docker: starting dockerd (log: .cache/dockerd.log)"
# setsid: the engine outlives this make invocation, as a system daemon would.
setsid dockerd >"$log" 2>&1 </dev/null &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "docker: engine answers ($(docker info --format '{{.ServerVersion}}'))"
    if is_root; then
      metadata_rule
    fi
    check_engine
    exit 0
  fi
  sleep 1
done
echo "docker: dockerd did not answer within 60s; last lines of .cache/dockerd.log:" >&2
tail -n 20 "$log" >&2
echo "docker: fix the cause above (often: no cgroup or iptables support), or start a Docker engine yourself, then rerun make tools" >&2
exit 1
