#!/usr/bin/env bash
# test_python.sh [BUILD_DIR] — the Python package's tests: `pip install .` into a virtual
# environment under BUILD_DIR (made once and reused; the wheel's CMake tree is reused too, so a
# second run only rebuilds what changed), then pytest over the mock provider of BUILD_DIR; then
# switch-server's tests (tests/server) with the official OpenAI SDK.
#   tools/test_python.sh          uses build/ (tools/test.sh builds it first)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
venv=$build/python-venv
mock=$(realpath "$build/tools/switch-mock-provider" 2>/dev/null || true)
server=$(realpath "$build/tools/switch-server" 2>/dev/null || true)
if [ ! -x "$mock" ] || [ ! -x "$server" ]; then
  echo "test_python: no $build/tools/switch-mock-provider or switch-server; build the tools first" >&2
  exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
py=$venv/bin/python
pip=("$py" -m pip install --quiet --disable-pip-version-check)
# The build requirements of pyproject.toml live in the venv, and the build uses them there
# (--no-build-isolation): with a fresh isolated environment for each install, pybind11's include
# path would change every time and the module would always be recompiled.
mapfile -t requires < <("$py" -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")')
"$py" -c 'import pytest, scikit_build_core, pybind11' 2>/dev/null || "${pip[@]}" pytest "${requires[@]}"
# wordllama (with tokenizers): the file embedder's end-to-end test compares libswitch with it, and
# its wheel carries the model that test routes with.
"$py" -c 'import wordllama, tokenizers' 2>/dev/null || "${pip[@]}" wordllama
# openai: the official SDK is switch-server's compatibility test (tests/server).
"$py" -c 'import openai' 2>/dev/null || "${pip[@]}" openai
# prometheus_client's parser reads the metrics back, as a Prometheus server would (test_metrics.py).
"$py" -c 'import prometheus_client' 2>/dev/null || "${pip[@]}" prometheus_client
# opentelemetry-sdk's in-memory exporter checks the bridge to OpenTelemetry (test_tracing.py).
"$py" -c 'import opentelemetry.sdk' 2>/dev/null || "${pip[@]}" opentelemetry-sdk
# Two compile jobs: the machine is shared.
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
echo "test_python: pip install . (into $venv)"
"${pip[@]}" --no-build-isolation .

# `import libswitch` finds the installed package: the source folder bindings/python is not on
# sys.path. pytest's exit status is this script's: failures fail it, and so would finding no test.
SWITCH_MOCK_PROVIDER=$mock "$py" -m pytest -q -p no:cacheprovider bindings/python/tests
# A pytest run of its own: both folders have a conftest.py that tests import by name.
SWITCH_MOCK_PROVIDER=$mock SWITCH_SERVER=$server "$py" -m pytest -q -p no:cacheprovider tests/server
