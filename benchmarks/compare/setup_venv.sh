#!/usr/bin/env bash
# setup_venv.sh — the benchmark's Python environment, BUILD/bench-venv: LiteLLM (a contender) and
# matplotlib (the plot), pinned by requirements.txt and constraints.txt, then LiteLLM's proxy (the
# gateway benchmark's contender) from requirements-proxy.txt with the same constraints. Idempotent:
# it does nothing when the venv already holds these pins. Never fails the caller: it records the
# outcomes in BUILD/bench-status/litellm and BUILD/bench-status/litellm-proxy ("ok VERSION" or
# "not installed: REASON") and prints them. The proxy is a second step, so that a proxy that cannot
# be installed leaves LiteLLM's library (compare/) installed.
# Usage: benchmarks/compare/setup_venv.sh BUILD_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
venv=$build/bench-venv
log=$build/bench-venv.log
status=$build/bench-status/litellm
mkdir -p "$build/bench-status"

pins=$(cat "$here/requirements.txt" "$here/constraints.txt" | sha256sum | cut -c1-16)
proxy_pins=$(cat "$here/requirements-proxy.txt" "$here/constraints.txt" | sha256sum | cut -c1-16)
proxy_status=$build/bench-status/litellm-proxy
fail() {
  echo "not installed: $1 (log: $log)" | tee "$status"
  echo "not installed: LiteLLM is not installed" >"$proxy_status"
  exit 0
}
litellm_version() { "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("litellm"))'; }

# The proxy's extra, into a venv that holds the base pins.
install_proxy() {
  if [ "$(cat "$venv/.proxy-pins" 2>/dev/null)" = "$proxy_pins" ] && [ -x "$venv/bin/litellm" ]; then
    echo "ok $(litellm_version)" >"$proxy_status"
    return
  fi
  echo "bench-venv: installing LiteLLM's proxy into $venv"
  rm -f "$venv/.proxy-pins"
  if ! timeout 900 "$venv/bin/pip" install --disable-pip-version-check --timeout 60 \
      -r "$here/requirements-proxy.txt" -c "$here/constraints.txt" >>"$log" 2>&1; then
    echo "not installed: pip install of litellm[proxy] failed: $(grep -m 1 ERROR "$log" || tail -n 1 "$log")" \
      "(log: $log)" | tee "$proxy_status"
    return
  fi
  # The proxy's server imports what the extra brings (fastapi, uvicorn, ...): import it once.
  if ! LITELLM_LOCAL_MODEL_COST_MAP=True "$venv/bin/python" -c 'import litellm.proxy.proxy_server' >>"$log" 2>&1; then
    echo "not installed: litellm.proxy.proxy_server does not import (log: $log)" | tee "$proxy_status"
    return
  fi
  echo "ok $(litellm_version)" >"$proxy_status"
  echo "$proxy_pins" >"$venv/.proxy-pins"
  echo "bench-venv: LiteLLM proxy $(litellm_version)"
}

if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.pins" 2>/dev/null)" = "$pins" ]; then
  echo "ok $(litellm_version)" >"$status"
  echo "bench-venv: up to date"
  install_proxy
  exit 0
fi
echo "bench-venv: installing LiteLLM and matplotlib into $venv"
rm -f "$venv/.pins" "$venv/.proxy-pins"
python3 -m venv "$venv" >"$log" 2>&1 || fail "python3 -m venv failed: $(tail -n 1 "$log")"
timeout 900 "$venv/bin/pip" install --disable-pip-version-check --timeout 60 \
    -r "$here/requirements.txt" -c "$here/constraints.txt" >>"$log" 2>&1 ||
  fail "pip install failed: $(grep -m 1 ERROR "$log" || tail -n 1 "$log")"
version=$(litellm_version) ||
  fail "litellm does not import"
echo "ok $version" >"$status"
echo "$pins" >"$venv/.pins"
echo "bench-venv: LiteLLM $version"
install_proxy
