#!/usr/bin/env python3
"""tz_gateway.py — TensorZero's Rust gateway, as the `tensorzero` wheel ships it, in this process.

    tz_gateway.py CONFIG.toml

The wheel starts its HTTP gateway inside the Python process (tensorzero._start_http_gateway) and
serves it from Rust threads, so this process is the gateway: gateway.py measures its /proc entry.
Prints "listening on BASE_URL" once the gateway answers, then holds it until stdin closes, so that
it cannot outlive the harness that started it.
"""
import sys

import tensorzero


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: tz_gateway.py CONFIG.toml")
    # No ClickHouse, Postgres or Valkey: observability is off (the config says so), so the gateway
    # stores nothing and every request is only routed.
    gateway = tensorzero._start_http_gateway(config_file=sys.argv[1], clickhouse_url=None, postgres_url=None,
                                             valkey_url=None, async_setup=False)
    print(f"listening on {gateway.base_url}", flush=True)
    sys.stdin.read()
    gateway.close()


if __name__ == "__main__":
    main()
