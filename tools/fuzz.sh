#!/usr/bin/env bash
# fuzz.sh — builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan, and runs them.
#   tools/fuzz.sh                 every target for 20 s
#   tools/fuzz.sh all 600         every target for 600 s
#   tools/fuzz.sh sse_parser 60   one target (fuzz_ prefix optional) for 60 s
# Each run starts from the seed corpus in tests/fuzz/corpus/<target>/ and writes what it finds
# to a scratch directory, never into the repository. The exit status is non-zero when any
# target found a crash, a leak, a timeout or a sanitizer report; its reproducer is then in the
# scratch directory's artifacts/<target>/ (run: build-fuzz/tests/fuzz/<target> <file>).
# Environment:
#   FUZZ_WORK_DIR   scratch directory (default: a new one under /tmp); reuse it to keep the
#                   grown corpus between runs
#   FUZZ_BUILD_DIR  build directory (default: build-fuzz)
#   FUZZ_JOBS       targets run at once (default: the number of CPUs)
#   FUZZ_NICE       niceness of the fuzzing processes (default: 0)
#   FUZZ_ARGS       extra libFuzzer flags, e.g. "-max_len=8192"
# docs/fuzzing.md explains the targets and how to add one.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-all}
seconds=${2:-20}
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc)}
niceness=${FUZZ_NICE:-0}

# The library's dependencies, and clang with its compiler-rt (libFuzzer, the sanitizer
# runtimes), each only when missing.
tools/deps.sh clang libclang-rt-14-dev

mapfile -t all_targets < <(sed -n 's/^ *\(fuzz_[a-z0-9_]*\))\{0,1\}$/\1/p' tests/fuzz/CMakeLists.txt)
if [ "$target" = all ]; then
  targets=("${all_targets[@]}")
else
  [[ $target == fuzz_* ]] || target=fuzz_$target
  if [[ " ${all_targets[*]} " != *" $target "* ]]; then
    echo "fuzz: unknown target $target; one of: all ${all_targets[*]}" >&2
    exit 2
  fi
  targets=("$target")
fi

# A build directory of its own: the whole library is instrumented for libFuzzer here.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSWITCH_BUILD_FUZZERS=ON -DSWITCH_WERROR=ON \
  -DSWITCH_BUILD_TESTS=OFF -DSWITCH_BUILD_TOOLS=OFF -DSWITCH_BUILD_EXAMPLES=OFF -DSWITCH_INSTALL=OFF >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}"

work=${FUZZ_WORK_DIR:-$(mktemp -d /tmp/libswitch-fuzz.XXXXXX)}
mkdir -p "$work"
echo "fuzz: scratch directory $work"

# The Google target needs real RSA keys to reach the signer. No private key lives in the
# repository, so throwaway ones are made here, into the scratch corpus (as the unit tests do).
if [[ " ${targets[*]} " == *" fuzz_google_credentials "* ]]; then
  keys=$work/corpus/fuzz_google_credentials
  mkdir -p "$keys"
  if [ ! -e "$keys/rsa_key.pem" ] && command -v openssl >/dev/null; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$work/rsa.pem" 2>/dev/null
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ec.pem" 2>/dev/null
    { printf '\001'; cat "$work/rsa.pem"; } >"$keys/rsa_key.pem"
    { printf '\001'; cat "$work/ec.pem"; } >"$keys/ec_key.pem"
    python3 - "$work/rsa.pem" >"$keys/service_account.json" <<'EOF'
import json, sys
key = open(sys.argv[1]).read()
sys.stdout.write("\0" + json.dumps({"type": "service_account", "project_id": "fuzz", "private_key_id": "k1",
    "private_key": key, "client_email": "fuzz@fuzz.iam.gserviceaccount.com",
    "token_uri": "https://oauth2.googleapis.com/token"}))
EOF
    rm -f "$work/rsa.pem" "$work/ec.pem"
  fi
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run_target() {  # run_target NAME: fuzzes one target; its summary goes to $work/NAME.result
  local name=$1 log=$work/$name.log
  mkdir -p "$work/corpus/$name" "$work/artifacts/$name"
  local TIMEFORMAT='%R %U %S' times status=0
  # shellcheck disable=SC2086
  times=$( { time nice -n "$niceness" "$build_dir/tests/fuzz/$name" -max_total_time="$seconds" -timeout=10 \
               -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$work/artifacts/$name/" ${FUZZ_ARGS:-} \
               "$work/corpus/$name" "tests/fuzz/corpus/$name" >"$log" 2>&1; } 2>&1 ) || status=$?
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  read -r real user sys <<<"$times"
  echo "$status ${execs:-0} $real $user $sys" >"$work/$name.result"
}

for name in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  echo "fuzz: $name for ${seconds}s"
  run_target "$name" &
done
wait

failed=0
printf '%-26s %12s %9s %9s  %s\n' target executions wall_s cpu_s result
for name in "${targets[@]}"; do
  read -r status execs real user sys <"$work/$name.result"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  result=ok
  if [ "$status" -ne 0 ]; then
    result="FINDING (exit $status): $(ls "$work/artifacts/$name" | head -3 | tr '\n' ' ')"
    failed=1
  fi
  printf '%-26s %12s %9s %9s  %s\n' "$name" "$execs" "$real" "$cpu" "$result"
done
if ((failed)); then
  for name in "${targets[@]}"; do
    read -r status _ <"$work/$name.result"
    if [ "$status" -ne 0 ]; then
      echo "---- $name ($work/$name.log)"
      grep -E -A30 'ERROR: |runtime error|SUMMARY|Test unit written' "$work/$name.log" | head -60
    fi
  done
  echo "fuzz: findings; reproduce with $build_dir/tests/fuzz/<target> <artifact>" >&2
  exit 1
fi
