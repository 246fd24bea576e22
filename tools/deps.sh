#!/usr/bin/env bash
# deps.sh — installs what libswitch builds and tests with, only what is missing (idempotent).
#   tools/deps.sh [PACKAGE...]   also the Debian packages named (e.g. tools/fuzz.sh's clang)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config python3 python3-venv python3-dev
  libcurl4-openssl-dev libsimdjson-dev libyaml-cpp-dev libfmt-dev catch2 libre2-dev libssl-dev
  libbenchmark-dev libevent-dev zlib1g-dev libsqlite3-dev libpq-dev postgresql
  libhiredis-dev redis-server
  "$@"
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# pytest drives the command-line and guide tests; it comes from PyPI for whichever python3 is first
# on PATH, so that it matches the interpreter CMake finds.
if ! python3 -m pytest --version >/dev/null 2>&1; then
  echo "deps: installing pytest"
  python3 -m pip install --quiet pytest
fi
