#!/usr/bin/env bash
# One command per job on a fresh machine: ./run.sh demo | test | bench | sim [args…]
# Ensures Node.js >= 22 (installs Node 24 LTS from the npm registry if needed) and dependencies.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/ensure-node.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
job="${1:-demo}"
shift || true
case "$job" in
  demo | bench | sim) exec npm run --silent "$job" -- "$@" ;;
  test)
    # The warehouse-load test runs a throwaway PostgreSQL: server binaries from the Debian package.
    PG_BIN_DIR="$(scripts/ensure-postgres.sh)"
    export PG_BIN_DIR
    echo "PostgreSQL server binaries: $PG_BIN_DIR" >&2
    exec npm test -- "$@" ;;
  *) echo "usage: ./run.sh demo|test|bench|sim [args…]" >&2; exit 2 ;;
esac
