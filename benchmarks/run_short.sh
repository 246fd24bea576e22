#!/bin/sh
# run_short.sh — builds and runs the routing and adapter microbenchmarks in their short (CI) form.
# Usage: benchmarks/run_short.sh [build-dir] [benchmark flags...]   (default dir: build-bench)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
dir="$src/build-bench"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  dir=$1
  shift
fi
cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCH_BUILD_BENCHMARKS=ON \
      -DSWITCH_BUILD_TOOLS=OFF -DSWITCH_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$dir" -j2 --target bench_routing bench_adapter
"$dir/benchmarks/bench_routing" --benchmark_min_time=0.01 "$@"
"$dir/benchmarks/bench_adapter" --benchmark_min_time=0.01 "$@"
