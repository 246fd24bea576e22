// span_recorder.cpp — a finished request's spans, built from its trace.
#include "observe/span_recorder.hpp"

#include <fmt/format.h>

namespace sw::observe {

namespace {

std::int64_t unix_nanos(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<Nanos>(t.time_since_epoch()).count();
}

void add(Span& span, std::string_view key, SpanValue value) {
    span.attributes.push_back({key, std::move(value)});
}

void add_usage(Span& span, const TokenUsage& usage) {
    if (usage.total() == 0) return;
    add(span, "gen_ai.usage.input_tokens", static_cast<std::int64_t>(usage.input_tokens));
    add(span, "gen_ai.usage.output_tokens", static_cast<std::int64_t>(usage.output_tokens));
}

const ProviderNames* find(const ProviderTable& table, const std::string& pool, const std::string& provider) {
    auto it = table.find({pool, provider});
    return it == table.end() ? nullptr : &it->second;
}

}  // namespace

SpanRecorder::SpanRecorder(SpanSink sink, WallClock wall_clock)
    : sink_(std::move(sink)),
      wall_clock_(wall_clock ? std::move(wall_clock) : WallClock([] { return std::chrono::system_clock::now(); })),
      providers_(std::make_shared<ProviderTable>()) {}

void SpanRecorder::set_providers(ProviderTable providers) {
    auto table = std::make_shared<const ProviderTable>(std::move(providers));
    std::lock_guard lock(providers_mutex_);
    providers_ = std::move(table);
}

std::shared_ptr<const ProviderTable> SpanRecorder::providers() const {
    std::lock_guard lock(providers_mutex_);
    return providers_;
}

void SpanRecorder::on_request_finished(const RequestFinishedEvent& e) {
    const TraceContext* context = e.trace_context;
    if (context == nullptr || !context->valid() || context->span_id == 0) return;
    const RouteResult& trace = e.trace;
    const std::shared_ptr<const ProviderTable> table = providers();
    // The router's clock placed on the wall clock at the request's end.
    const std::int64_t end_wall = unix_nanos(wall_clock_());
    const TimePoint start_steady = e.time - e.latency;
    const std::int64_t start_wall = end_wall - e.latency.count();
    auto wall = [&](TimePoint t) { return start_wall + (t - start_steady).count(); };

    // Each attempt: a client span under the request's.
    for (std::size_t i = 0; i < trace.attempts.size(); ++i) {
        const AttemptRecord& a = trace.attempts[i];
        const ProviderNames* names = find(*table, a.pool_id, a.provider);
        Span span;
        span.name = fmt::format("{} {}", e.operation, names ? names->model : a.provider);
        span.kind = SpanKind::client;
        span.trace_id = context->trace_id;
        span.span_id = attempt_span_id(context->span_id, static_cast<int>(i) + 1);
        span.parent_span_id = context->span_id;
        span.flags = context->flags;
        span.start_unix_nanos = wall(a.started);
        span.end_unix_nanos = span.start_unix_nanos + a.latency.count();
        span.attributes.reserve(12);
        add(span, "gen_ai.operation.name", std::string(e.operation));
        if (names) {
            add(span, "gen_ai.provider.name", names->system);
            add(span, "gen_ai.request.model", names->model);
        }
        if (a.http_status != 0) add(span, "http.response.status_code", static_cast<std::int64_t>(a.http_status));
        add(span, "libswitch.pool", a.pool_id);
        add(span, "libswitch.provider", a.provider);
        add(span, "libswitch.attempt", static_cast<std::int64_t>(i + 1));
        if (a.backoff_waited.count() > 0) add(span, "libswitch.backoff_ms", static_cast<std::int64_t>(a.backoff_waited.count()));
        if (a.cost_usd) add(span, "libswitch.cost_usd", *a.cost_usd);
        if (a.error_class == ErrorClass::success) {
            // The serving attempt: its answer's model and usage.
            if (names) add(span, "gen_ai.response.model", names->model);
            if (!e.finish_reason.empty())
                add(span, "gen_ai.response.finish_reasons", std::vector<std::string>{std::string(e.finish_reason)});
            add_usage(span, trace.usage);
        } else {
            span.error = true;
            span.status_message = std::string(to_string(a.error_class));
            add(span, "error.type", span.status_message);
            if (a.transport != TransportError::none) add(span, "libswitch.transport_error", std::string(to_string(a.transport)));
            if (!a.error_code.empty()) add(span, "libswitch.error_code", a.error_code);
        }
        sink_(span);
    }

    // The request: an internal span, under the caller's when it came with one.
    Span span;
    span.name = fmt::format("{} {}", e.operation, trace.model);
    span.kind = SpanKind::internal;
    span.trace_id = context->trace_id;
    span.span_id = context->span_id;
    span.parent_span_id = context->parent_span_id;
    span.flags = context->flags;
    span.start_unix_nanos = start_wall;
    span.end_unix_nanos = end_wall;
    span.attributes.reserve(16);
    add(span, "gen_ai.operation.name", std::string(e.operation));
    if (!trace.model.empty()) add(span, "gen_ai.request.model", trace.model);
    if (const ProviderNames* names = trace.ok ? find(*table, trace.pool_id, trace.provider) : nullptr) {
        add(span, "gen_ai.provider.name", names->system);
        add(span, "gen_ai.response.model", names->model);
    }
    if (!e.finish_reason.empty())
        add(span, "gen_ai.response.finish_reasons", std::vector<std::string>{std::string(e.finish_reason)});
    add_usage(span, trace.usage);
    add(span, "libswitch.request_id", static_cast<std::int64_t>(e.request));
    if (!e.correlation_id.empty()) add(span, "libswitch.correlation_id", std::string(e.correlation_id));
    add(span, "libswitch.streaming", e.streaming);
    add(span, "libswitch.status", static_cast<std::int64_t>(e.status));
    if (trace.ok) {
        add(span, "libswitch.pool", trace.pool_id);
        add(span, "libswitch.provider", trace.provider);
    }
    add(span, "libswitch.used_fallback", trace.used_fallback);
    if (trace.cache_hit) add(span, "libswitch.cache_hit", true);  // docs/cache.md: no attempt, no provider call
    add(span, "libswitch.attempts", static_cast<std::int64_t>(trace.attempts.size()));
    if (trace.route && !trace.route->label.empty()) add(span, "libswitch.route.label", trace.route->label);
    if (e.cost_usd) add(span, "libswitch.cost_usd", *e.cost_usd);
    add(span, "libswitch.overhead_us",
        static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::microseconds>(router_overhead(trace, e.latency)).count()));
    if (e.status != 200) {
        span.error = true;
        span.status_message = std::string(to_string(e.error_class));
        add(span, "error.type", span.status_message);
        if (trace.error != RouteError::none) add(span, "libswitch.route_error", std::string(to_string(trace.error)));
    }
    sink_(span);
}

}  // namespace sw::observe
