#!/usr/bin/env bash
# run.sh — the gateway load benchmark (issue 17): wrk sends one non-streaming chat completion at 1,
# 64 and 256 connections to the loopback mock directly (the floor), to switch-server, to Portkey's
# gateway, to LiteLLM's proxy and to TensorZero's gateway, each routing to that mock. The method is
# in benchmarks/README.md ("The gateway benchmark").
#
#   benchmarks/gateway/run.sh [--quick] [--build DIR] [--out DIR] [--levels 1,64,256] [--note TEXT]
#
#   (default)  the full run, by hand: about 7 minutes; writes benchmarks/results/gateway.{md,jsonl,png}
#              from the Release tree build-bench/
#   --quick    1 and 64 connections, 2 s each, results into BUILD/bench-results/: what CI runs
#   --build    the CMake tree to build switch-server and the mock in (kept as configured when it
#              exists; a new one is Release)
#   --note     a line for the report's header, e.g. "taken on a loaded machine"
#
# wrk comes from Debian (installed when missing); Portkey, LiteLLM's proxy and TensorZero are
# installed pinned, once, under the build tree (compare/setup_node.sh, compare/setup_venv.sh,
# setup_tensorzero.sh). One that cannot be installed is reported "not installed: REASON" and
# skipped. The exit status is non-zero on a harness error (a contender that is installed but cannot
# run, a failed request), never because of a number.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
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
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
build=${build:-$src/build-bench}
if [ -z "$out" ]; then
  if [ $quick = 1 ]; then out=$build/bench-results; else out=$src/benchmarks/results; fi
fi

# The load generator, wrk, from Debian: deps.sh installs it (and the build's packages) when missing.
"$src/tools/deps.sh" wrk

if [ -f "$build/CMakeCache.txt" ]; then
  cmake -S "$src" -B "$build" -DSWITCH_BUILD_TOOLS=ON >/dev/null
else
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCH_BUILD_BENCHMARKS=ON \
        -DSWITCH_BUILD_TOOLS=ON -DSWITCH_BUILD_TESTS=OFF -DSWITCH_BUILD_EXAMPLES=OFF >/dev/null
fi
cmake --build "$build" -j2 --target switch-server switch-mock-provider

"$src/benchmarks/compare/setup_node.sh" "$build"
"$src/benchmarks/compare/setup_venv.sh" "$build"
"$here/setup_tensorzero.sh" "$build"
python=$build/bench-venv/bin/python
[ -x "$python" ] || python=python3  # the harness needs only the standard library; the plot, matplotlib

# 256 connections to a gateway and as many from it to the mock, in each process.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# The harness ends its own children (the mock, each gateway, wrk) on SIGTERM or SIGINT; the mock,
# Portkey's gateway and TensorZero's also exit when the harness's pipes to them close.
"$python" "$here/gateway.py" --build "$build" --out "$out" "${args[@]}" &
harness=$!
trap 'kill -TERM "$harness" 2>/dev/null; wait "$harness" 2>/dev/null; exit 143' TERM
trap 'kill -INT "$harness" 2>/dev/null; wait "$harness" 2>/dev/null; exit 130' INT
status=0
wait "$harness" || status=$?
trap - TERM INT
"$python" "$here/report.py" "$out"
exit "$status"
