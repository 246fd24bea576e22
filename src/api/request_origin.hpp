// request_origin.hpp — who asked for a request, the caller's name for it, and its place in a
// trace: made once when the request is submitted.
#pragma once

#include <switch/clock.hpp>
#include <switch/router.hpp>
#include <switch/tracing.hpp>

#include <string>

namespace sw::api {

// Carried to the request's attempts (traceparent) and its request_finished event, and nowhere
// else.
struct RequestOrigin {
    std::string correlation_id;
    std::string client_id;
    TraceContext trace;
    // Attempts that the request made before this driver's first (a cascade's earlier steps), so
    // that each attempt's span id is the request's own (attempt_span_id).
    int earlier_attempts = 0;
};

// How a router places its requests in traces (docs/tracing.md).
struct TracePolicy {
    bool enabled = false;  // the config's monitoring.tracing.enabled: else no request is in a trace
    bool recording = false;  // a span sink listens: each request gets a span, and a trace if it has none
};

// `chat`'s origin. With tracing enabled, the request joins the caller's trace when
// chat.traceparent is valid (a malformed one is ignored, as W3C asks); a recording router gives
// it a span of its own, and a new trace when it has none. Ids come from `random`.
RequestOrigin make_origin(const ChatOptions& chat, const TracePolicy& policy, Random& random);

}  // namespace sw::api
