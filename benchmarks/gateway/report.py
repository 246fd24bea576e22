#!/usr/bin/env python3
"""report.py — turns a gateway run (gateway.jsonl, gateway-meta.json) into gateway.md and gateway.png.

    report.py DIR        reads and writes in DIR

Every ratio is to the floor (wrk straight to the mock) measured in the same run at the same number
of connections; "added p99" is the contender's p99 less the floor's. The targets are issue 17's,
reported, never asserted. The plot needs matplotlib; without it the report says so.
"""
import json
import os
import sys

NAMES = {
    "mock": "the mock, direct (floor)",
    "switch": "switch-server",
    "portkey": "Portkey gateway",
    "litellm": "LiteLLM proxy",
    "tensorzero": "TensorZero gateway",
}


def load(directory):
    with open(os.path.join(directory, "gateway-meta.json")) as f:
        meta = json.load(f)
    with open(os.path.join(directory, "gateway.jsonl")) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return meta, lines


def ms(us):
    return "–" if us is None else f"{us / 1000:.2f}"


def ratio(a, b):
    if a is None or not b:
        return "–"
    x = a / b
    return f"{x:,.0f}×" if x >= 100 else f"{x:.2f}×" if x >= 0.1 else f"{x:.2g}×"


def median(values):
    values = sorted(values)
    n = len(values)
    return None if not n else values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


class Results:
    """The measurements. The floor is measured before each contender's run (its `floor`); its own
    row is the median of those runs, and every ratio is to the run paired with the contender's."""

    def __init__(self, lines):
        self.measured = [l for l in lines if "skipped" not in l]
        self.skipped = {l["contender"]: l["skipped"] for l in lines if "skipped" in l}
        self.levels = sorted({l["connections"] for l in self.measured})
        self.contenders = [c for c in NAMES if any(l["contender"] == c for l in self.measured)]

    def floors(self, connections):
        return [l for l in self.measured if l["contender"] == "mock" and l["connections"] == connections]

    def get(self, contender, connections):
        if contender == "mock":
            runs = self.floors(connections)
            if not runs:
                return None
            line = {k: median([r[k] for r in runs]) for k in ("rps", "p50_us", "p99_us", "mock_cpu_us_per_request")}
            line.update(failed=sum(r["failed"] for r in runs), runs=len(runs), rss_kib=None,
                        rps_range=(min(r["rps"] for r in runs), max(r["rps"] for r in runs)))
            return line
        return next((l for l in self.measured if l["contender"] == contender and l["connections"] == connections), None)


def table(r):
    rows = ["| contender | connections | req/s | × floor | p50 ms | p99 ms | added p99 ms | errors | CPU µs / request "
            "| peak RSS MiB |", "|---|---|---|---|---|---|---|---|---|---|"]
    for who in r.contenders:
        for c in r.levels:
            line = r.get(who, c)
            if line is None:
                continue
            floor = line.get("floor")
            added = line["p99_us"] - floor["p99_us"] if floor else None
            rss = f"{line['rss_kib'] / 1024:.0f}" if line.get("rss_kib") else "–"
            # The floor has no gateway: its figure is the mock's own.
            cpu = line.get("mock_cpu_us_per_request") if who == "mock" else line.get("cpu_us_per_request")
            cpu = "–" if cpu is None else f"{cpu:.0f}" + (" (the mock)" if who == "mock" else "")
            rps = f"{line['rps']:,.0f}"
            if who == "mock":  # the median of its runs, and their range
                low, high = line["rps_range"]
                rps += f" ({line['runs']} runs: {low:,.0f}–{high:,.0f})" if line["runs"] > 1 else ""
            rows.append(f"| {NAMES[who]} | {c} | {rps} | "
                        f"{ratio(line['rps'], floor['rps'] if floor else None) if who != 'mock' else '1'} | "
                        f"{ms(line['p50_us'])} | {ms(line['p99_us'])} | {ms(added)} | {line['failed']} | {cpu} | {rss} |")
    for who, reason in r.skipped.items():
        rows.append(f"| {NAMES.get(who, who)} | – | {reason} | | | | | | | |")
    return "\n".join(rows)


