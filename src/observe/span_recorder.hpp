// span_recorder.hpp — a router's spans, from its request_finished events (docs/tracing.md): one
// per request and a child per attempt, with OpenTelemetry's GenAI attributes and libswitch's own,
// to the application's span sink. Spans hold names, numbers and classes from the trace: never a
// header, key, provider message or message content.
#pragma once

#include "observe/provider_names.hpp"

#include <switch/events.hpp>
#include <switch/tracing.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

namespace sw::observe {

class SpanRecorder final : public RouterObserver {
public:
    using WallClock = std::function<std::chrono::system_clock::time_point()>;
    // `wall_clock` places the router's clock on the wall clock when a request ends; default:
    // std::chrono::system_clock.
    explicit SpanRecorder(SpanSink sink, WallClock wall_clock = {});

    // What the configuration says each provider is. Set when a router starts and reloads.
    void set_providers(ProviderTable providers);

    // Records the request's spans when it has a span of its own (its trace context's span_id).
    void on_request_finished(const RequestFinishedEvent& e) override;

private:
    std::shared_ptr<const ProviderTable> providers() const;

    SpanSink sink_;
    WallClock wall_clock_;
    mutable std::mutex providers_mutex_;  // guards the pointer only: readers copy it
    std::shared_ptr<const ProviderTable> providers_;
};

}  // namespace sw::observe
