// events.cpp — router event names and their JSON form (events.hpp, docs/events.md).
#include <switch/events.hpp>

#include "routing/trace_json.hpp"

namespace sw {

RouterObserver::~RouterObserver() = default;

std::string_view to_string(EventKind kind) noexcept {
    switch (kind) {
        case EventKind::route_decision: return "route_decision";
        case EventKind::attempt_started: return "attempt_started";
        case EventKind::attempt_finished: return "attempt_finished";
        case EventKind::breaker_transition: return "breaker_transition";
        case EventKind::cooldown: return "cooldown";
        case EventKind::request_finished: return "request_finished";
    }
    return "unknown";
}

namespace {

// {"event":..., "time_ns":... — the members every event starts with. Events are small: one
// allocation holds the largest of them.
JsonWriter& open(JsonWriter& w, EventKind kind, TimePoint time) {
    w.reserve(512);
    return w.begin_object().key("event").string(to_string(kind)).key("time_ns").integer(
        time.time_since_epoch().count());
}

std::int64_t micros(Nanos d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

}  // namespace

std::string to_json(const RouteDecisionEvent& e) {
    JsonWriter w;
    open(w, EventKind::route_decision, e.time).key("request").integer(static_cast<std::int64_t>(e.request));
    w.key("model").string(e.model).key("pool").string(e.pool).key("label").string(e.label);
    return w.end_object().take();
}

std::string to_json(const AttemptStartedEvent& e) {
    JsonWriter w;
    open(w, EventKind::attempt_started, e.time).key("request").integer(static_cast<std::int64_t>(e.request));
    w.key("model").string(e.model).key("pool").string(e.pool).key("provider").string(e.provider);
    w.key("attempt").integer(e.attempt_number).key("provider_attempt").integer(e.provider_attempt);
    w.key("timeout_ms").integer(e.timeout.count());
    w.key("breaker_probe").boolean(e.breaker_probe).key("health_probe").boolean(e.health_probe);
    return w.end_object().take();
}

std::string to_json(const AttemptFinishedEvent& e) {
    JsonWriter w;
    open(w, EventKind::attempt_finished, e.time).key("request").integer(static_cast<std::int64_t>(e.request));
    w.key("model").string(e.model).key("attempt");
    routing::write_attempt(w, e.record);
    w.key("error_code").string(e.record.error_code);
    w.key("input_tokens").integer(static_cast<std::int64_t>(e.usage.input_tokens));
    w.key("output_tokens").integer(static_cast<std::int64_t>(e.usage.output_tokens));
    return w.end_object().take();
}

std::string to_json(const BreakerTransitionEvent& e) {
    JsonWriter w;
    open(w, EventKind::breaker_transition, e.time).key("pool").string(e.pool).key("provider").string(e.provider);
    w.key("from").string(to_string(e.from)).key("to").string(to_string(e.to));
    w.key("open_for_ms").integer(e.open_for.count());
    w.key("permanent").boolean(e.permanent).key("manual").boolean(e.manual);
    return w.end_object().take();
}

std::string to_json(const CooldownEvent& e) {
    JsonWriter w;
    open(w, EventKind::cooldown, e.time).key("pool").string(e.pool).key("provider").string(e.provider);
    w.key("duration_ms").integer(e.duration.count());
    return w.end_object().take();
}

std::string to_json(const RequestFinishedEvent& e) {
    JsonWriter w;
    open(w, EventKind::request_finished, e.time).key("request").integer(static_cast<std::int64_t>(e.request));
    w.key("correlation_id").string(e.correlation_id).key("client_id").string(e.client_id);
    w.key("operation").string(e.operation).key("streaming").boolean(e.streaming);
    w.key("model").string(e.trace.model).key("pool").string(e.trace.pool_id).key("provider").string(e.trace.provider);
    w.key("status").integer(e.status).key("error_class").string(to_string(e.error_class));
    w.key("route_error").string(to_string(e.trace.error));
    w.key("used_fallback").boolean(e.trace.used_fallback);
    w.key("cache_hit").boolean(e.trace.cache_hit);
    w.key("attempts").integer(static_cast<std::int64_t>(e.trace.attempts.size()));
    w.key("input_tokens").integer(static_cast<std::int64_t>(e.trace.usage.input_tokens));
    w.key("output_tokens").integer(static_cast<std::int64_t>(e.trace.usage.output_tokens));
    w.key("cost_usd");
    if (e.cost_usd) w.number(*e.cost_usd);
    else w.null();
    w.key("latency_us").integer(micros(e.latency));
    w.key("time_to_first_token_us");
    if (e.time_to_first_token) w.integer(micros(*e.time_to_first_token));
    else w.null();
    return w.end_object().take();
}

}  // namespace sw
