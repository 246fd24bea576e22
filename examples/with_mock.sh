#!/usr/bin/env bash
# with_mock.sh MOCK_BINARY COMMAND... — runs COMMAND with the loopback mock provider up, and
# MOCK_BASE set to its address. The mock stops when COMMAND ends (it also exits on stdin EOF).
set -euo pipefail
mock=$1
shift
fifo=$(mktemp -u)
mkfifo "$fifo"
exec 3<> "$fifo"  # held open: the mock exits when this script's copy closes
rm -f "$fifo"
out=$(mktemp)
"$mock" --port 0 --exit-on-stdin-eof <&3 >"$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$out" && break
  sleep 0.05
done
MOCK_BASE=$(sed -n 's/^listening on //p' "$out")
[ -n "$MOCK_BASE" ] || { echo "with_mock: the mock provider did not start" >&2; exit 1; }
export MOCK_BASE
"$@"
