#!/usr/bin/env bash
# run_ffi_example.sh go|node MOCK_BINARY LIB_DIR INCLUDE_DIR WORK_DIR — builds one FFI example,
# starts the loopback mock, writes a config whose primary pool is down, routes one request
# through the example and checks that it names the fallback provider that served it.
# Exits 77 (ctest's skip code) only when the language's toolchain is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = "--with-mock" ]; then
  shift
  lang=$1 lib_dir=$2 include_dir=$3 work=$4 program=("${@:5}")
  config="$work/ffi-config.json"
  cat > "$config" <<JSON
{
  "pools": [
    {"id": "primary", "fallbackPoolIds": ["backup"],
     "providers": [{"name": "ffi-primary", "provider": "custom", "apiBase": "$MOCK_BASE/v1",
                    "modelName": "ffi-down@status=503", "maxRetries": 0}]},
    {"id": "backup",
     "providers": [{"name": "ffi-backup", "provider": "custom", "apiBase": "$MOCK_BASE/v1",
                    "modelName": "ffi-ok"}]}
  ],
  "models": {"chat": {"primaryPoolId": "primary"}}
}
JSON
  out=$(LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "${program[@]}" "$config")
  echo "$out"
  expected="served by ffi-backup (pool backup, fallback): Hello from the mock (ffi-ok)."
  if [ "$out" != "$expected" ]; then
    echo "run_ffi_example ($lang): expected \"$expected\"" >&2
    exit 1
  fi
  exit 0
fi

lang=$1 mock=$2
mkdir -p "$5"
# Absolute, since the builds below run in the examples' own folders.
lib_dir=$(cd "$3" && pwd) include_dir=$(cd "$4" && pwd) work=$(cd "$5" && pwd)
case "$lang" in
  go)
    command -v go >/dev/null || { echo "go not found: skipped"; exit 77; }
    # No module is fetched and no toolchain downloaded: the example uses the standard library only.
    [ -n "${HOME:-}${XDG_CACHE_HOME:-}${GOCACHE:-}" ] || export GOCACHE="$work/go-cache"
    (cd "$here/../go" &&
       GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-buildvcs=false CGO_ENABLED=1 \
       CGO_CFLAGS="-I$include_dir" CGO_LDFLAGS="-L$lib_dir" go build -o "$work/ffi-go" .)
    program=("$work/ffi-go")
    ;;
  node)
    command -v node >/dev/null && command -v npm >/dev/null || { echo "node or npm not found: skipped"; exit 77; }
    # node_modules lives in the build tree, installed again only when the lock file changes.
    node_dir="$work/node"
    mkdir -p "$node_dir"
    stamp="$node_dir/node_modules/.switch-lock-sha256"
    want=$(sha256sum "$here/../node/package-lock.json" | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
      cp "$here/../node/package.json" "$here/../node/package-lock.json" "$node_dir/"
      (cd "$node_dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
      echo "$want" > "$stamp"
    fi
    export NODE_PATH="$node_dir/node_modules" SWITCH_LIBRARY="$lib_dir/libswitch.so"
    program=(node "$here/../node/main.js")
    ;;
  *)
    echo "usage: run_ffi_example.sh go|node MOCK_BINARY LIB_DIR INCLUDE_DIR WORK_DIR" >&2
    exit 2
    ;;
esac
exec "$here/../with_mock.sh" "$mock" "$0" --with-mock "$lang" "$lib_dir" "$include_dir" "$work" "${program[@]}"
