// request_origin.cpp — a request's origin and trace context (request_origin.hpp).
#include "api/request_origin.hpp"

namespace sw::api {

namespace {

// W3C tracestate: at most 512 characters of printable ASCII. Anything else is dropped rather
// than sent upstream, where a CR or LF would split the header.
bool sane_tracestate(std::string_view s) {
    if (s.size() > 512) return false;
    for (char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

std::uint64_t nonzero(Random& random) {
    std::uint64_t v = random.next_u64();
    return v != 0 ? v : 1;
}

}  // namespace

RequestOrigin make_origin(const ChatOptions& chat, const TracePolicy& policy, Random& random) {
    RequestOrigin origin{chat.correlation_id, chat.client_id, {}, 0};
    if (!policy.enabled) return origin;
    if (!chat.traceparent.empty()) {
        if (auto caller = parse_traceparent(chat.traceparent)) {
            origin.trace = *caller;
            if (sane_tracestate(chat.tracestate)) origin.trace.tracestate = chat.tracestate;
        }
    }
    if (policy.recording) {
        if (!origin.trace.valid()) {
            origin.trace.trace_id = {random.next_u64(), nonzero(random)};
            origin.trace.flags = 0x01;  // sampled: the router records this trace's spans
        }
        origin.trace.span_id = nonzero(random);
    }
    return origin;
}

}  // namespace sw::api
