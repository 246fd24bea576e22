#!/usr/bin/env bash
# demo.sh — the main job: builds libswitch and switchctl, then validates the example config.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target switchctl
build/tools/switchctl validate examples/definitions.json
