#!/usr/bin/env python3
"""report.py — turns a harness run (results.jsonl, meta.json) into report.md and plot.png.

    report.py DIR        reads and writes in DIR

Every ratio is to the floor (raw libcurl multi) measured in the same run at the same concurrency.
The targets are reported, never asserted. The plot needs matplotlib; without it the report says so.
"""
import json
import os
import sys

NAMES = {
    "curl": "floor (raw libcurl multi)",
    "switch": "libswitch C++",
    "switch-py": "libswitch Python",
    "litellm": "LiteLLM Router",
    "portkey": "Portkey gateway",
}
ORDER = list(NAMES)


def load(directory):
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    with open(os.path.join(directory, "results.jsonl")) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return meta, lines


def fmt(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def ratio(a, b):
    if a is None or not b:
        return "–"
    x = a / b
    return f"{x:,.0f}×" if x >= 100 else f"{x:.2f}×" if x >= 0.1 else f"{x:.2g}×"


class Results:
    def __init__(self, lines):
        self.lines = lines
        self.skipped = {l["contender"]: l["skipped"] for l in lines if "skipped" in l}

    def get(self, contender, workload, concurrency=None):
        for l in self.lines:
            if l.get("contender") == contender and l.get("workload") == workload and (
                    concurrency is None or l.get("concurrency") == concurrency):
                return l
        return None

    def levels(self, workload):
        return sorted({l["concurrency"] for l in self.lines if l.get("workload") == workload})

    def contenders(self, workload):
        present = {l["contender"] for l in self.lines if l.get("workload") == workload}
        return [c for c in ORDER if c in present]


def load_table(r, workload, stream):
    head = ["concurrency", "contender", "req/s" if not stream else "streams/s", "× floor"]
    if stream:
        head += ["TTFT p50 µs", "TTFT p99 µs"]
    head += ["p50 µs", "p99 µs", "p99 − floor µs", "CPU s / 1k req", "× floor", "peak RSS MiB", "× floor"]
    rows = []
    for c in r.levels(workload):
        floor = r.get("curl", workload, c)
        for who in r.contenders(workload):
            m = r.get(who, workload, c)
            if not m:
                continue
            row = [str(c), NAMES[who], fmt(m["rps"]), ratio(m["rps"], floor and floor["rps"])]
            if stream:
                row += [fmt(m.get("ttft_p50_us")), fmt(m.get("ttft_p99_us"))]
            added = m["p99_us"] - floor["p99_us"] if floor else None
            row += [fmt(m["p50_us"]), fmt(m["p99_us"]), "–" if who == "curl" or added is None else f"{added:+,.0f}",
                    fmt(m["cpu_s_per_1k"], 3), ratio(m["cpu_s_per_1k"], floor and floor["cpu_s_per_1k"]),
                    fmt(m["rss_mib"], 1), ratio(m["rss_mib"], floor and floor["rss_mib"])]
            if m.get("failures"):
                row[1] += f" ({m['failures']} failed)"
            rows.append(row)
    return table(head, rows)


def failover_table(r):
    head = ["concurrency", "contender", "p50 µs", "p99 µs", "added p50 µs", "added p99 µs",
            "served by the fallback", "primary / fallback attempts at the mock"]
    rows = []
    for c in r.levels("failover"):
        for who in r.contenders("failover"):
            m = r.get(who, "failover", c)
            base = r.get(who, "chat", c)
            if not m:
                continue
            served = f"{m['fallbacks']:,} of {m['requests']:,}" if "fallbacks" in m else "(not reported)"
            attempts = m.get("mock_attempts", {})
            rows.append([str(c), NAMES[who], fmt(m["p50_us"]), fmt(m["p99_us"]),
                         f"{m['p50_us'] - base['p50_us']:+,.0f}" if base else "–",
                         f"{m['p99_us'] - base['p99_us']:+,.0f}" if base else "–", served,
                         f"{attempts.get('primary', 0):,} / {attempts.get('fallback', 0):,}" if attempts else "–"])
    return table(head, rows)


def open_streams_table(r):
    head = ["contender", "streams", "open at once", "seconds to open them all", "peak RSS MiB", "× floor"]
    floor = r.get("curl", "open_streams")
    rows = []
    for who in ("curl", "switch"):
        m = r.get(who, "open_streams")
        if m:
            rows.append([NAMES[who], fmt(m["streams"]), fmt(m["opened"]), fmt(m["open_seconds"], 2),
                         fmt(m["rss_mib"], 1), ratio(m["rss_mib"], floor and floor["rss_mib"])])
    return table(head, rows)


def config_table(r):
    m = r.get("switch", "config")
    if not m:
        return "(not measured)\n"
    head = ["pools", "providers", "bytes", "runs", "load + validate ms (min / median)",
            "sw::Router built ms (min / median)", "`switchctl validate` ms (whole process, min of 3)"]
    return table(head, [[fmt(m["pools"]), fmt(m["providers"]), fmt(m["bytes"]), str(m["runs"]),
                         f"{m['load_ms_min']:.1f} / {m['load_ms_p50']:.1f}",
                         f"{m['router_ms_min']:.1f} / {m['router_ms_p50']:.1f}",
                         fmt(m.get("switchctl_validate_ms_min"), 1)]])


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def targets(r):
    rows = []
    levels = r.levels("chat")
    c = 256 if 256 in levels else (max(levels) if levels else None)
    at = f" at concurrency {c}" + ("" if c == 256 else " (256 was not run)")

    def verdict(ok):
        return "met" if ok else "**missed**"

    def rps(who):
        m = r.get(who, "chat", c)
        return m["rps"] if m else None

    def missing(who):
        return r.skipped.get(who, "not measured")

    def added_p99(workload, concurrency, label, with_p50=False):
        """The row of a "C++ adds ≤ 50 µs to p99" target: libswitch's p99 less the floor's."""
        base, ours = r.get("curl", workload, concurrency), r.get("switch", workload, concurrency)
        if not (base and ours):
            return
        added = ours["p99_us"] - base["p99_us"]
        shown = f"{added:+,.0f} µs"
        if with_p50:
            shown += f" (p50 {ours['p50_us'] - base['p50_us']:+,.0f} µs)"
        rows.append(["libswitch C++ adds ≤ 50 µs to p99" + label, shown, verdict(added <= 50)])

    floor = r.get("curl", "chat", c)
    ours = r.get("switch", "chat", c)
    if floor and ours:
        x = ours["rps"] / floor["rps"]
        rows.append(["libswitch C++ ≥ 0.8× the floor's throughput" + at, f"{x:.3f}×", verdict(x >= 0.8)])
    added_p99("chat", c, at)
    # In a closed loop a request's latency includes its wait behind the others (Little's law:
    # concurrency / throughput), so at 256 the p99 difference follows the throughput ratio. At
    # concurrency 1 nothing waits, and the difference is the router's own cost per request.
    added_p99("chat", 1, " at concurrency 1 (no queueing)")
    # With a 20 ms upstream the load is the same for both (concurrency / 20 ms), far below either's
    # capacity, so the difference is what the router adds, waits behind simultaneous answers included.
    for slow_c in r.levels("slow"):
        added_p99("slow", slow_c, f" at concurrency {slow_c}, the upstream answering in 20 ms", with_p50=True)
    py = r.get("switch-py", "chat", c)
    if floor and py:
        x = py["rps"] / floor["rps"]
        rows.append(["libswitch Python ≥ 0.5× the floor's throughput" + at, f"{x:.3f}×", verdict(x >= 0.5)])
    else:
        rows.append(["libswitch Python ≥ 0.5× the floor's throughput", missing("switch-py"), "not measured"])
    for other, factor in (("litellm", 20), ("portkey", 50)):
        for who in ("switch", "switch-py"):
            label = f"{NAMES[who]} ≥ {factor}× {NAMES[other]}'s throughput"
            if rps(who) and rps(other):
                x = rps(who) / rps(other)
                rows.append([label + at, f"{x:,.1f}×", verdict(x >= factor)])
            else:
                rows.append([label, missing(who if not rps(who) else other), "not measured"])
    streams = r.get("switch", "open_streams")
    if streams and streams["streams"] >= 10000:
        rows.append(["10,000 open streams through libswitch C++ in < 256 MiB RSS", f"{streams['rss_mib']:.1f} MiB",
                     verdict(streams["rss_mib"] < 256)])
    else:
        rows.append(["10,000 open streams through libswitch C++ in < 256 MiB RSS",
                     f"{streams['rss_mib']:.1f} MiB with {streams['streams']:,} streams" if streams else "–",
                     "not measured at 10,000 (quick run)"])
    config = r.get("switch", "config")
    if config:
        at_scale = config["providers"] >= 10000
        rows.append([f"load and validate {config['providers']:,} providers in < 100 ms",
                     f"{config['load_ms_p50']:.1f} ms",
                     verdict(config["load_ms_p50"] < 100) if at_scale else "not measured at 10,000"])
    return table(["target", "measured", "verdict"], rows)


def plot(r, meta, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        return f"not drawn: matplotlib is not installed ({e})"
    workloads = [w for w in ("chat", "stream") if r.levels(w)]
    fig, axes = plt.subplots(len(workloads), 2, figsize=(11, 4.2 * len(workloads)), squeeze=False)
    for row, workload in enumerate(workloads):
        for col, (key, label) in enumerate((("rps", "throughput (req/s)"), ("p99_us", "p99 latency (µs)"))):
            ax = axes[row][col]
            for who in r.contenders(workload):
                points = [(c, r.get(who, workload, c)[key]) for c in r.levels(workload) if r.get(who, workload, c)]
                if points:
                    xs, ys = zip(*points)
                    ax.plot(xs, ys, marker="o", label=NAMES[who], linestyle="--" if who == "curl" else "-")
            ax.set_xscale("log", base=2)
            ax.set_xticks(r.levels(workload), [str(c) for c in r.levels(workload)])
            ax.set_yscale("log")
            ax.set_xlabel("concurrency")
            ax.set_ylabel(label)
            what = "chat completions" if workload == "chat" else "streams of 50 chunks"
            ax.set_title(f"{what}: {label.split(' (')[0]}")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=8)
    title = f"libswitch vs other routers, loopback mock, {meta['mode']} run {meta['date']}"
    if meta["mode"] == "quick":
        title += " (a check of the harness, not a measurement)"
    if meta.get("note"):
        title += f"\n{meta['note']}"
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


def report(directory):
    meta, lines = load(directory)
    r = Results(lines)
    m, v = meta["machine"], meta["versions"]
    out = ["# libswitch against other LLM routers, end to end", "",
           "<!-- generated by benchmarks/compare/report.py from results.jsonl and meta.json -->", ""]
    if meta.get("note"):
        out += [f"> **{meta['note']}**", ""]
    if meta["mode"] == "quick":
        out += ["> **A quick run**: a few seconds per contender, to prove the harness works. Its numbers are not "
                "measurements.", ""]
    load_start = m.get("load_average_start") or [0]
    if load_start[0] > 0.5 * (m.get("cores") or 1):
        out += [f"> The machine was busy: load average {load_start[0]:.1f} on {m['cores']} cores at the start "
                f"({(m.get('load_average_end') or [0])[0]:.1f} at the end). Absolute numbers are unreliable; ratios "
                "to the floor, measured in the same run, less so.", ""]
    out += [f"Run: {meta['mode']}, {meta['date']}, commit {meta.get('commit') or '?'}. "
            f"Machine: {m.get('cpu') or '?'}, {m.get('cores')} cores, {m.get('memory_gib')} GiB, "
            f"Linux {m.get('kernel')}.",
            "",
            f"Versions: libswitch {v.get('libswitch')}, libcurl {v.get('libcurl')}, Python {v.get('python')}, "
            f"LiteLLM {v.get('litellm') or '–'}, node {v.get('node') or '–'}, "
            f"Portkey gateway {v.get('portkey_gateway') or '–'}.",
            ""]
    for who, reason in r.skipped.items():
        out.append(f"- {NAMES[who]}: {reason}")
    if r.skipped:
        out.append("")
    if meta.get("errors"):
        out += ["**Harness errors** (these figures are not to be trusted):", ""]
        out += [f"- {e}" for e in meta["errors"]] + [""]
    out += ["Every contender sends the same request (one user message) for virtual model `bench`, which routes to "
            "a primary provider with a fallback, both on one loopback mock. Ratios are to the floor, raw libcurl "
            "multi at the same concurrency in the same run. Method: benchmarks/README.md.", ""]
    out += ["## Chat completions", "", load_table(r, "chat", False)]
    out += ["## Streaming, 50 chunks per response", "", load_table(r, "stream", True)]
    out += ["## Failover: the primary answers 503, the fallback serves", "",
            "Added latency is the failover's latency less the same contender's chat latency at the same concurrency. "
            "The floor's failover is two plain requests, one after the other.", "", failover_table(r)]
    out += ["## A slow upstream: every answer after 20 ms", "",
            "Throughput is set by the upstream (concurrency ÷ 20 ms), not by the contender, so every contender "
            "that keeps up carries the same load, and p99 − floor is what it adds to a request. Answers come in "
            "bursts (requests sent together end together, 20 ms later), and one I/O thread handles a burst one "
            "answer after another: the last waits for the ones before it.", "", load_table(r, "slow", False)]
    out += ["## Open streams", "", "Streams of 50 chunks, one a second; the peak RSS once every stream has "
            "delivered its first chunk.", "", open_streams_table(r)]
    out += ["## Configuration scale", "", config_table(r)]
    out += ["## Targets (reported, not asserted)", "", targets(r)]
    problem = plot(r, meta, os.path.join(directory, "plot.png"))
    out += ["## Plot", "", f"Plot {problem}." if problem else "![throughput and p99 against concurrency](plot.png)", ""]
    with open(os.path.join(directory, "report.md"), "w") as f:
        f.write("\n".join(out))
    return problem


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    problem = report(sys.argv[1])
    print(f"report: {os.path.join(sys.argv[1], 'report.md')}" + (f" (plot {problem})" if problem else
                                                                  f", {os.path.join(sys.argv[1], 'plot.png')}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
