#!/usr/bin/env bash
# test.sh — runs every test: a warnings-as-errors build, then the same tests under ASan and UBSan,
# again under ThreadSanitizer, then every fuzz target briefly.
#   tools/test.sh        everything (what CI runs), then the benchmarks' quick modes (compare, gateway)
#   tools/test.sh tsan   only the tests under ThreadSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh

jobs=$(nproc)
mode=${1:-all}

run_suite() {  # run_suite BUILD_DIR [CMAKE ARGS...]
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DSWITCH_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs"
}

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1

case "$mode" in
  all)
    run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCH_BUILD_BENCHMARKS=ON
    tools/test_python.sh build
    run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DSWITCH_SANITIZE=address,undefined
    run_suite build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCH_SANITIZE=thread
    # switch-server's tests again, the server and the mock under ThreadSanitizer: the router's
    # I/O threads hand every answer to the server's event loops. A report makes the server exit
    # non-zero, which fails the test that stopped it. (The venv is test_python.sh's.)
    SWITCH_SERVER=build-tsan/tools/switch-server SWITCH_MOCK_PROVIDER=build-tsan/tools/switch-mock-provider \
      build/python-venv/bin/python -m pytest -q -p no:cacheprovider tests/server
    # Every libFuzzer target for 20 s from its seed corpus (clang, ASan + UBSan); docs/fuzzing.md.
    tools/fuzz.sh all 20
    # The comparison harness, briefly, so that it never rots: it fails on a harness error, never
    # on a number. LiteLLM and Portkey come from PyPI and npm; if they cannot, it says so and goes on.
    benchmarks/compare/run.sh --quick --build build
    # The gateway benchmark the same way (about 2 minutes): wrk against the mock, switch-server,
    # Portkey, LiteLLM's proxy and TensorZero; wrk from Debian, TensorZero from PyPI, the others as above.
    benchmarks/gateway/run.sh --quick --build build
    ;;
  tsan)
    run_suite build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCH_SANITIZE=thread
    ;;
  *)
    echo "usage: tools/test.sh [all|tsan]" >&2
    exit 2
    ;;
esac
