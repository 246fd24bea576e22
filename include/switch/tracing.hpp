// tracing.hpp — W3C trace context, and the spans a router records (C++ API; docs/tracing.md).
//
// A request carries a trace context: the caller's, from its `traceparent` header
// (ChatOptions::traceparent), or a new trace when the router records spans and the caller gave
// none. Each attempt sends `traceparent` upstream, so that a traced upstream joins the trace
// (the config's monitoring.tracing.propagate turns it off).
//
// With a span sink (RouterOptions::span_sink; C: sw_router_options v5's on_span; Python:
// Router(on_span=...) or Router(opentelemetry=True)) and monitoring.tracing.enabled, the router
// records one span per request and a child span per attempt, with OpenTelemetry's GenAI
// attributes and libswitch's own (docs/tracing.md lists them). Spans never hold a header, a
// credential, a provider's message or message content.
#pragma once

#include <switch/switch.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sw {

// 16 bytes, as two big-endian halves: high is the first 16 hex digits of a traceparent.
struct TraceId {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    bool valid() const noexcept { return (high | low) != 0; }
    friend bool operator==(const TraceId&, const TraceId&) = default;
};

// A request's place in a trace.
struct TraceContext {
    TraceId trace_id;                   // invalid: the request is in no trace
    std::uint64_t parent_span_id = 0;   // the caller's span; 0 when the request began the trace
    std::uint64_t span_id = 0;          // the request's own span; 0 when the router records none
    std::uint8_t flags = 0;             // W3C trace-flags, passed on as received (01: sampled)
    std::string tracestate;             // the caller's, passed on unchanged
    bool valid() const noexcept { return trace_id.valid(); }
};

// The caller's trace context from a `traceparent` header ("00-<32 hex>-<16 hex>-<2 hex>"; a later
// version's extra fields are ignored, as W3C asks): its trace id, its span as the parent, and its
// flags. nullopt for anything malformed, an all-zero id, or version ff.
SW_API std::optional<TraceContext> parse_traceparent(std::string_view header) noexcept;

// "00-<trace id>-<span id>-<flags>", lowercase hex.
SW_API std::string format_traceparent(const TraceId& trace_id, std::uint64_t span_id, std::uint8_t flags);

// The span id of a request's attempt (1-based, across the whole request): derived from the
// request's span, so that the header sent upstream and the span recorded later agree without
// storing anything per attempt. Never 0.
SW_API std::uint64_t attempt_span_id(std::uint64_t request_span_id, int attempt_number) noexcept;

// ---- Spans -------------------------------------------------------------------------------------

enum class SpanKind : std::uint8_t { internal, client };
SW_API std::string_view to_string(SpanKind kind) noexcept;

using SpanValue = std::variant<std::string, std::int64_t, double, bool, std::vector<std::string>>;

struct SpanAttribute {
    std::string_view key;  // a name with static storage, e.g. "gen_ai.request.model"
    SpanValue value;
};

// One finished span. Times are Unix-epoch nanoseconds, from the router's clock placed on the
// wall clock when the request ended.
struct Span {
    std::string name;  // "chat gpt-4o": the operation, then the model, as GenAI spans are named
    SpanKind kind = SpanKind::internal;  // the request: internal; an attempt: client
    TraceId trace_id;
    std::uint64_t span_id = 0;
    std::uint64_t parent_span_id = 0;  // 0: a root span
    std::uint8_t flags = 0;
    std::int64_t start_unix_nanos = 0;
    std::int64_t end_unix_nanos = 0;
    bool error = false;          // OpenTelemetry's status: Error, else Unset
    std::string status_message;  // with an error: its class, e.g. "rate_limited"
    std::vector<SpanAttribute> attributes;
};

// Receives each span as it ends: a request's attempts, then the request. Called on the I/O
// thread that ran the request, from several at once: it must be thread-safe and return quickly.
using SpanSink = std::function<void(const Span& span)>;

// {"name","kind","trace_id","span_id","parent_span_id","flags","start_unix_nanos",
//  "end_unix_nanos","error","status_message","attributes":{...}}: the form the C ABI and Python
// deliver. Ids are lowercase hex; parent_span_id is "" for a root span.
SW_API std::string to_json(const Span& span);

}  // namespace sw
