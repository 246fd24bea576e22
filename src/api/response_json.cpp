// response_json.cpp — what a ChatResponse says about itself: its trace and its error as JSON, and
// the kind of failure it reports. One place for each, shared by the C ABI, Python and tools.
#include <switch/router.hpp>

#include "routing/trace_json.hpp"

namespace sw {

std::string_view to_string(FailureKind kind) noexcept {
    switch (kind) {
        case FailureKind::none: return "none";
        case FailureKind::cancelled: return "cancelled";
        case FailureKind::stream_interrupted: return "stream_interrupted";
        case FailureKind::deadline_exceeded: return "deadline_exceeded";
        case FailureKind::context_window: return "context_window";
        case FailureKind::content_policy: return "content_policy";
        case FailureKind::not_found: return "not_found";
        case FailureKind::bad_request: return "bad_request";
        case FailureKind::rate_limited: return "rate_limited";
        case FailureKind::authentication: return "authentication";
        case FailureKind::quota_exceeded: return "quota_exceeded";
        case FailureKind::all_providers_failed: return "all_providers_failed";
        case FailureKind::other: return "other";
    }
    return "other";
}

// The first rule that matches wins: the status the router reported outranks the error class of
// the last attempt, which outranks why the router stopped.
FailureKind ChatResponse::failure_kind() const noexcept {
    if (ok()) return FailureKind::none;
    const RouteError route = trace.error;
    const ErrorClass cls = error_class;
    if (status == 499) return FailureKind::cancelled;
    if (route == RouteError::stream_interrupted) return FailureKind::stream_interrupted;
    if (status == 504 || route == RouteError::deadline_exceeded) return FailureKind::deadline_exceeded;
    if (cls == ErrorClass::context_window) return FailureKind::context_window;
    if (cls == ErrorClass::content_policy) return FailureKind::content_policy;
    if (route == RouteError::unknown_model) return FailureKind::not_found;
    // A request refused before routing (malformed, or a blocking call from a callback) has no
    // route error, or would_deadlock.
    if (route == RouteError::rejected || route == RouteError::would_deadlock ||
        (route == RouteError::none && status >= 400 && status < 500))
        return FailureKind::bad_request;
    if (status == 429 || cls == ErrorClass::rate_limited) return FailureKind::rate_limited;
    if (cls == ErrorClass::auth) return FailureKind::authentication;
    if (cls == ErrorClass::quota) return FailureKind::quota_exceeded;
    if (route == RouteError::exhausted || route == RouteError::attempts_exceeded)
        return FailureKind::all_providers_failed;
    return FailureKind::other;
}

std::string ChatResponse::error_json() const {
    JsonWriter w;
    w.begin_object().key("error").begin_object();
    w.key("message").string(error).key("type").string(to_string(failure_kind()));
    w.key("code").string(to_string(error_class)).key("param").null();
    w.end_object().end_object();
    return w.take();
}

std::string ChatResponse::trace_json() const {
    JsonWriter w;
    w.begin_object();
    w.key("model").string(trace.model);
    w.key("provider").string(trace.provider).key("pool").string(trace.pool_id);
    w.key("used_fallback").boolean(trace.used_fallback);
    if (trace.cache_hit) w.key("cache_hit").boolean(true);  // docs/cache.md
    w.key("attempts").begin_array();
    for (const AttemptRecord& a : trace.attempts) routing::write_attempt(w, a);
    w.end_array();
    if (cost_usd) w.key("cost_usd").number(*cost_usd);
    if (trace.route) {
        w.key("route");
        routing::write_route(w, *trace.route);
    }
    w.end_object();
    return w.take();
}

}  // namespace sw
