#!/usr/bin/env python3
"""py_contender.py — a Python router under asyncio load: LiteLLM's Router or libswitch's AsyncRouter.

    py_contender.py --contender litellm|switch-py --base URL --run WORKLOAD:CONCURRENCY [--run ...]
                    [--requests N] [--warmup N] [--seconds S]

Each run prints one JSON line with the fields of benchmarks/e2e/measure.hpp. `concurrency` tasks each
send their next request when the last one is answered; a run stops issuing after --seconds and gives
up on what is still in flight --drain seconds later. CPU is this process's (process_time) over the
measured phase; RSS is its peak (VmHWM), which includes the earlier runs of the same process.

Exit status: 0, 1 when a request failed, 3 (with "not installed: REASON") when the router cannot be
imported.
"""
import argparse
import asyncio
import json
import os
import sys
import time

import workloads

NOT_INSTALLED = 3


def peak_rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[int(p * (len(ordered) - 1))]


# ---- the contenders: each gives make(base, workload) -> (call, close), where
#      await call(stream, t0) -> (seconds to the first content chunk or None, served by the fallback)
#      await close() releases the router


async def read_stream(response, t0):
    """Reads an OpenAI-shaped chunk stream to its end; returns the seconds from t0 to the first
    content chunk. Both routers' chunks have the OpenAI SDK's shape."""
    ttft, chunks = None, 0
    async for chunk in response:
        if chunk.choices and chunk.choices[0].delta.content:
            chunks += 1
            if ttft is None:
                ttft = time.perf_counter() - t0
    if chunks != workloads.STREAM_CHUNKS:
        raise RuntimeError(f"{chunks} content chunks, expected {workloads.STREAM_CHUNKS}")
    return ttft


def litellm_contender():
    # Loopback only: the cost map ships in the package; never fetch it.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm  # noqa: F401  (ImportError: not installed)
    from litellm import Router

    litellm.suppress_debug_info = True

    def make(base, workload):
        config = workloads.load("litellm.json", base, workload)
        router = Router(model_list=config["model_list"], **config["router_settings"])
        fallback_model = workloads.MODELS[workload][1]

        async def call(stream, t0):
            if not stream:
                r = await router.acompletion(model="bench", messages=workloads.MESSAGES)
                if not r.choices[0].message.content:
                    raise RuntimeError("empty answer")
                return None, fallback_model in (r.model or "")
            response = await router.acompletion(model="bench", messages=workloads.MESSAGES, stream=True)
            return await read_stream(response, t0), False

        async def close():
            pass  # LiteLLM's Router has nothing to close

        return call, close

    return make


def switch_py_contender():
    import libswitch  # ImportError: not installed (the package is built from bindings/python)

    def make(base, workload):
        # libswitch expands ${BENCH_*} itself, from the environment: the very file the C++ run loads.
        os.environ.update(workloads.variables(base, workload))
        with open(os.path.join(workloads.CONFIGS, "libswitch.json")) as f:
            router = libswitch.AsyncRouter.from_string(f.read())

        async def call(stream, t0):
            if not stream:
                r = await router.chat.completions.create(model="bench", messages=workloads.MESSAGES)
                if not r.choices[0].message.content:
                    raise RuntimeError("empty answer")
                return None, bool(r.switch.used_fallback)
            response = await router.chat.completions.create(model="bench", messages=workloads.MESSAGES, stream=True)
            return await read_stream(response, t0), False

        async def close():
            done = router.close()
            if asyncio.iscoroutine(done):
                await done

        return call, close

    return make


CONTENDERS = {"litellm": litellm_contender, "switch-py": switch_py_contender}


# ---- the load ------------------------------------------------------------------------------------


async def phase(call, stream, count, concurrency, seconds, drain, record):
    """Runs `count` requests on `concurrency` chains; returns the measured phase's wall seconds."""
    state = {"sent": 0}
    start = time.monotonic()
    issue_until = start + seconds

    async def chain():
        while state["sent"] < count and time.monotonic() < issue_until:
            state["sent"] += 1
            t0 = time.perf_counter()
            try:
                ttft, used_fallback = await call(stream, t0)
            except Exception as e:  # a failed request is counted, and the first reason kept
                if record is not None:
                    record["failures"] += 1
                    record.setdefault("error", f"{type(e).__name__}: {e}"[:300])
                continue
            if record is not None:
                record["latencies"].append(time.perf_counter() - t0)
                if ttft is not None:
                    record["ttfts"].append(ttft)
                record["fallbacks"] += used_fallback

    tasks = [asyncio.ensure_future(chain()) for _ in range(concurrency)]
    _, pending = await asyncio.wait(tasks, timeout=seconds + drain)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
        if record is not None:
            record["failures"] += len(pending)  # at least one request each was still in flight
    return time.monotonic() - start


async def measure(make, name, base, workload, concurrency, args):
    call, close = make(base, workload)
    stream = workload == "stream"
    try:
        await phase(call, stream, args.warmup, concurrency, args.seconds, args.drain, None)
        record = {"latencies": [], "ttfts": [], "failures": 0, "fallbacks": 0}
        cpu0 = time.process_time()
        elapsed = await phase(call, stream, args.requests, concurrency, args.seconds, args.drain, record)
        cpu = time.process_time() - cpu0
    finally:
        await close()
    done = len(record["latencies"])
    us = [x * 1e6 for x in record["latencies"]]
    ttft = [x * 1e6 for x in record["ttfts"]]
    line = {
        "contender": name, "workload": workload, "concurrency": concurrency, "requests": done,
        "seconds": round(elapsed, 3), "rps": round(done / elapsed, 1) if elapsed > 0 else 0,
        "p50_us": round(percentile(us, 0.5), 1), "p99_us": round(percentile(us, 0.99), 1),
        "ttft_p50_us": round(percentile(ttft, 0.5), 1) if stream else None,
        "ttft_p99_us": round(percentile(ttft, 0.99), 1) if stream else None,
        "cpu_s_per_1k": round(cpu / done * 1000, 4) if done else 0,
        "rss_mib": round(peak_rss_mib(), 1), "failures": record["failures"],
    }
    if workload == "failover":
        line["fallbacks"] = record["fallbacks"]
    if "error" in record:
        line["error"] = record["error"]
    return line


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contender", required=True, choices=sorted(CONTENDERS))
    parser.add_argument("--base", required=True)
    parser.add_argument("--run", action="append", required=True, help="WORKLOAD:CONCURRENCY")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--drain", type=float, default=30)
    args = parser.parse_args()
    try:
        make = CONTENDERS[args.contender]()
    except ImportError as e:
        print(f"not installed: {e}", flush=True)
        return NOT_INSTALLED
    return asyncio.run(run_all(make, args))


async def run_all(make, args):
    # One event loop for every run: clients a router caches stay bound to a live loop.
    status = 0
    for item in args.run:
        workload, concurrency = item.split(":")
        line = await measure(make, args.contender, args.base, workload, int(concurrency), args)
        print(json.dumps(line), flush=True)
        status |= line["failures"] > 0
    return status


if __name__ == "__main__":
    sys.exit(main())
