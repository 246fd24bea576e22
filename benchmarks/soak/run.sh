#!/usr/bin/env bash
# run.sh — the soak benchmark: 100,000 requests through sw::Router over the loopback mock, with
# every fault kind the mock scripts injected into 20% of the primary pools' attempts and one
# provider down for the whole run (benchmarks/README.md, "Soak").
#   benchmarks/soak/run.sh [--build DIR] [--out DIR] [--quick] [bench_soak options...]
# Builds bench_soak in DIR (default build/, configured like tools/test.sh when it is not yet),
# writes DIR/soak/soak.json and soak.md (or into --out, e.g. benchmarks/results), and exits with
# bench_soak's status: non-zero when a request was lost, hung, truncated, corrupted or completed
# twice, or RSS grew by more than the bound. --quick: 10,000 requests after 2,000 of warm-up.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build
out=
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --quick) extra+=(--requests 10000 --warmup 2000); shift ;;
    *) extra+=("$1"); shift ;;
  esac
done
out=${out:-$build/soak}
mkdir -p "$out"

if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DSWITCH_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCH_BUILD_BENCHMARKS=ON >/dev/null
fi
cmake --build "$build" --target bench_soak -j "$(nproc)"

# Every stream and connection of a window of a few hundred requests is a descriptor.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "soak: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
"$build/benchmarks/bench_soak" --json "$out/soak.json" --md "$out/soak.md" "${extra[@]}" || status=$?
echo "soak: wrote $out/soak.json and $out/soak.md (exit status $status)"
exit "$status"
