#!/usr/bin/env bash
# Makes PostgreSQL server binaries (initdb, pg_ctl, postgres) available for the warehouse-load test and
# prints their directory. Idempotent: installs the Debian package `postgresql` only when no
# /usr/lib/postgresql/*/bin/initdb exists. The package's default cluster is never started: the test runs
# its own throwaway cluster on loopback (integration_tests/warehouse/postgres.ts).
set -euo pipefail

find_bin_dir() {
  local dir
  # Newest major version first.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if bin_dir=$(find_bin_dir); then
  echo "$bin_dir"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "PostgreSQL server binaries are missing and this user cannot install them (not root, no sudo):" >&2
  echo "install the Debian package 'postgresql' and run this script again." >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL server binaries are missing and apt-get is not available: install PostgreSQL" >&2
  echo "server binaries under /usr/lib/postgresql/<version>/bin and run this script again." >&2
  exit 1
fi

echo "Installing PostgreSQL (Debian package 'postgresql') for the warehouse-load test" >&2
# policy-rc.d answering 101 keeps the package scripts from starting the default cluster's service
# (on machines with or without systemd); it is removed again afterwards unless it was there before.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 755 "$policy"
  own_policy=1
fi
cleanup() { if [ "$own_policy" = 1 ]; then "${as_root[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold postgresql >&2

if ! bin_dir=$(find_bin_dir); then
  echo "Installed the package 'postgresql' but found no server binaries under /usr/lib/postgresql/*/bin" >&2
  exit 1
fi
echo "$bin_dir"
