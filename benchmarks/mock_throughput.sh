#!/usr/bin/env bash
# mock_throughput.sh — measures switch-mock-provider's keep-alive throughput with wrk (manual; not in CI).
# Usage: benchmarks/mock_throughput.sh [build-dir] [seconds] [server-threads] [connections]
#        defaults: build 10 2 64. wrk itself runs one thread, so on a 2-core machine the server and
#        the load generator share the cores: the number is a floor, not the mock's ceiling.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$src/build}
seconds=${2:-10}
threads=${3:-2}
connections=${4:-64}

if ! command -v wrk >/dev/null 2>&1; then
  echo "mock_throughput: skipped: wrk is not installed (apt-get install wrk)"
  exit 0
fi
cmake --build "$dir" -j2 --target switch-mock-provider >/dev/null
bin=$dir/tools/switch-mock-provider

tmp=$(mktemp -d)
"$bin" --port 0 --threads "$threads" >"$tmp/out" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
  grep -q "^listening on" "$tmp/out" 2>/dev/null && break
  sleep 0.05
done
url=$(sed -n 's/^listening on //p' "$tmp/out")
[ -n "$url" ] || { echo "mock_throughput: the mock provider did not start" >&2; exit 1; }

# A small non-streaming chat request, the shape integration tests send most.
cat >"$tmp/post.lua" <<'LUA'
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
wrk.body = '{"model":"bench","messages":[{"role":"user","content":"hello"}]}'
LUA
echo "mock_throughput: $url, $threads server threads, $connections connections, ${seconds}s"
wrk -t1 -c"$connections" -d"${seconds}s" -s "$tmp/post.lua" "$url"
curl -s "$url/__stats" 2>/dev/null | head -c 200 && echo || true
