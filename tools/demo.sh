#!/usr/bin/env bash
# demo.sh — the main job: builds libswitch, starts the loopback mock provider, and routes a handful
# of requests through examples/definitions.json, whose primary is down, so the fallback serves.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target switchctl switch-mock-provider routed_demo
build/tools/switchctl validate examples/definitions.json
examples/with_mock.sh build/tools/switch-mock-provider build/examples/routed_demo examples/definitions.json
echo
echo "One request with its trace, through switchctl:"
examples/with_mock.sh build/tools/switch-mock-provider \
  build/tools/switchctl chat -c examples/definitions.json -m chat --json "Say hello."
