"""The router's spans in Python (docs/tracing.md): on_span gets each span as a dict, and
opentelemetry=True records them through opentelemetry-api, tested with opentelemetry-sdk's
in-memory exporter: the request's span under the caller's current span, an attempt span per
attempt, the GenAI attributes, and the traceparent each attempt sent upstream."""
import pytest

import libswitch
from conftest import USER

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode


@pytest.fixture(scope="module")
def exporter():
    # The global tracer provider can be set once per process: every test here shares it.
    provider = TracerProvider()
    memory = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    trace.set_tracer_provider(provider)
    return memory


def test_on_span_gets_each_span_as_a_dict(mock):
    spans = []
    config = mock.config(mock.provider("p", "py-span"))
    with libswitch.Router.from_dict(config, on_span=spans.append) as router:
        router.chat.completions.create(model="chat", messages=USER)
    # close() delivered everything queued: the attempt, then the request.
    assert [s["kind"] for s in spans] == ["client", "internal"]
    attempt, request = spans
    assert request["name"] == "chat chat" and request["parent_span_id"] == ""
    assert attempt["parent_span_id"] == request["span_id"] and attempt["trace_id"] == request["trace_id"]
    assert request["attributes"]["gen_ai.response.model"] == "py-span"
    assert request["start_unix_nanos"] <= attempt["start_unix_nanos"] < attempt["end_unix_nanos"] <= request["end_unix_nanos"]
    # The attempt's traceparent went upstream with the attempt's own span as the parent.
    sent = mock.stats()["last_headers"]["py-span"]["traceparent"]
    assert sent == f"00-{request['trace_id']}-{attempt['span_id']}-01"
    with pytest.raises(TypeError, match="on_span"):
        libswitch.Router.from_dict(config, on_span=42)


def test_opentelemetry_bridge_records_spans_under_the_callers_span(mock, exporter):
    exporter.clear()
    config = mock.config(mock.provider("down", "py-otel-down@status=503"),
                         fallback=[mock.provider("up", "py-otel-up")])
    tracer = trace.get_tracer("test")
    with libswitch.Router.from_dict(config, opentelemetry=True) as router:
        with tracer.start_as_current_span("caller") as caller:
            r = router.chat.completions.create(model="chat", messages=USER)
    assert r.switch.used_fallback
    finished = {s.name: s for s in exporter.get_finished_spans()}
    assert set(finished) == {"caller", "chat chat", "chat py-otel-down@status=503", "chat py-otel-up"}
    request = finished["chat chat"]
    down, up = finished["chat py-otel-down@status=503"], finished["chat py-otel-up"]
    caller_context = caller.get_span_context()
    # The request's span is a child of the caller's current span, in its trace.
    assert request.context.trace_id == caller_context.trace_id
    assert request.parent.span_id == caller_context.span_id
    assert request.kind == SpanKind.INTERNAL
    assert request.attributes["gen_ai.operation.name"] == "chat"
    assert request.attributes["gen_ai.request.model"] == "chat"
    assert request.attributes["gen_ai.response.model"] == "py-otel-up"
    assert request.attributes["libswitch.used_fallback"] is True
    assert request.attributes["gen_ai.usage.output_tokens"] == r.usage.completion_tokens
    # Each attempt is a client span under the request's, with its status.
    for attempt in (down, up):
        assert attempt.kind == SpanKind.CLIENT
        assert attempt.parent.span_id == request.context.span_id
        assert attempt.context.trace_id == caller_context.trace_id
    assert down.status.status_code == StatusCode.ERROR and down.attributes["http.response.status_code"] == 503
    assert up.status.status_code == StatusCode.UNSET
    assert request.start_time <= down.start_time < down.end_time <= up.start_time < up.end_time <= request.end_time
    # The upstream saw libswitch's own ids, which the bridged spans keep as attributes, and the
    # caller's flags as they came.
    sent = mock.stats()["last_headers"]["py-otel-up"]["traceparent"]
    flags = int(caller_context.trace_flags)
    assert sent == f"00-{caller_context.trace_id:032x}-{up.attributes['libswitch.span_id']}-{flags:02x}"
    assert up.attributes["libswitch.trace_id"] == f"{caller_context.trace_id:032x}"


def test_async_router_bridges_too(mock, exporter):
    import asyncio

    exporter.clear()
    config = mock.config(mock.provider("p", "py-otel-async"))

    async def main():
        async with libswitch.AsyncRouter.from_dict(config, opentelemetry=True) as router:
            await router.chat.completions.create(model="chat", messages=USER)

    asyncio.run(main())
    names = sorted(s.name for s in exporter.get_finished_spans())
    assert names == ["chat chat", "chat py-otel-async"]
    request = next(s for s in exporter.get_finished_spans() if s.name == "chat chat")
    assert request.parent is None  # no caller span: a root


def test_tracing_enabled_false_records_nothing(mock, monkeypatch):
    monkeypatch.setenv("TRACING_ENABLED", "false")
    spans = []
    config = mock.config(mock.provider("p", "py-no-trace"))
    with libswitch.Router.from_dict(config, on_span=spans.append) as router:
        router.chat.completions.create(model="chat", messages=USER)
    assert spans == []
    assert "traceparent" not in mock.stats()["last_headers"]["py-no-trace"]
