#!/usr/bin/env bash
# setup_venv.sh — the benchmark's Python environment, BUILD/bench-venv: LiteLLM (a contender) and
# matplotlib (the plot), pinned by requirements.txt and constraints.txt. Idempotent: it does nothing
# when the venv already holds these pins. Never fails the caller: it records the outcome in
# BUILD/bench-status/litellm ("ok VERSION" or "not installed: REASON") and prints it.
# Usage: benchmarks/compare/setup_venv.sh BUILD_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
venv=$build/bench-venv
log=$build/bench-venv.log
status=$build/bench-status/litellm
mkdir -p "$build/bench-status"

pins=$(cat "$here/requirements.txt" "$here/constraints.txt" | sha256sum | cut -c1-16)
fail() {
  echo "not installed: $1 (log: $log)" | tee "$status"
  exit 0
}
litellm_version() { "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("litellm"))'; }

if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.pins" 2>/dev/null)" = "$pins" ]; then
  echo "ok $(litellm_version)" >"$status"
  echo "bench-venv: up to date"
  exit 0
fi
echo "bench-venv: installing LiteLLM and matplotlib into $venv"
rm -f "$venv/.pins"
python3 -m venv "$venv" >"$log" 2>&1 || fail "python3 -m venv failed: $(tail -n 1 "$log")"
timeout 900 "$venv/bin/pip" install --disable-pip-version-check --timeout 60 \
    -r "$here/requirements.txt" -c "$here/constraints.txt" >>"$log" 2>&1 ||
  fail "pip install failed: $(grep -m 1 ERROR "$log" || tail -n 1 "$log")"
version=$(litellm_version) ||
  fail "litellm does not import"
echo "ok $version" >"$status"
echo "$pins" >"$venv/.pins"
echo "bench-venv: LiteLLM $version"
