#!/usr/bin/env python3
"""harness.py — runs every contender against one loopback mock; writes results.jsonl and meta.json.

    harness.py --build DIR --out DIR [--quick] [--levels 1,64,256] [--note TEXT]

Contenders: curl (the floor: raw libcurl multi, bench_e2e), switch (libswitch's C++ API, bench_e2e),
switch-py (libswitch's Python package, asyncio), litellm (LiteLLM's Router, asyncio) and portkey
(Portkey's gateway under node, driven by bench_e2e's curl load over HTTP, its own process measured
through /proc). One that cannot run says "not installed: REASON" and the run goes on.

Exit status: 0; 1 when a measurement could not run or a request failed (a harness error, never a
slow number); 2 for a usage error. Standard library only, Python 3.11 or newer.
"""
import argparse
import json
import os
import platform
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time

import workloads

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "mock_provider"))
from mock_process import MockProcess  # noqa: E402

CONTENDERS = ["curl", "switch", "switch-py", "litellm", "portkey"]
RUNNING = set()  # child processes, ended by the signal handler

# Every child gets a process group of its own, so that a timeout or a signal ends it with whatever it
# started, but stays in this session. A new session (setsid) would also be a scheduler autogroup of
# its own (Linux's sched_autogroup), and the scheduler then shares the cores between the sessions,
# not between the threads: a contender with two busy threads (libswitch's Python thread and I/O
# thread) got about 15% less than in one session with the mock, as a benchmark run from a shell has it.
OWN_GROUP = {"process_group": 0}


