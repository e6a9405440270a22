#!/usr/bin/env bash
# Builds the Dockerfile with buildah (no Docker engine needed) and smoke-tests the image: `spec`, then
# `check` and a small `read` against the simulator on loopback; every stdout line is validated against
# the Airbyte protocol schema. Base images cannot be pulled here, so a stand-in for the Dockerfile's
# base (Debian bookworm minbase + Node.js 24 + npm) is built once with debootstrap and imported.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/ensure-node.sh

BASE=docker.io/library/node:24-bookworm-slim
IMAGE=localhost/source-atlassian:smoke
export STORAGE_DRIVER=vfs
bah() { buildah --storage-driver vfs "$@"; }

if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null || ! command -v podman >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah debootstrap podman >/dev/null
fi

work=$(mktemp -d)
cleanup() {
  [ -n "${sim_pid:-}" ] && kill "$sim_pid" 2>/dev/null || true
  [ -n "${ctr:-}" ] && bah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! bah images --quiet "$BASE" >/dev/null 2>&1; then
  echo "container: building a stand-in for $BASE" >&2
  rootfs="$work/rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; exit 1; }
  cp "$(command -v node)" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules/npm" "$rootfs/usr/local/etc"
  npm_tgz=$(cd "$work" && npm pack "npm@$(npm --version)" --silent | tail -n 1)
  tar -xzf "$work/$npm_tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  # The CA bundle npm trusts on this machine (npm's cafile setting, else Node's extra CA certs).
  cafile=$(npm config get cafile 2>/dev/null || true)
  [ -f "$cafile" ] || cafile="${NODE_EXTRA_CA_CERTS:-}"
  if [ -n "$cafile" ] && [ -f "$cafile" ]; then
    cp "$cafile" "$rootfs/usr/local/etc/npm-ca.crt"
    echo "cafile=/usr/local/etc/npm-ca.crt" >"$rootfs/usr/local/etc/npmrc"
  fi
  chroot "$rootfs" useradd --create-home --uid 1000 --shell /bin/bash node
  tar -C "$rootfs" -c . | podman --storage-driver vfs import --change 'CMD ["node"]' - "$BASE" >/dev/null
fi

echo "container: building $IMAGE" >&2
bah bud --isolation chroot --layers=false -q -t "$IMAGE" . >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }

ctr=$(bah from --quiet "$IMAGE")
in_image() { bah run --isolation chroot --volume "$work/io:/io" "$ctr" -- /airbyte/integration_code/bin/source-atlassian "$@"; }
mkdir -p "$work/io"

in_image spec >"$work/spec.out"
node scripts/validate-protocol-output.mjs "$work/spec.out" --expect SPEC

# The simulator runs on the host's loopback; the image shares the host network under chroot isolation.
node dist/sim/cli.js --scale tiny --port 0 --config-only >"$work/io/config.json" 2>"$work/sim.out" &
sim_pid=$!
for _ in $(seq 1 100); do node -e 'JSON.parse(require("fs").readFileSync(process.argv[1]))' "$work/io/config.json" 2>/dev/null && break; sleep 0.2; done
[ -s "$work/io/config.json" ] || { cat "$work/sim.out"; exit 1; }

in_image check --config /io/config.json >"$work/check.out"
node scripts/validate-protocol-output.mjs "$work/check.out" --expect CONNECTION_STATUS --succeeded

in_image discover --config /io/config.json >"$work/discover.out"
node scripts/validate-protocol-output.mjs "$work/discover.out" --expect CATALOG --catalog-out "$work/io/catalog.json"

in_image read --config /io/config.json --catalog /io/catalog.json >"$work/read.out"
node scripts/validate-protocol-output.mjs "$work/read.out" --expect RECORD --expect STATE
echo "container: spec, check, discover and read OK" >&2
