#!/usr/bin/env bash
# setup_tensorzero.sh — TensorZero's gateway for the gateway benchmark: the `tensorzero` wheel (its
# Rust gateway is inside), pinned by requirements.txt and constraints.txt, in BUILD/bench-tz-venv.
# A venv of its own, beside compare's bench-venv, so that its pins and LiteLLM's never have to agree.
# Idempotent: it does nothing when the venv already holds these pins. Never fails the caller: it
# records the outcome in BUILD/bench-status/tensorzero ("ok VERSION" or "not installed: REASON").
# Usage: benchmarks/gateway/setup_tensorzero.sh BUILD_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
venv=$build/bench-tz-venv
log=$build/bench-tz-venv.log
status=$build/bench-status/tensorzero
mkdir -p "$build/bench-status"

pins=$(cat "$here/requirements.txt" "$here/constraints.txt" | sha256sum | cut -c1-16)
fail() {
  echo "not installed: $1 (log: $log)" | tee "$status"
  exit 0
}
tz_version() { "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("tensorzero"))'; }

if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.pins" 2>/dev/null)" = "$pins" ]; then
  echo "ok $(tz_version)" >"$status"
  echo "bench-tz-venv: up to date"
  exit 0
fi
echo "bench-tz-venv: installing tensorzero into $venv"
rm -f "$venv/.pins"
python3 -m venv "$venv" >"$log" 2>&1 || fail "python3 -m venv failed: $(tail -n 1 "$log")"
timeout 900 "$venv/bin/pip" install --disable-pip-version-check --timeout 60 \
    -r "$here/requirements.txt" -c "$here/constraints.txt" >>"$log" 2>&1 ||
  fail "pip install failed: $(grep -m 1 ERROR "$log" || tail -n 1 "$log")"
# The gateway is the wheel's compiled module: the private entry point this benchmark calls must exist.
"$venv/bin/python" -c 'import tensorzero; tensorzero._start_http_gateway' >>"$log" 2>&1 ||
  fail "tensorzero._start_http_gateway does not import"
version=$(tz_version) || fail "tensorzero's metadata is unreadable"
echo "ok $version" >"$status"
echo "$pins" >"$venv/.pins"
echo "bench-tz-venv: tensorzero $version"