class Plan:
    """How much of each workload a run does."""

    def __init__(self, quick, levels):
        self.quick = quick
        if quick:
            self.levels = {"chat": [1, 64], "stream": [64], "failover": [1], "slow": [64]}
            self.requests, self.warmup, self.seconds = 300, 30, 2.0
            self.streams, self.config_runs = 500, 1
        else:
            self.levels = {"chat": levels, "stream": levels, "failover": [1, 64], "slow": [256]}
            # Fast contenders run until N requests (seconds at 50,000 a second: shorter windows
            # spread by several percent from run to run), slow ones until the time bound.
            self.requests, self.warmup, self.seconds = 100000, 1000, 10.0
            self.streams, self.config_runs = 10000, 10
        self.drain = 30.0
        self.config_pools, self.config_providers = 1000, 10

    def requests_at(self, concurrency):
        # One request at a time is latency-bound: a tenth as many keeps the run short.
        return self.requests if concurrency > 1 or self.quick else self.requests // 10

    def warmup_at(self, concurrency):
        return min(self.warmup, max(concurrency, self.requests_at(concurrency) // 10))

    def pairs(self):
        return [(w, c) for w in workloads.LOADS for c in self.levels[w]]

    def as_dict(self):
        return {"quick": self.quick, "levels": self.levels, "requests": self.requests, "warmup": self.warmup,
                "seconds": self.seconds, "streams": self.streams, "config": [self.config_pools, self.config_providers]}


# ---- processes ----------------------------------------------------------------------------------


def run(cmd, timeout, env=None):
    """Runs cmd in its own process group; returns (status, stdout, stderr). Kills the group on timeout."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            **OWN_GROUP)
    RUNNING.add(proc)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return -1, out, err + f"\n(killed after {timeout:.0f} s)"
    finally:
        RUNNING.discard(proc)
    return proc.returncode, out, err


def on_signal(number, _frame):
    """SIGTERM or SIGINT: end the children, then unwind, so that every `finally` stops its server."""
    for proc in list(RUNNING):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    sys.exit(128 + number)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    """Portkey's gateway under node on a loopback port (portkey/loopback.cjs keeps it there)."""

    def __init__(self, node_dir, log_path):
        self.port = free_port()
        script = os.path.join(node_dir, "node_modules", "@portkey-ai", "gateway", "build", "start-server.js")
        self.log = open(log_path, "a")
        # preload.cjs: loopback only, and an exit when stdin (this pipe) closes.
        self.proc = subprocess.Popen(
            ["node", "--require", os.path.join(HERE, "portkey", "preload.cjs"), script, f"--port={self.port}",
             "--headless"], stdout=self.log, stderr=self.log, stdin=subprocess.PIPE,
            env=dict(os.environ, NODE_ENV="production"), **OWN_GROUP)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the Portkey gateway exited with status {self.proc.returncode} (log: {log_path})")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.close()
        raise RuntimeError(f"the Portkey gateway did not listen within 30 s (log: {log_path})")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/v1/chat/completions"

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


# ---- the harness --------------------------------------------------------------------------------


class Harness:
    def __init__(self, args):
        self.args = args
        self.plan = Plan(args.quick, [int(x) for x in args.levels.split(",")])
        self.bench = os.path.join(args.build, "benchmarks", "bench_e2e")
        self.switchctl = os.path.join(args.build, "tools", "switchctl")
        self.python = os.path.join(args.build, "bench-venv", "bin", "python")
        # The package as tools/test_python.sh installs it (`pip install .`, a Release build of its
        # own): in this build tree's venv, else in build/'s, where the tests put it.
        venvs = [os.path.join(d, "python-venv", "bin", "python") for d in (args.build, os.path.join(ROOT, "build"))]
        self.switch_python = next((v for v in venvs if os.path.exists(v)), venvs[0])
        self.node_dir = os.path.join(args.build, "bench-node")
        self.results, self.errors = [], []
        self.unavailable = {}
        os.makedirs(args.out, exist_ok=True)
        self.results_path = os.path.join(args.out, "results.jsonl")
        open(self.results_path, "w").close()

    # -- bookkeeping

    def record(self, line):
        self.results.append(line)
        with open(self.results_path, "a") as f:
            f.write(json.dumps(line) + "\n")
        if "skipped" in line:
            print(f"  {line['contender']:<9} {line['skipped']}", flush=True)
            return
        if line.get("workload") in workloads.LOADS:
            extra = f" ttft p50 {line['ttft_p50_us']:.0f} us" if line.get("ttft_p50_us") is not None else ""
            print(f"  {line['contender']:<9} {line['workload']:<8} c={line['concurrency']:<4} "
                  f"{line['rps']:>9.0f} req/s  p50 {line['p50_us']:>9.0f} us  p99 {line['p99_us']:>9.0f} us{extra}  "
                  f"cpu {line['cpu_s_per_1k']:.3f} s/1k  rss {line['rss_mib']:.0f} MiB"
                  + (f"  FAILURES {line['failures']}" if line.get("failures") else ""), flush=True)
        else:
            print(f"  {json.dumps(line)}", flush=True)
        if line.get("failures"):
            self.error(f"{line['contender']} {line.get('workload')} c={line.get('concurrency')}: "
                       f"{line['failures']} requests failed" + (f" ({line['error']})" if line.get("error") else ""))

    def error(self, message):
        print(f"  ERROR: {message}", flush=True)
        self.errors.append(message)

    def skip(self, contender, reason):
        if contender not in self.unavailable:
            self.unavailable[contender] = reason
            self.record({"contender": contender, "skipped": reason})

    def parse_lines(self, who, status, out, err):
        lines = []
        for text in out.splitlines():
            text = text.strip()
            if text.startswith("{"):
                lines.append(json.loads(text))
        if status not in (0, 1) or (status == 1 and not any(x.get("failures") for x in lines)):
            self.error(f"{who} exited with status {status}: {(err.strip() or out.strip())[-800:]}")
        return lines

    def timeout(self, runs):
        return runs * (2 * self.plan.seconds + self.plan.drain + 15) + 60

    # -- contenders

    def bench_args(self, workload, concurrency):
        primary, fallback = workloads.MODELS[workload]
        return ["--workload", workload, "--primary-model", primary, "--fallback-model", fallback,
                "--requests", str(self.plan.requests_at(concurrency)), "--concurrency", str(concurrency),
                "--warmup", str(self.plan.warmup_at(concurrency)), "--seconds", str(self.plan.seconds)]

    def run_cpp(self, who, pairs):
        mode = "floor" if who == "curl" else "switch"
        for workload, c in pairs:
            cmd = [self.bench, "--mode", mode, "--base", self.mock.base] + self.bench_args(workload, c)
            self.measured(who, workload, lambda: run(cmd, self.timeout(1)))

    def run_python(self, who, pairs):
        status = self.status_file("litellm") if who == "litellm" else None
        if status and not status.startswith("ok"):
            return self.skip(who, status)  # why setup_venv.sh could not install it
        # LiteLLM lives in the benchmark's venv; the libswitch package in the one that
        # tools/test_python.sh installs it into (`pip install .`), so it is built only once.
        python = self.python if who == "litellm" else self.switch_python
        if not os.path.exists(python):
            venv = os.path.dirname(os.path.dirname(python))
            return self.skip(who, f"not installed: no venv at {venv}")
        # Quick mode pays the interpreter and import start-up once; a full run gives each
        # measurement its own process, so that its peak RSS is its own.
        batches = [pairs] if self.plan.quick else [[p] for p in pairs]
        for batch in batches:
            if who in self.unavailable:
                return
            cmd = [python, os.path.join(HERE, "py_contender.py"), "--contender", who, "--base", self.mock.base,
                   "--seconds", str(self.plan.seconds), "--drain", str(self.plan.drain)]
            first = batch[0][1]
            cmd += ["--requests", str(self.plan.requests_at(first)), "--warmup", str(self.plan.warmup_at(first))]
            for workload, c in batch:
                cmd += ["--run", f"{workload}:{c}"]
            self.mock.reset()
            status_code, out, err = run(cmd, self.timeout(len(batch)) + 60)
            if status_code == 3:
                return self.skip(who, (out.strip() or err.strip()).splitlines()[-1])
            for line in self.parse_lines(who, status_code, out, err):
                self.finish(line)

    def run_portkey(self, pairs):
        status = self.status_file("portkey")
        if not status or not status.startswith("ok"):
            return self.skip("portkey", status or "not installed: benchmarks/compare/setup_node.sh has not run")
        log = os.path.join(self.args.build, "bench-portkey.log")
        gateway = None
        try:
            for workload, c in pairs:
                # A full run restarts the gateway per measurement, so that its peak RSS is its own.
                if gateway is None or not self.plan.quick:
                    if gateway:
                        gateway.close()
                    gateway = Gateway(self.node_dir, log)
                config = json.dumps(workloads.load("portkey.json", self.mock.base, workload), separators=(",", ":"))
                cmd = [self.bench, "--mode", "http", "--url", gateway.url, "--header", f"x-portkey-config: {config}",
                       "--model", "bench", "--pid", str(gateway.proc.pid), "--label", "portkey"]
                cmd += self.bench_args(workload, c)
                self.measured("portkey", workload, lambda: run(cmd, self.timeout(1)))
        except RuntimeError as e:
            self.error(str(e))
        finally:
            if gateway:
                gateway.close()

    def measured(self, who, workload, go):
        self.mock.reset()
        status, out, err = go()
        for line in self.parse_lines(who, status, out, err):
            self.finish(line)

    def finish(self, line):
        if line.get("workload") == "failover":
            # What the mock saw: every logical request must have tried the primary first (warm-up
            # included, so at least as many as were measured).
            attempts = self.mock.stats().get("attempts", {})
            primary, fallback = workloads.MODELS["failover"]
            line["mock_attempts"] = {"primary": attempts.get(primary, 0), "fallback": attempts.get(fallback, 0)}
            if line["mock_attempts"]["primary"] < line["requests"]:
                self.error(f"{line['contender']} failover: the primary saw {line['mock_attempts']['primary']} "
                           f"attempts for {line['requests']} requests (the failover path was not exercised)")
        self.record(line)

    # -- the other figures

    def open_streams(self):
        primary, fallback = workloads.MODELS["open_streams"]
        for who in ("curl", "switch"):
            cmd = [self.bench, "--mode", "floor" if who == "curl" else "switch", "--workload", "open_streams",
                   "--base", self.mock.base, "--primary-model", primary, "--fallback-model", fallback,
                   "--streams", str(self.plan.streams), "--seconds", "120"]
            self.measured(who, "open_streams", lambda: run(cmd, 240))

    def config_scale(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "scale.json")
            cmd = [self.bench, "--mode", "config", "--pools", str(self.plan.config_pools), "--providers",
                   str(self.plan.config_providers), "--runs", str(self.plan.config_runs), "--write", path]
            status, out, err = run(cmd, 300)
            lines = self.parse_lines("config", status, out, err)
            for line in lines:
                if not line.get("valid"):
                    self.error("the generated configuration did not load cleanly")
                if os.path.exists(self.switchctl):
                    walls = []
                    for _ in range(3):
                        t0 = time.perf_counter()
                        s, _, e = run([self.switchctl, "validate", path], 120)
                        walls.append((time.perf_counter() - t0) * 1000)
                        if s != 0:
                            self.error(f"switchctl validate failed: {e.strip()[-300:]}")
                    line["switchctl_validate_ms_min"] = round(min(walls), 2)
                self.record(line)

    # -- the run

    def status_file(self, name):
        try:
            with open(os.path.join(self.args.build, "bench-status", name)) as f:
                return f.read().strip()
        except OSError:
            return None

    def meta(self, load_start):
        def out(cmd):
            try:
                return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
            except (OSError, subprocess.TimeoutExpired):
                return None

        cpu = None
        try:
            with open("/proc/cpuinfo") as f:
                cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), None)
        except OSError:
            pass
        with open(os.path.join(ROOT, "include", "switch", "switch.h")) as f:
            version = next((l.split('"')[1] for l in f if "SW_VERSION_STRING" in l and '"' in l), None)
        portkey, litellm = self.status_file("portkey") or "", self.status_file("litellm") or ""
        return {
            "mode": "quick" if self.plan.quick else "full",
            "note": self.args.note,
            "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "commit": out(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
            "machine": {
                "cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
                "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
                "load_average_start": load_start, "load_average_end": list(os.getloadavg()),
            },
            "versions": {
                "libswitch": version,
                "libcurl": (out(["curl-config", "--version"]) or "").replace("libcurl ", "") or None,
                "python": platform.python_version(),
                "litellm": litellm[3:] if litellm.startswith("ok ") else None,
                "node": out(["node", "--version"]),
                "portkey_gateway": portkey[3:] if portkey.startswith("ok ") else None,
            },
            "plan": self.plan.as_dict(),
            "unavailable": self.unavailable,
            "errors": self.errors,
        }

    def go(self):
        load_start = list(os.getloadavg())
        # Ten thousand open streams need as many descriptors here and in the mock, which inherits them.
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536
        if soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        if want < self.plan.streams + 1000:  # each side (client, mock) holds one descriptor a stream
            self.plan.streams = max(100, want - 1000)
            print(f"note: open files are limited to {want}: {self.plan.streams} open streams instead", flush=True)

        self.mock = MockProcess(os.path.join(self.args.build, "tools", "switch-mock-provider"), "--threads", "2")
        try:
            mode = "quick" if self.plan.quick else "full"
            print(f"benchmarks/compare: {mode} run, mock {self.mock.base}", flush=True)
            pairs = self.plan.pairs()
            if self.plan.quick:
                jobs = [(who, pairs) for who in CONTENDERS]  # one process (or gateway) per contender
            else:
                jobs = [(who, [p]) for p in pairs for who in CONTENDERS]  # the floor beside each
            for who, job in jobs:
                if who in self.unavailable:
                    continue
                if who in ("curl", "switch"):
                    self.run_cpp(who, job)
                elif who == "portkey":
                    self.run_portkey(job)
                else:
                    self.run_python(who, job)
            print("open streams", flush=True)
            self.open_streams()
            print("config scale", flush=True)
            self.config_scale()
        finally:
            self.mock.stop()
        with open(os.path.join(self.args.out, "meta.json"), "w") as f:
            json.dump(self.meta(load_start), f, indent=2)
            f.write("\n")
        for e in self.errors:
            print(f"harness error: {e}", file=sys.stderr)
        # A measurement passes when it ran and every request in it succeeded; a contender that is
        # not installed is skipped.
        passed = sum(1 for l in self.results if "skipped" not in l and not l.get("failures"))
        print(f"compare: {passed} passed, {len(self.errors)} failed, {len(self.unavailable)} skipped", flush=True)
        return 1 if self.errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", required=True, help="the CMake build directory (bench_e2e, the mock, switchctl)")
    parser.add_argument("--out", required=True, help="where results.jsonl and meta.json go")
    parser.add_argument("--quick", action="store_true", help="a few seconds per contender (what CI runs)")
    parser.add_argument("--levels", default="1,64,256", help="concurrency levels of a full run")
    parser.add_argument("--note", default="", help="a line for the report's header, e.g. the machine's state")
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    for tool in ("benchmarks/bench_e2e", "tools/switch-mock-provider"):
        if not os.path.exists(os.path.join(args.build, tool)):
            print(f"harness: {args.build}/{tool} is missing; build it first", file=sys.stderr)
            return 2
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return Harness(args).go()


if __name__ == "__main__":
    sys.exit(main())
