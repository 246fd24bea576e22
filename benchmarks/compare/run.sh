#!/usr/bin/env bash
# run.sh — libswitch against the floor (raw libcurl multi) and other LLM routers (LiteLLM, Portkey's
# gateway), end to end, all on one loopback mock. The method is in benchmarks/README.md.
#
#   benchmarks/compare/run.sh [--quick] [--build DIR] [--out DIR] [--levels 1,64,256] [--note TEXT]
#
#   (default)  the full run, by hand: about 15 minutes, results into benchmarks/results/, from the
#              Release tree build-bench/
#   --quick    a few seconds per contender, results into BUILD/bench-results/: what CI runs
#   --build    the CMake tree to build bench_e2e, the mock and switchctl in (kept as configured
#              when it exists; a new one is Release)
#   --note     a line for the report's header, e.g. "taken on a loaded machine"
#
# LiteLLM and the Portkey gateway are installed pinned, once, under the build tree (bench-venv,
# bench-node); one that cannot be installed is reported "not installed: REASON" and skipped. The exit
# status is non-zero on a harness error (a contender that cannot run, a failed request), never
# because of a number.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
quick=0
build=""
out=""
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; args+=(--quick) ;;
    --build) build=$2; shift ;;
    --out) out=$2; shift ;;
    --levels | --note) args+=("$1" "$2"); shift ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
build=${build:-$src/build-bench}
if [ -z "$out" ]; then
  if [ $quick = 1 ]; then out=$build/bench-results; else out=$src/benchmarks/results; fi
fi

if [ -f "$build/CMakeCache.txt" ]; then
  cmake -S "$src" -B "$build" -DSWITCH_BUILD_BENCHMARKS=ON -DSWITCH_BUILD_TOOLS=ON >/dev/null
else
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCH_BUILD_BENCHMARKS=ON \
        -DSWITCH_BUILD_TOOLS=ON -DSWITCH_BUILD_TESTS=OFF -DSWITCH_BUILD_EXAMPLES=OFF >/dev/null
fi
cmake --build "$build" -j2 --target bench_e2e switch-mock-provider switchctl

"$src/benchmarks/compare/setup_venv.sh" "$build"
"$src/benchmarks/compare/setup_node.sh" "$build"
python=$build/bench-venv/bin/python
[ -x "$python" ] || python=python3  # the harness needs only the standard library

# Ten thousand open streams need as many descriptors, here and in the mock (the harness raises the
# soft limit too, and says so when the hard one is too low).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# The harness ends its own children (the mock, the gateway, each measurement) on SIGTERM or SIGINT;
# the mock and the gateway also exit when the harness's pipes to them close.
"$python" "$src/benchmarks/compare/harness.py" --build "$build" --out "$out" "${args[@]}" &
harness=$!
trap 'kill -TERM "$harness" 2>/dev/null; wait "$harness" 2>/dev/null; exit 143' TERM
trap 'kill -INT "$harness" 2>/dev/null; wait "$harness" 2>/dev/null; exit 130' INT
status=0
wait "$harness" || status=$?
trap - TERM INT
"$python" "$src/benchmarks/compare/report.py" "$out"
exit "$status"
