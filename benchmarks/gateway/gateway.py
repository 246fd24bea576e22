#!/usr/bin/env python3
"""gateway.py — the gateway load benchmark: wrk against the mock and four HTTP gateways in front of it.

    gateway.py --build DIR --out DIR [--quick] [--levels 1,64,256] [--server-threads N] [--note TEXT]

Contenders, all on one loopback switch-mock-provider: switch (switch-server), portkey (Portkey's
gateway under node), litellm (LiteLLM's proxy) and tensorzero (TensorZero's Rust gateway from its
wheel). Each gets the same request from wrk (chat.lua) at each level of connections: a warm-up, then
a measured run of fixed length, right after the same of the floor (mock: wrk straight to the mock).
Writes gateway.jsonl (one line per measurement, or per contender that is not installed) and
gateway-meta.json into --out.

Exit status: 0; 1 on a harness error (a contender that is installed but cannot run, a failed
request, a gateway that did not reach the mock), never because of a number; 2 for a usage error.
The method is in benchmarks/README.md ("The gateway benchmark").
"""
import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
COMPARE = os.path.join(ROOT, "benchmarks", "compare")
sys.path.insert(0, COMPARE)
import harness as compare  # noqa: E402  (the Portkey gateway, process groups, the signal handler)
import workloads  # noqa: E402  (the contenders' configs, filled in for the mock)
from mock_process import MockProcess  # noqa: E402  (compare put tools/mock_provider on the path)
from processes import Server, cpu_seconds, peak_rss_kib  # noqa: E402

CONTENDERS = ["switch", "portkey", "litellm", "tensorzero"]  # each paired with the floor, "mock"
PRIMARY, FALLBACK = workloads.MODELS["chat"]  # the mock's model names: plain chat, no fault
LUA = os.path.join(HERE, "chat.lua")


class Plan:
    def __init__(self, quick, levels):
        self.quick = quick
        self.levels = [1, 64] if quick else levels
        # Seconds of load: a warm-up (JITs, pools of connections, caches), then the measured run.
        self.warmup, self.seconds = (1, 2) if quick else (3, 10)

    def as_dict(self):
        return {"quick": self.quick, "levels": self.levels, "warmup_s": self.warmup, "seconds": self.seconds}


# ---- the harness --------------------------------------------------------------------------------


