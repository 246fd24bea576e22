#!/usr/bin/env bash
# setup_venv.sh — the benchmarks' Python environments, pinned by constraints.txt (the whole resolved
# set):
#   BUILD/bench-venv        LiteLLM (compare's contender) and matplotlib (the plots), requirements.txt
#   BUILD/bench-proxy-venv  LiteLLM's proxy (the gateway benchmark's contender), requirements-proxy.txt
# The proxy has a venv of its own because its extra's packages change the library's process: with
# them installed, `import litellm` alone took 174 MiB instead of 162, which compare would have
# charged to LiteLLM's Router. Idempotent: it does nothing when a venv already holds its pins.
# Never fails the caller: it records each outcome in BUILD/bench-status/litellm and
# BUILD/bench-status/litellm-proxy ("ok VERSION" or "not installed: REASON") and prints it.
# Usage: benchmarks/compare/setup_venv.sh BUILD_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
mkdir -p "$build/bench-status"

# install NAME VENV REQUIREMENTS STATUS CHECK: one venv, its outcome in STATUS. CHECK is Python that
# must run in it once installed.
install() {
  local name=$1 venv=$2 requirements=$3 status=$4 check=$5
  local log=$venv.log
  local pins
  pins=$(cat "$requirements" "$here/constraints.txt" | sha256sum | cut -c1-16)
  version() { "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("litellm"))'; }
  if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.pins" 2>/dev/null)" = "$pins" ]; then
    echo "ok $(version)" >"$status"
    echo "$(basename "$venv"): up to date"
    return
  fi
  echo "$(basename "$venv"): installing $name into $venv"
  rm -f "$venv/.pins"
  if ! python3 -m venv "$venv" >"$log" 2>&1; then
    echo "not installed: python3 -m venv failed: $(tail -n 1 "$log") (log: $log)" | tee "$status"
    return
  fi
  if ! timeout 900 "$venv/bin/pip" install --disable-pip-version-check --timeout 60 \
      -r "$requirements" -c "$here/constraints.txt" >>"$log" 2>&1; then
    echo "not installed: pip install failed: $(grep -m 1 ERROR "$log" || tail -n 1 "$log") (log: $log)" |
      tee "$status"
    return
  fi
  # The cost map from the package: nothing is fetched, here as in the benchmarks.
  if ! LITELLM_LOCAL_MODEL_COST_MAP=True "$venv/bin/python" -c "$check" >>"$log" 2>&1; then
    echo "not installed: $name does not import (log: $log)" | tee "$status"
    return
  fi
  echo "ok $(version)" >"$status"
  echo "$pins" >"$venv/.pins"
  echo "$(basename "$venv"): $name $(version)"
}

install "LiteLLM and matplotlib" "$build/bench-venv" "$here/requirements.txt" \
  "$build/bench-status/litellm" "import litellm, matplotlib"
# The proxy's server imports what the extra brings (fastapi, uvicorn, ...).
install "LiteLLM's proxy" "$build/bench-proxy-venv" "$here/requirements-proxy.txt" \
  "$build/bench-status/litellm-proxy" "import litellm.proxy.proxy_server"
exit 0
