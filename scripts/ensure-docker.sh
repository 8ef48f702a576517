#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io and starts dockerd when none runs.
# A dockerd this script did not start is never touched.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
log="$root/.cache/dockerd.log"

if docker info >/dev/null 2>&1; then
  echo "docker: engine answers ($(docker info --format '{{.ServerVersion}}' 2>/dev/null))"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "docker: no engine runs and dockerd is not installed; as root run: apt-get install docker.io" >&2
    exit 1
  fi
  echo "docker: installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io iptables >/dev/null
fi

mkdir -p "$root/.cache"
echo "docker: starting dockerd (log: .cache/dockerd.log)"
# setsid: the engine outlives this make invocation, as a system daemon would.
setsid dockerd >"$log" 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "docker: engine answers ($(docker info --format '{{.ServerVersion}}'))"
    exit 0
  fi
  sleep 1
done
echo "docker: dockerd did not answer within 60s; last lines of .cache/dockerd.log:" >&2
tail -n 20 "$log" >&2
echo "docker: fix the cause above (often: no cgroup or iptables support), or start a Docker engine yourself, then rerun make tools" >&2
exit 1
