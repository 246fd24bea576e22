// events.hpp — router events: what a Router reports to its observers while it routes (C++ API).
//
// An observer is set through RouterOptions::observers (C: sw_router_options v2's on_event;
// Python: Router(on_event=...)). Metrics, traces and the usage ledger attach here; the
// router's metrics (docs/metrics.md) listen unless the config turns them off. With no observer
// at all, emitting costs one predictable branch per event site (benchmarks/README.md).
//
// Threads: a request's events arrive in order. route_decision is reported on the thread that
// submitted the request, before the request is handed to its I/O thread; every other event of a
// request on that I/O thread. A breaker transition or a cooldown is reported on the thread that
// caused it: an I/O thread, or the caller of reset_breaker(). Observers must be thread-safe,
// return quickly, and must not make a blocking Router call (it is refused as would_deadlock).
// Views and references in an event are valid only during the call.
//
// An observer should not throw: an exception that escapes one is caught and dropped, so that an
// observer can never lose or change a request.
#pragma once

#include <switch/clock.hpp>
#include <switch/outcome.hpp>
#include <switch/trace.hpp>
#include <switch/tracing.hpp>
#include <switch/switch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sw {

using RequestId = std::uint64_t;

enum class EventKind : std::uint8_t {
    route_decision,
    attempt_started,
    attempt_finished,
    breaker_transition,
    cooldown,
    request_finished
};
SW_API std::string_view to_string(EventKind kind) noexcept;

// Where a request will go: its model and the pool whose chain it follows.
struct RouteDecisionEvent {
    TimePoint time{};  // the router's clock
    RequestId request = 0;
    std::string_view model{};  // as requested
    std::string_view pool{};   // the primary pool; empty for an unknown model (the request fails 404)
    // The prompt router's label; empty when the model routes by pool alone.
    std::string_view label{};
};

// An attempt is about to be sent.
struct AttemptStartedEvent {
    TimePoint time{};
    RequestId request = 0;
    std::string_view model{};
    std::string_view pool{};
    std::string_view provider{};
    int attempt_number = 0;    // 1-based, across the whole request
    int provider_attempt = 0;  // 1-based, on this provider in this pool
    Millis timeout{0};         // the attempt's timeout, clipped to the request deadline
    bool breaker_probe = false;  // the probe of a half-open breaker
    bool health_probe = false;   // the recovery probe of an unhealthy provider
};

// An attempt ended; `record` is its entry in the request's trace.
struct AttemptFinishedEvent {
    TimePoint time{};
    RequestId request = 0;
    std::string_view model{};
    const AttemptRecord& record;
    TokenUsage usage{};  // reported by this attempt, if it succeeded
};

// A provider's breaker changed state in one pool.
struct BreakerTransitionEvent {
    TimePoint time{};
    std::string_view pool{};
    std::string_view provider{};
    BreakerState from = BreakerState::closed;
    BreakerState to = BreakerState::closed;
    Millis open_for{0};      // when `to` is open: until it admits a probe
    bool permanent = false;  // a permanent trip (auth, quota, not found, or a pattern)
    bool manual = false;     // reset_breaker()
};

// A provider gets no traffic in one pool for a while: a 429, or its rate-limit headers said its
// quota is spent until a reset.
struct CooldownEvent {
    TimePoint time{};
    std::string_view pool{};
    std::string_view provider{};
    Millis duration{0};
};

// A request ended, however it ended: served, failed, refused as malformed, or cancelled.
struct RequestFinishedEvent {
    TimePoint time{};
    RequestId request = 0;
    std::string_view correlation_id{};  // ChatOptions::correlation_id
    std::string_view client_id{};       // ChatOptions::client_id
    std::string_view operation{};  // "chat" or "embeddings" (OpenTelemetry's gen_ai.operation.name)
    bool streaming = false;
    int status = 0;  // as in ChatResponse
    ErrorClass error_class = ErrorClass::success;
    const RouteResult& trace;  // model, serving pool and provider, attempts, usage
    std::optional<double> cost_usd{};
    Nanos latency{0};  // from submission to the end
    // Streaming: from submission to the first content chunk the caller received.
    std::optional<Nanos> time_to_first_token{};
    std::string_view finish_reason{};  // of the answer's first choice; empty without one
    // The request's place in a trace (tracing.hpp); null or invalid when it is in none.
    const TraceContext* trace_context = nullptr;
};

// Receives router events. Every member has an empty default, so an observer overrides only what
// it needs. See the top of this file for threads and lifetimes.
class SW_API RouterObserver {
public:
    virtual ~RouterObserver();
    virtual void on_route_decision(const RouteDecisionEvent&) {}
    virtual void on_attempt_started(const AttemptStartedEvent&) {}
    virtual void on_attempt_finished(const AttemptFinishedEvent&) {}
    virtual void on_breaker_transition(const BreakerTransitionEvent&) {}
    virtual void on_cooldown(const CooldownEvent&) {}
    virtual void on_request_finished(const RequestFinishedEvent&) {}
};

// Each event as one JSON object, {"event":"<kind>","time_ns":...,...}: the form the C ABI and
// Python deliver (docs/events.md lists every member). Holds no secret: events carry no header,
// credential or provider message.
SW_API std::string to_json(const RouteDecisionEvent& e);
SW_API std::string to_json(const AttemptStartedEvent& e);
SW_API std::string to_json(const AttemptFinishedEvent& e);
SW_API std::string to_json(const BreakerTransitionEvent& e);
SW_API std::string to_json(const CooldownEvent& e);
SW_API std::string to_json(const RequestFinishedEvent& e);

}  // namespace sw