class Gateways:
    def __init__(self, args):
        self.args = args
        self.plan = Plan(args.quick, [int(x) for x in args.levels.split(",")])
        self.build = args.build
        self.results, self.errors, self.unavailable = [], [], {}
        self.tmp = tempfile.mkdtemp(prefix="gateway-bench-")
        os.makedirs(args.out, exist_ok=True)
        self.results_path = os.path.join(args.out, "gateway.jsonl")
        open(self.results_path, "w").close()

    # -- bookkeeping

    def status_file(self, name):
        try:
            with open(os.path.join(self.build, "bench-status", name)) as f:
                return f.read().strip()
        except OSError:
            return None

    def record(self, line):
        self.results.append(line)
        with open(self.results_path, "a") as f:
            f.write(json.dumps(line) + "\n")
        if "skipped" in line:
            print(f"  {line['contender']:<20} {line['skipped']}", flush=True)
            return
        rss = f"{line['rss_kib'] / 1024:.0f} MiB" if line.get("rss_kib") else "-"
        cpu = f"{line['cpu_us_per_request']:.0f}" if line.get("cpu_us_per_request") is not None else "-"
        name = line["contender"] + (f" ({line['pair']})" if line.get("pair") else "")
        print(f"  {name:<20} c={line['connections']:<4} {line['rps']:>9.0f} req/s  "
              f"p50 {line['p50_us']:>8} us  p99 {line['p99_us']:>8} us  cpu {cpu} us/req  rss {rss}"
              + (f"  ERRORS {line['errors']}" if line["failed"] else ""), flush=True)

    def error(self, message):
        print(f"  ERROR: {message}", flush=True)
        self.errors.append(message)

    def skip(self, who, reason):
        self.unavailable[who] = reason
        self.record({"contender": who, "skipped": reason})

    # -- one measurement

    def wrk(self, url, model, connections, seconds, header=None):
        env = dict(os.environ, BENCH_MODEL=model, BENCH_HEADER_NAME="", BENCH_HEADER_VALUE="")
        if header:
            env["BENCH_HEADER_NAME"], env["BENCH_HEADER_VALUE"] = header
        # One wrk thread: on 2 cores a second would take a core from the contender and the mock.
        # A 30 s timeout, so that a slow contender is measured as slow instead of failing.
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", "-s", LUA, url]
        status, out, err = compare.run(cmd, seconds + 90, env=env)
        lines = [json.loads(l) for l in out.splitlines() if l.startswith('{"wrk":')]
        if status != 0 or not lines:
            raise RuntimeError(f"wrk exited with status {status}: {(err.strip() or out.strip())[-500:]}")
        return lines[-1]

    def check_one(self, who, url, model, header):
        """One request by hand before the load: a 200 with the mock's answer in it, or an error that
        says what came back (wrk counts a wrong answer as a success when its status is 2xx)."""
        body = json.dumps({"model": model, "messages": [{"role": "user", "content": "hello"}]}).encode()
        headers = {"Content-Type": "application/json", "Authorization": "Bearer sk-bench"}
        if header:
            headers[header[0]] = header[1]
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=30) as r:
                text = r.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{who}: {url} answered {e.code}: {e.read()[:300]!r}") from None
        except OSError as e:
            raise RuntimeError(f"{who}: {url}: {e}") from None
        if "Hello from the mock" not in text:
            raise RuntimeError(f"{who}: {url} answered 200 without the mock's answer: {text[:300]!r}")

    def measure(self, who, url, model, connections, pid=None, header=None, floor=None, pair=None):
        """One warm-up and one measured run; records the line and returns it. `floor` is the floor's
        line measured just before, at the same level; `pair` on a floor's line names that contender."""
        self.check_one(who, url, model, header)
        self.wrk(url, model, connections, self.plan.warmup, header)
        self.mock.reset()
        load = os.getloadavg()[0]
        # CPU time per request tells a gateway's cost apart from what other work on the machine
        # took from it; throughput alone does not.
        cpu0 = (cpu_seconds(pid) if pid else None, cpu_seconds(self.mock.process.pid))
        w = self.wrk(url, model, connections, self.plan.seconds, header)
        cpu1 = (cpu_seconds(pid) if pid else None, cpu_seconds(self.mock.process.pid))
        attempts = self.mock.stats().get("attempts", {})
        errors = dict(w["errors"])
        line = {
            "contender": who, "connections": connections, "seconds": w["duration_us"] / 1e6,
            "requests": w["requests"], "rps": w["requests"] / (w["duration_us"] / 1e6),
            "p50_us": w["latency_us"]["p50"], "p90_us": w["latency_us"]["p90"], "p99_us": w["latency_us"]["p99"],
            "p999_us": w["latency_us"]["p999"], "max_us": w["latency_us"]["max"], "mean_us": w["latency_us"]["mean"],
            "errors": errors, "failed": sum(errors.values()),
            # The floor has no gateway process: the mock's own RSS is no gateway's.
            "rss_kib": peak_rss_kib(pid) if pid else None,
            "cpu_us_per_request": (cpu1[0] - cpu0[0]) * 1e6 / w["requests"] if pid and w["requests"] else None,
            "mock_cpu_us_per_request": (cpu1[1] - cpu0[1]) * 1e6 / w["requests"] if w["requests"] else None,
            "mock_attempts": {"primary": attempts.get(PRIMARY, 0), "fallback": attempts.get(FALLBACK, 0)},
            "load_average_1m": load,
        }
        if pair:
            line["pair"] = pair
        if floor:
            line["floor"] = {k: floor[k] for k in ("rps", "p50_us", "p99_us")}
        self.record(line)
        if not line["requests"]:
            self.error(f"{who} c={connections}: no answer in {self.plan.seconds} s (the mock saw "
                       f"{line['mock_attempts']['primary']} requests)")
        if line["failed"]:
            self.error(f"{who} c={connections}: {line['failed']} requests failed ({errors})")
        # Every answer wrk counted must have come from the mock (a gateway's cache or a short cut
        # would make its number meaningless). wrk counts a response that arrived; the mock counted
        # each one it served, so it saw at least as many (the last in-flight ones too).
        if line["mock_attempts"]["primary"] < line["requests"]:
            self.error(f"{who} c={connections}: the mock saw {line['mock_attempts']['primary']} requests for "
                       f"{line['requests']} answers")
        return line

    # -- contenders: each yields (url, model, pid, header) for a running instance

    def start(self, who):
        """Starts one instance of a contender; returns (server or None, url, model, header)."""
        base = self.mock.base
        env = dict(os.environ, **workloads.variables(base, "chat"))
        log = os.path.join(self.build, f"bench-gateway-{who}.log")
        if who == "switch":
            binary = os.path.join(self.build, "tools", "switch-server")
            # compare's libswitch.json, its ${BENCH_*} from the environment (the library expands them).
            cmd = [binary, "-c", os.path.join(COMPARE, "configs", "libswitch.json"), "--port", "0",
                   "--threads", str(self.args.server_threads)]
            s = Server("switch-server", cmd, log, env=env)
            return s, f"{s.base}/v1/chat/completions", "bench", None
        if who == "portkey":
            s = compare.Gateway(os.path.join(self.build, "bench-node"), log)
            config = json.dumps(workloads.load("portkey.json", base, "chat"), separators=(",", ":"))
            return s, s.url, "bench", ("x-portkey-config", config)
        if who == "litellm":
            # JSON is YAML: compare's litellm.json, filled in, is the proxy's config as it is.
            path = os.path.join(self.tmp, "litellm.yaml")
            with open(path, "w") as f:
                f.write(workloads.render("litellm.json", base, "chat"))
            port = compare.free_port()
            # One worker (the default) and no database; the cost map from the package, never fetched.
            # No master key: like the other gateways here it checks no client credential (it refuses
            # to start without one unless told, and a key check would be work the others skip).
            env.update(LITELLM_LOCAL_MODEL_COST_MAP="True", LITELLM_LOG="ERROR", LITELLM_TELEMETRY="False",
                       DISABLE_SCHEMA_UPDATE="True", LITELLM_DANGEROUSLY_PERMIT_WEAK_OR_UNSET_MASTER_KEY="true")
            cmd = [os.path.join(self.build, "bench-proxy-venv", "bin", "litellm"), "--config", path, "--host", "127.0.0.1",
                   "--port", str(port), "--num_workers", "1"]
            s = Server("litellm proxy", cmd, log, env=env, port=port, timeout=180)
            return s, f"{s.base}/v1/chat/completions", "bench", None
        if who == "tensorzero":
            path = os.path.join(self.tmp, "tensorzero.toml")
            with open(path, "w") as f:
                # An absolute path: render() joins it to compare/configs/, which then drops out.
                f.write(workloads.render(os.path.join(HERE, "configs", "tensorzero.toml"), base, "chat"))
            python = os.path.join(self.build, "bench-tz-venv", "bin", "python")
            s = Server("tensorzero", [python, os.path.join(HERE, "tz_gateway.py"), path], log, env=env)
            # base_url already ends in /openai/v1; "/openai/v1" again answers 404.
            return s, f"{s.base}/chat/completions", "tensorzero::model_name::bench", None
        raise ValueError(who)

    def installed(self, who):
        """None when the contender can run, else why not (as its setup script recorded it)."""
        files = {"portkey": "portkey", "litellm": "litellm-proxy", "tensorzero": "tensorzero"}
        if who not in files:
            return None
        status = self.status_file(files[who])
        if status is None:
            return f"not installed: bench-status/{files[who]} is missing (run.sh's setup did not run)"
        return None if status.startswith("ok") else status

    def run_contender(self, who):
        reason = self.installed(who)
        if reason:
            return self.skip(who, reason)
        # A full run starts each gateway afresh for each level, so that each peak RSS is its own;
        # quick mode pays each start-up once.
        batches = [self.plan.levels] if self.plan.quick else [[c] for c in self.plan.levels]
        for batch in batches:
            server = None
            try:
                server, url, model, header = self.start(who)
                for c in batch:
                    # The floor just before, at the same level, while the gateway idles: the machine is
                    # shared, and a floor measured minutes earlier would compare two different loads.
                    floor = self.measure("mock", f"{self.mock.base}/v1/chat/completions", PRIMARY, c, pair=who)
                    self.measure(who, url, model, c, pid=server.proc.pid, header=header, floor=floor)
            except RuntimeError as e:
                self.error(str(e))
                return
            finally:
                if server:
                    server.close()

    # -- the run

    def meta(self, load_start):
        def out(cmd):
            try:
                r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
                return (r.stdout.strip() or r.stderr.strip()).splitlines()[0]
            except (OSError, subprocess.TimeoutExpired, IndexError):
                return None

        def version(name):
            status = self.status_file(name) or ""
            return status[3:] if status.startswith("ok ") else None

        return {
            "mode": "quick" if self.plan.quick else "full",
            "note": self.args.note,
            "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "commit": out(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
            "machine": {"cores": os.cpu_count(), "kernel": platform.release(),
                        "load_average_start": load_start, "load_average_end": list(os.getloadavg())},
            "versions": {"wrk": " ".join((out(["wrk", "--version"]) or "").split()[:2]) or None, "node": out(["node", "--version"]),
                         "portkey_gateway": version("portkey"), "litellm_proxy": version("litellm-proxy"),
                         "tensorzero": version("tensorzero")},
            "switch_server_threads": self.args.server_threads,
            "mock_threads": 2,
            "plan": self.plan.as_dict(),
            "unavailable": self.unavailable,
            "errors": self.errors,
        }

    def go(self):
        load_start = list(os.getloadavg())
        # Two threads, as in compare/: with wrk's one and the gateway's, the 2 cores are shared.
        self.mock = MockProcess(os.path.join(self.build, "tools", "switch-mock-provider"), "--threads", "2")
        try:
            mode = "quick" if self.plan.quick else "full"
            print(f"benchmarks/gateway: {mode} run, levels {self.plan.levels}, mock {self.mock.base}", flush=True)
            for who in CONTENDERS:
                if not self.args.only or who in self.args.only.split(","):
                    self.run_contender(who)
        finally:
            self.mock.stop()
        with open(os.path.join(self.args.out, "gateway-meta.json"), "w") as f:
            json.dump(self.meta(load_start), f, indent=2)
            f.write("\n")
        for e in self.errors:
            print(f"harness error: {e}", file=sys.stderr)
        passed = sum(1 for l in self.results if "skipped" not in l and not l["failed"])
        print(f"gateway: {passed} passed, {len(self.errors)} failed, {len(self.unavailable)} skipped", flush=True)
        return 1 if self.errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", required=True, help="the CMake tree with switch-server and the mock")
    parser.add_argument("--out", required=True, help="where gateway.jsonl and gateway-meta.json go")
    parser.add_argument("--quick", action="store_true", help="two levels, 2 s each (what CI runs)")
    parser.add_argument("--levels", default="1,64,256", help="connection levels of a full run")
    # 2: the server's own default on 2 cores (one loop per core). Against 1, alternated on this
    # machine: the same at 64 connections, about 40% more throughput at 256 (means of 4 runs
    # each while other builds shared the machine: 15,200 against 10,900 requests a second).
    parser.add_argument("--server-threads", type=int, default=2, help="switch-server's --threads")
    parser.add_argument("--note", default="", help="a line for the report's header")
    parser.add_argument("--only", default="", help="these contenders only (comma-separated), each with its floor")
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    for tool in ("tools/switch-server", "tools/switch-mock-provider"):
        if not os.path.exists(os.path.join(args.build, tool)):
            print(f"gateway.py: {args.build}/{tool} is missing; build it first", file=sys.stderr)
            return 2
    signal.signal(signal.SIGTERM, compare.on_signal)
    signal.signal(signal.SIGINT, compare.on_signal)
    return Gateways(args).go()


if __name__ == "__main__":
    sys.exit(main())
