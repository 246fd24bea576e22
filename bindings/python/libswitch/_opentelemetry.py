"""libswitch's spans as OpenTelemetry spans (docs/tracing.md), for Router(opentelemetry=True).

The router records its spans in C++ and hands each one over as a dict when it ends: a request's
attempts first, then the request. The bridge turns them into spans of the ``opentelemetry-api``
tracer that the application configured, so that any OpenTelemetry exporter gets them, with the
router's own start and end times, attributes and status.

The OpenTelemetry SDK gives each span it records an id of its own. The bridged spans therefore
keep libswitch's ids as the attributes ``libswitch.trace_id`` and ``libswitch.span_id``: an
upstream that joined the trace through the ``traceparent`` header names libswitch's attempt span
as its parent.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

try:
    from opentelemetry import trace as _trace
    from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags
except ImportError:  # the bridge says so when it is asked for
    _trace = None


def _require() -> None:
    if _trace is None:
        raise ImportError("Router(opentelemetry=True) needs the opentelemetry-api package: pip install opentelemetry-api")


def current_trace_context() -> Tuple[Optional[str], Optional[str]]:
    """The caller's current span as (traceparent, tracestate), so that the request joins its
    trace; (None, None) outside any span."""
    context = _trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None, None
    traceparent = f"00-{context.trace_id:032x}-{context.span_id:016x}-{int(context.trace_flags):02x}"
    state = context.trace_state.to_header() if context.trace_state else None
    return traceparent, state or None


class OpenTelemetryBridge:
    """Called with each span dict (docs/tracing.md) on the router's span thread, in order."""

    def __init__(self, tracer_provider: Any = None) -> None:
        _require()
        from . import __version__

        self._tracer = _trace.get_tracer("libswitch", __version__, tracer_provider=tracer_provider)
        # A request's attempt spans, by the request's span id, until the request's span ends.
        self._attempts: Dict[str, List[Dict[str, Any]]] = {}

    def __call__(self, span: Dict[str, Any]) -> None:
        if span["kind"] == "client":
            self._attempts.setdefault(span["parent_span_id"], []).append(span)
            return
        attempts = self._attempts.pop(span["span_id"], [])
        parent = _trace.set_span_in_context(_trace.INVALID_SPAN)
        if span["parent_span_id"]:
            caller = SpanContext(trace_id=int(span["trace_id"], 16), span_id=int(span["parent_span_id"], 16),
                                 is_remote=True, trace_flags=TraceFlags(span["flags"]))
            parent = _trace.set_span_in_context(NonRecordingSpan(caller))
        request = self._start(span, parent, SpanKind.INTERNAL)
        inside = _trace.set_span_in_context(request)
        for attempt in attempts:
            self._end(self._start(attempt, inside, SpanKind.CLIENT), attempt)
        self._end(request, span)

    def _start(self, span: Dict[str, Any], context: Any, kind: Any) -> Any:
        attributes = dict(span["attributes"])
        attributes["libswitch.trace_id"] = span["trace_id"]
        attributes["libswitch.span_id"] = span["span_id"]
        return self._tracer.start_span(span["name"], context=context, kind=kind, attributes=attributes,
                                       start_time=span["start_unix_nanos"])

    @staticmethod
    def _end(otel_span: Any, span: Dict[str, Any]) -> None:
        if span["error"]:
            otel_span.set_status(Status(StatusCode.ERROR, span["status_message"]))
        otel_span.end(end_time=span["end_unix_nanos"])
