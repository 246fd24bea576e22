"""workloads.py — what each workload asks of the mock, and the contenders' configs filled in for it.

Every contender routes one virtual model to a primary provider with a fallback, both on the one
loopback mock. The mock's scenario rides in the provider's model name (docs/mock-provider.md), so the
same config files serve every workload: configs/*.json use ${BENCH_BASE}, ${BENCH_PRIMARY_MODEL} and
${BENCH_FALLBACK_MODEL}.
"""
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIGS = os.path.join(HERE, "configs")

# workload -> (primary model, fallback model) as the mock sees them
MODELS = {
    "chat": ("bench-a", "bench-b"),
    "stream": ("bench-a@chunks=50", "bench-b@chunks=50"),
    # every request: the primary answers 503, the fallback serves
    "failover": ("bench-a@status=503", "bench-b"),
    # chat from an upstream that answers after 20 ms, as a (very fast) LLM would: throughput is not
    # the limit, so the latency difference is what the router adds to each request
    "slow": ("bench-a@latency_ms=20", "bench-b@latency_ms=20"),
    # streams that stay open: one chunk a second after the first
    "open_streams": ("bench-a@chunks=50,chunk_delay_ms=1000", "bench-b"),
}

# the workloads every contender runs at the plan's concurrency levels (open_streams is the C++ API's
# and the floor's alone)
LOADS = ("chat", "stream", "failover", "slow")

STREAM_CHUNKS = 50
MESSAGES = [{"role": "user", "content": "hello"}]


def variables(base, workload):
    primary, fallback = MODELS[workload]
    return {"BENCH_BASE": base, "BENCH_PRIMARY_MODEL": primary, "BENCH_FALLBACK_MODEL": fallback}


def render(name, base, workload):
    """configs/NAME with its ${BENCH_*} variables filled in, as text."""
    with open(os.path.join(CONFIGS, name)) as f:
        text = f.read()
    values = variables(base, workload)
    # JSON-escape each value: model names are plain, but keep the text valid whatever they hold.
    return re.sub(r"\$\{(BENCH_[A-Z_]+)\}", lambda m: json.dumps(values[m.group(1)])[1:-1], text)


def load(name, base, workload):
    return json.loads(render(name, base, workload))
