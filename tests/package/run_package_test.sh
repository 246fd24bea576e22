#!/usr/bin/env bash
# run_package_test.sh BUILD_DIR — installs libswitch to a scratch prefix, then builds consumers
# with find_package (shared and static) and with pkg-config, and runs them.
set -euo pipefail
build_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cmake --install "$build_dir" --prefix "$scratch/prefix" > "$scratch/install.log"
test -f "$scratch/prefix/include/switch/switch.h"
test -f "$scratch/prefix/lib/cmake/switch/switchConfig.cmake"

cmake -S "$here/consumer" -B "$scratch/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" > "$scratch/configure.log"
cmake --build "$scratch/consumer" > "$scratch/build.log"
LD_LIBRARY_PATH="$scratch/prefix/lib" "$scratch/consumer/consumer_shared"
"$scratch/consumer/consumer_static"

export PKG_CONFIG_PATH="$scratch/prefix/lib/pkgconfig"
test "$(pkg-config --modversion switch)" = "$(grep -Po '(?<=SW_VERSION_STRING ")[^"]+' "$scratch/prefix/include/switch/switch.h")"
# shellcheck disable=SC2046 # pkg-config output is a word list by design
cc -std=c99 -Wall -Wextra -pedantic -Werror "$here/../header/header_test.c" -o "$scratch/c_consumer" \
   $(pkg-config --cflags --libs switch)
LD_LIBRARY_PATH="$scratch/prefix/lib" "$scratch/c_consumer"
echo "package test: ok"
