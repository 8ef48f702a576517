#!/usr/bin/env bash
# Makes sure Debian's PostgreSQL server binaries are installed (/usr/lib/postgresql/*/bin): the
# storage metadata store's tests (storage/meta/sqlstore) start their own throwaway cluster with
# initdb and pg_ctl on a free loopback port, so no server is started or configured here.
# Without them those tests skip, except in CI (CI=true), where they fail.
set -euo pipefail

if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  echo "postgres: $(ls -d /usr/lib/postgresql/*/bin | tail -n 1) present"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "postgres: not installed; as root run: apt-get install postgresql (the PostgreSQL store tests skip until then)" >&2
  exit 0
fi
echo "postgres: installing Debian's postgresql"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The package's own cluster is of no use to the tests; policy-rc.d keeps apt from starting it.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
apt-get install -y -qq --no-install-recommends postgresql >/dev/null
echo "postgres: $(ls -d /usr/lib/postgresql/*/bin | tail -n 1) installed"
