"""io_threads.py — libswitch's C++ API on 1 I/O thread against N, beside the raw-libcurl floor.

    python3 benchmarks/compare/io_threads.py --build DIR [--threads 1,2] [--levels 1,64,256] [--rounds 2]

One mock (as the harness starts it) serves every measurement. For each round and concurrency level
it runs, one after the other, the floor and bench_e2e's switch contender once per --threads value
(its --io-threads flag), the same load and counts as a full harness run: chat at each level, and the
slow upstream (answers after 20 ms) at 256, where the p99 the router adds is the question. It prints
throughput as a ratio to the floor measured beside it, p99 less the floor's, and CPU seconds per 1,000
requests (of the whole process, load generator included), as a Markdown table.
Nothing is written to benchmarks/results/.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "mock_provider"))
from mock_process import MockProcess  # noqa: E402

import workloads  # noqa: E402


def measure(bench, base, mode, workload, concurrency, io_threads=None):
    primary, fallback = workloads.MODELS[workload]
    requests = 100000 if concurrency > 1 else 10000  # as the harness's full run
    cmd = [bench, "--mode", mode, "--base", base, "--workload", workload, "--primary-model", primary,
           "--fallback-model", fallback, "--requests", str(requests), "--concurrency", str(concurrency),
           "--warmup", str(min(1000, max(concurrency, requests // 10))), "--seconds", "10"]
    if io_threads is not None:
        cmd += ["--io-threads", str(io_threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    line = json.loads(out.stdout.strip().splitlines()[-1])
    if line.get("failures"):
        raise RuntimeError(f"{cmd}: {line['failures']} failed requests")
    return line


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--levels", default="1,64,256")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    bench = os.path.join(os.path.abspath(args.build), "benchmarks", "bench_e2e")
    threads = [int(t) for t in args.threads.split(",")]
    loads = [("chat", int(c)) for c in args.levels.split(",")] + [("slow", 256)]
    mock = MockProcess(os.path.join(os.path.abspath(args.build), "tools", "switch-mock-provider"), "--threads", "2")
    rows = []
    try:
        print(f"load average at the start: {os.getloadavg()}", file=sys.stderr)
        for r in range(args.rounds):
            for workload, c in loads:
                floor = measure(bench, mock.base, "floor", workload, c)
                row = {"round": r + 1, "workload": workload, "c": c, "floor_rps": floor["rps"],
                       "floor_p99": floor["p99_us"], "floor_cpu": floor["cpu_s_per_1k"]}
                for t in threads:
                    m = measure(bench, mock.base, "switch", workload, c, t)
                    row[t] = (m["rps"] / floor["rps"], m["p99_us"] - floor["p99_us"], m["cpu_s_per_1k"])
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
        print(f"load average at the end: {os.getloadavg()}", file=sys.stderr)
    finally:
        mock.stop()
    head = " | ".join(f"io_threads={t}: × floor, added p99, CPU s/1k" for t in threads)
    print(f"| round | workload | c | floor req/s, CPU s/1k | {head} |")
    print("|---|---|---|---|" + "---|" * len(threads))
    for row in rows:
        cells = " | ".join(f"{row[t][0]:.3f}×, {row[t][1]:+,.0f} µs, {row[t][2]:.4f}" for t in threads)
        print(f"| {row['round']} | {row['workload']} | {row['c']} | {row['floor_rps']:,.0f}, {row['floor_cpu']:.4f} | "
              f"{cells} |")


if __name__ == "__main__":
    main()
