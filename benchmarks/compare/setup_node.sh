#!/usr/bin/env bash
# setup_node.sh — Portkey's open-source gateway, from portkey/package-lock.json with npm ci, in
# BUILD/bench-node. Idempotent: it does nothing when node_modules matches the lock. Never fails the
# caller: it records the outcome in BUILD/bench-status/portkey ("ok VERSION" or
# "not installed: REASON") and prints it.
# Usage: benchmarks/compare/setup_node.sh BUILD_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)/portkey
build=$(cd "$1" && pwd)
dir=$build/bench-node
log=$build/bench-node.log
status=$build/bench-status/portkey
mkdir -p "$build/bench-status" "$dir"

fail() {
  echo "not installed: $1" | tee "$status"
  exit 0
}
command -v node >/dev/null && command -v npm >/dev/null || fail "node and npm are not on PATH"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || fail "node $(node --version) is older than 18"

lock=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -c1-16)
gateway=$dir/node_modules/@portkey-ai/gateway
gateway_version() { node -p "require('$gateway/package.json').version"; }
if [ -f "$gateway/build/start-server.js" ] && [ "$(cat "$dir/.lock" 2>/dev/null)" = "$lock" ]; then
  echo "ok $(gateway_version)" >"$status"
  echo "bench-node: up to date"
  exit 0
fi
echo "bench-node: installing the Portkey gateway into $dir"
rm -f "$dir/.lock"
cp "$here/package.json" "$here/package-lock.json" "$dir/"
# No install scripts: the gateway's postinstall (patch-package) has nothing to patch in a dependency.
(cd "$dir" && timeout 600 npm ci --no-audit --no-fund --ignore-scripts) >"$log" 2>&1 ||
  fail "npm ci failed: $(grep -m 1 -i 'err' "$log" || tail -n 1 "$log") (log: $log)"
version=$(gateway_version) || fail "the gateway's package.json is unreadable"
echo "ok $version" >"$status"
echo "$lock" >"$dir/.lock"
echo "bench-node: Portkey gateway $version"