def targets(r):
    """Issue 17's targets for switch-server at 64 connections, each met, missed or not measured."""
    c = 64
    switch, tz = r.get("switch", c), r.get("tensorzero", c)
    floor = switch.get("floor") if switch else None
    rows = ["| target (64 connections) | measured | |", "|---|---|---|"]

    def verdict(ok):
        return "not measured" if ok is None else "met" if ok else "missed"

    x = switch["rps"] / floor["rps"] if switch and floor else None
    rows.append(f"| switch-server ≥ 0.5× the floor's throughput | {ratio(switch and switch['rps'], floor and floor['rps'])} "
                f"| {verdict(None if x is None else x >= 0.5)} |")
    # The two ran at different times on a shared machine: each against its own floor cancels
    # what the machine's load did in between. The raw ratio is shown beside it.
    y = x / (tz["rps"] / tz["floor"]["rps"]) if x is not None and tz and tz.get("floor") else None
    raw = ratio(switch and switch["rps"], tz and tz["rps"])
    rows.append(f"| switch-server ≥ 3× TensorZero's gateway (each against its own floor; raw ratio {raw}) | "
                f"{'–' if y is None else f'{y:.2f}×'} | {verdict(None if y is None else y >= 3)} |")
    if switch and tz and switch.get("cpu_us_per_request") and tz.get("cpu_us_per_request"):
        # Not a target: the cost behind the throughput ratio, which the machine's load moves less.
        rows.append(f"| (beside it: TensorZero's CPU time a request ÷ switch-server's) | "
                    f"{tz['cpu_us_per_request'] / switch['cpu_us_per_request']:.2f}× | reported |")
    added = switch["p99_us"] - floor["p99_us"] if switch and floor else None
    rows.append(f"| switch-server adds < 1 ms to p99 | {ms(added)} ms | {verdict(None if added is None else added < 1000)} |")
    rss = switch.get("rss_kib") if switch else None
    rows.append(f"| RSS reported | {rss / 1024:.0f} MiB | reported |" if rss else "| RSS reported | – | not measured |")
    return "\n".join(rows)


def plot(r, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        return f"not drawn: matplotlib is not installed ({e})"
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.6))
    for who in r.contenders:
        points = [(c, r.get(who, c)) for c in r.levels if r.get(who, c)]
        xs = [c for c, _ in points]
        style = {"linestyle": "--", "color": "black"} if who == "mock" else {}
        left.plot(xs, [l["rps"] for _, l in points], marker="o", label=NAMES[who], **style)
        right.plot(xs, [l["p99_us"] / 1000 for _, l in points], marker="o", label=NAMES[who], **style)
    for ax, title, unit in ((left, "throughput", "requests / s"), (right, "p99 latency", "ms")):
        ax.set_xscale("symlog", linthresh=1)
        ax.set_yscale("log")
        ax.set_xticks(r.levels, [str(c) for c in r.levels])
        ax.set_xlabel("connections (wrk)")
        ax.set_ylabel(unit)
        ax.set_title(f"chat completions: {title}")
        ax.grid(True, which="both", alpha=0.3)
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: report.py DIR")
    directory = sys.argv[1]
    meta, lines = load(directory)
    r = Results(lines)
    plot_note = plot(r, os.path.join(directory, "gateway.png"))
    m, v = meta["machine"], meta["versions"]
    load_text = f"load average {m['load_average_start'][0]:.2f} at the start, {m['load_average_end'][0]:.2f} at the end"
    busy = " (busy: other work shared the machine, so every number is low)" if max(
        m["load_average_start"][0], m["load_average_end"][0]) > 1.5 else ""
    plan = meta["plan"]
    text = [
        "# The gateway benchmark",
        "",
        f"{meta['mode'].capitalize()} run of `benchmarks/gateway/run.sh`, {meta['date']}, commit {meta['commit']}; "
        f"{m['cores']} cores, {load_text}{busy}." + (f" {meta['note']}" if meta.get("note") else ""),
        "",
        f"wrk ({v['wrk']}), one thread, sends one non-streaming chat completion per request over keep-alive "
        f"connections: {plan['warmup_s']} s of warm-up, then {plan['seconds']} s measured, per level. "
        f"Every contender routes to the same loopback mock ({meta['mock_threads']} threads); "
        f"switch-server runs with `--threads {meta['switch_server_threads']}`. "
        f"Versions: Portkey gateway {v['portkey_gateway'] or '–'} (node {v['node'] or '–'}), "
        f"LiteLLM proxy {v['litellm_proxy'] or '–'}, TensorZero {v['tensorzero'] or '–'}. "
        "The method is in benchmarks/README.md (\"The gateway benchmark\").",
        "",
        table(r),
        "",
        "The floor's rows: the median of its runs, one just before each contender's at the same "
        "level (the machine is shared, and its load moves). × floor: throughput against the floor's "
        "run just before, at the same connections. Added p99: the contender's p99 less that run's. CPU µs / request: user and system time of the gateway's process "
        "(all its threads) over the measured run, divided by the requests served; other work on the machine "
        "slows a gateway without raising it much, so it is the steadier figure on a shared machine. Peak RSS: VmHWM of the gateway's process (and its children) "
        "after the measured run; each level has a fresh gateway in a full run, one for all levels in "
        "quick mode.",
        "",
        "## Targets (issue 17)",
        "",
        targets(r),
        "",
    ]
    if plot_note:
        text += [f"Plot: {plot_note}.", ""]
    else:
        text += ["![throughput and p99 against connections](gateway.png)", ""]
    if meta.get("errors"):
        text += ["## Harness errors", ""] + [f"- {e}" for e in meta["errors"]] + [""]
    with open(os.path.join(directory, "gateway.md"), "w") as f:
        f.write("\n".join(text))
    print(f"gateway report: {os.path.join(directory, 'gateway.md')}" + (f" (plot {plot_note})" if plot_note else ""))


if __name__ == "__main__":
    main()
