// bench_routing.cpp — the cost of one routing decision per strategy and pool size, of recording
// an outcome, and of a whole request; heap allocations are counted per operation.
#include "ledger/ledger.hpp"
#include "ledger/sqlite_store.hpp"
#include "observe/metrics.hpp"
#include "observe/span_recorder.hpp"
#include "routing/core_state.hpp"
#include "routing/selector.hpp"

#include <switch/events.hpp>
#include <switch/testing/fake_clock.hpp>
#include <switch/sys/router_core.hpp>

#include <benchmark/benchmark.h>

#include "alloc_counter.hpp"

#include <filesystem>
#include <vector>

namespace {

using namespace std::chrono_literals;

struct Fixture {
    std::shared_ptr<sw::FakeClock> clock = std::make_shared<sw::FakeClock>();
    std::shared_ptr<sw::SplitMixRandom> random = std::make_shared<sw::SplitMixRandom>(1);
    std::unique_ptr<sw::RouterCore> core;

    Fixture(sw::Strategy strategy, int providers, std::shared_ptr<sw::RouterObserver> observer = nullptr) {
        auto config = std::make_shared<sw::Config>();
        sw::PoolConfig pool;
        pool.id = "p";
        pool.strategy = strategy;
        for (int i = 0; i < providers; ++i) {
            sw::ProviderConfig p;
            p.name = "provider" + std::to_string(i);
            p.priority = 1 + i % 2;  // two tiers
            p.weight = 1 + i % 5;
            p.cost_per_token = 0.001 * (1 + i % 7);
            pool.providers.push_back(p);
        }
        config->pools.push_back(pool);
        sw::ModelConfig m;
        m.name = "m";
        m.primary_pool_id = "p";
        config->models.push_back(m);
        core = std::make_unique<sw::RouterCore>(config, clock, random, std::move(observer));
        // Measure every provider once so fastest_response is in its steady state.
        auto& impl = core->impl();
        for (std::size_t i = 0; i < impl.provider_count; ++i) {
            sw::detail::ProviderTicket t;
            impl.providers[i].try_acquire(clock->now(), 30s, 0, t);
            sw::Outcome o;
            o.http_status = 200;
            o.latency = std::chrono::milliseconds(10 + static_cast<int>(i) * 3 % 17);
            impl.providers[i].record(t, clock->now(), o, sw::ErrorClass::success);
        }
    }
};

void report_allocations(benchmark::State& state, std::uint64_t before) {
    const double per_op = static_cast<double>(allocation_count() - before) /
                          static_cast<double>(std::max<std::int64_t>(state.iterations(), 1));
    state.counters["allocs_per_op"] = per_op;
}

void BM_Select(benchmark::State& state) {
    const auto strategy = static_cast<sw::Strategy>(state.range(0));
    Fixture f(strategy, static_cast<int>(state.range(1)));
    auto& impl = f.core->impl();
    auto& pool = impl.pools[0];
    const sw::TimePoint now = f.clock->now();
    const std::uint64_t before = allocation_count();
    for (auto _ : state) {
        sw::routing::Pick p = sw::routing::select_provider(impl, pool, nullptr, now, 0);
        benchmark::DoNotOptimize(p);
    }
    report_allocations(state, before);
    state.SetLabel(std::string(sw::to_string(strategy)));
}

// The same decision when the request has excluded a provider (after a failure): the cached
// tier cannot be used and the pool is scanned.
void BM_SelectScan(benchmark::State& state) {
    const auto strategy = static_cast<sw::Strategy>(state.range(0));
    const int n = static_cast<int>(state.range(1));
    Fixture f(strategy, n);
    auto& impl = f.core->impl();
    auto& pool = impl.pools[0];
    const sw::TimePoint now = f.clock->now();
    std::vector<std::uint8_t> excluded(static_cast<std::size_t>(n), 0);
    excluded.back() = 1;
    const std::uint64_t before = allocation_count();
    for (auto _ : state) {
        sw::routing::Pick p = sw::routing::select_provider(impl, pool, excluded.data(), now, 0);
        benchmark::DoNotOptimize(p);
    }
    report_allocations(state, before);
    state.SetLabel(std::string(sw::to_string(strategy)));
}

void BM_AcquireAndRecord(benchmark::State& state) {
    Fixture f(sw::Strategy::round_robin, 2);
    auto& s = f.core->impl().providers[0];
    const sw::TimePoint now = f.clock->now();
    sw::Outcome ok;
    ok.http_status = 200;
    ok.latency = 20ms;
    const std::uint64_t before = allocation_count();
    for (auto _ : state) {
        sw::detail::ProviderTicket t;
        s.try_acquire(now, 30s, 0, t);
        s.record(t, now, ok, sw::ErrorClass::success);
    }
    report_allocations(state, before);
}

void BM_RecordFailure(benchmark::State& state) {
    Fixture f(sw::Strategy::round_robin, 2);
    auto& s = f.core->impl().providers[0];
    sw::Outcome bad;
    bad.http_status = 503;
    const std::uint64_t before = allocation_count();
    for (auto _ : state) {
        sw::detail::ProviderTicket t;
        if (!s.try_acquire(f.clock->now(), 30s, 0, t)) {
            s.reset_breaker(f.clock->now());
            continue;
        }
        s.record(t, f.clock->now(), bad, sw::ErrorClass::transient);
        if (s.breaker_state() != sw::BreakerState::closed) s.reset_breaker(f.clock->now());
    }
    report_allocations(state, before);
}

void BM_Classify(benchmark::State& state) {
    sw::Outcome o;
    o.http_status = 400;
    o.error_code = "context_length_exceeded";
    for (auto _ : state) benchmark::DoNotOptimize(sw::classify(o));
}

// Counts the events of the routing core (a whole request has three: its route, its attempt's
// start and end), to show what listening costs.
struct EventCounter final : sw::RouterObserver {
    std::uint64_t events = 0;
    void on_route_decision(const sw::RouteDecisionEvent&) override { ++events; }
    void on_attempt_started(const sw::AttemptStartedEvent&) override { ++events; }
    void on_attempt_finished(const sw::AttemptFinishedEvent&) override { ++events; }
};

// A whole request (begin, next, report) for comparison: this path allocates for the
// per-request state and the trace, by design. `observer` may be null: BM_WholeRequest shows
// that not listening costs nothing measurable, BM_WholeRequestObserved what listening costs
// (benchmarks/README.md, "Router events").
void whole_request(benchmark::State& state, const std::shared_ptr<sw::RouterObserver>& observer,
                   const EventCounter* counter = nullptr) {
    Fixture f(sw::Strategy::round_robin, static_cast<int>(state.range(0)), observer);
    sw::Outcome ok;
    ok.http_status = 200;
    ok.latency = 20ms;
    const std::uint64_t before = allocation_count();
    for (auto _ : state) {
        auto loop = f.core->begin("m");
        auto a = loop.next(f.clock->now());
        loop.report(ok, f.clock->now());
        benchmark::DoNotOptimize(a);
    }
    report_allocations(state, before);
    if (counter)
        state.counters["events_per_op"] = static_cast<double>(counter->events) /
                                          static_cast<double>(std::max<std::int64_t>(state.iterations(), 1));
}

void BM_WholeRequest(benchmark::State& state) { whole_request(state, nullptr); }
void BM_WholeRequestObserved(benchmark::State& state) {
    auto counter = std::make_shared<EventCounter>();
    whole_request(state, counter, counter.get());
}
// The router's metrics counting the routing core's three events of a request.
void BM_WholeRequestMetrics(benchmark::State& state) { whole_request(state, std::make_shared<sw::observe::Metrics>()); }

// The rest of what metrics cost a request: its request_finished event (the driver's), counted.
void BM_MetricsRequestFinished(benchmark::State& state) {
    sw::observe::Metrics metrics;
    sw::RouteResult trace;
    trace.ok = true;
    trace.model = "chat";
    trace.pool_id = "primary";
    trace.provider = "openai-gpt4o-mini";
    trace.usage = {120, 40};
    const sw::RequestFinishedEvent e{.time = sw::TimePoint{}, .request = 42, .operation = "chat", .streaming = true,
                                     .status = 200, .error_class = sw::ErrorClass::success, .trace = trace,
                                     .cost_usd = 0.0004, .latency = 80ms, .time_to_first_token = 20ms};
    const std::uint64_t before = allocation_count();
    for (auto _ : state) metrics.on_request_finished(e);
    report_allocations(state, before);
}

// What the usage ledger adds to a request: its request_finished event copied into a row and
// pushed onto the writer's queue (docs/ledger.md), alone (Arg 0) and after the metrics (Arg 1).
// A real writer drains the queue into a SQLite file in the temp directory; the timing pauses
// every 4,096 requests while it catches up, so that every push finds room (a full queue would
// time the cheaper drop instead).
void BM_LedgerRequestFinished(benchmark::State& state) {
    const bool with_metrics = state.range(0) != 0;
    const auto path = std::filesystem::temp_directory_path() / "switch-bench-ledger.db";
    std::filesystem::remove(path);
    sw::observe::Metrics metrics;
    sw::ledger::Ledger ledger(std::make_unique<sw::ledger::SqliteStore>(path.string()));
    sw::RouteResult trace;
    trace.ok = true;
    trace.model = "chat";
    trace.pool_id = "primary";
    trace.provider = "openai-gpt4o-mini";
    trace.usage = {120, 40};
    trace.attempts.resize(1);
    const sw::RequestFinishedEvent e{.time = sw::TimePoint{}, .request = 42, .operation = "chat", .streaming = true,
                                     .status = 200, .error_class = sw::ErrorClass::success, .trace = trace,
                                     .cost_usd = 0.0004, .latency = 80ms, .time_to_first_token = 20ms};
    std::uint64_t n = 0;
    for (auto _ : state) {
        if (with_metrics) metrics.on_request_finished(e);
        ledger.on_request_finished(e);
        if (++n % 4096 == 0) {
            state.PauseTiming();
            ledger.flush(std::chrono::milliseconds(10000));
            state.ResumeTiming();
        }
    }
    // (No allocation count: the writer thread's would be counted with the request path's.)
    ledger.shutdown();
    state.counters["dropped"] = static_cast<double>(ledger.counters()->dropped_total());
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
}

// What traces add to a request (docs/tracing.md): its spans built from a served request's
// request_finished event and handed to a sink that does nothing, for a request served on its
// first attempt (Arg 1) and after a failed one (Arg 2). Arg 0: the same event without a span of
// its own, which is what a router without a span sink pays.
void BM_SpansRequestFinished(benchmark::State& state) {
    const int attempts = static_cast<int>(state.range(0));
    std::uint64_t spans = 0;
    sw::observe::SpanRecorder recorder([&spans](const sw::Span&) { ++spans; });
    recorder.set_providers({{{"primary", "openai-gpt4o-mini"}, {"openai", "gpt-4o-mini"}},
                            {{"backup", "anthropic-haiku"}, {"anthropic", "claude-3-5-haiku-latest"}}});
    sw::RouteResult trace;
    trace.ok = true;
    trace.model = "chat";
    trace.pool_id = attempts > 1 ? "backup" : "primary";
    trace.provider = attempts > 1 ? "anthropic-haiku" : "openai-gpt4o-mini";
    trace.usage = {120, 40};
    trace.attempts.resize(static_cast<std::size_t>(std::max(attempts, 1)));
    trace.attempts.back() = {trace.pool_id, trace.provider, 200, sw::TransportError::none, sw::ErrorClass::success,
                             "", sw::TimePoint{10ms}, 60ms, 0ms, 0.0004};
    if (attempts > 1)
        trace.attempts.front() = {"primary", "openai-gpt4o-mini", 503, sw::TransportError::none,
                                  sw::ErrorClass::transient, "overloaded", sw::TimePoint{2ms}, 5ms, 0ms, std::nullopt};
    sw::TraceContext context;
    context.trace_id = {0x0af7651916cd43ddULL, 0x8448eb211c80319cULL};
    context.parent_span_id = 0xb7ad6b7169203331ULL;
    context.span_id = attempts > 0 ? 0x1111222233334444ULL : 0;
    context.flags = 1;
    const sw::RequestFinishedEvent e{.time = sw::TimePoint{80ms}, .request = 42, .operation = "chat",
                                     .streaming = true, .status = 200, .error_class = sw::ErrorClass::success,
                                     .trace = trace, .cost_usd = 0.0004, .latency = 80ms,
                                     .time_to_first_token = 20ms, .finish_reason = "stop", .trace_context = &context};
    const std::uint64_t before = allocation_count();
    for (auto _ : state) recorder.on_request_finished(e);
    report_allocations(state, before);
    state.counters["spans"] = benchmark::Counter(static_cast<double>(spans), benchmark::Counter::kAvgIterations);
}

// What the C ABI and Python pay per event on top: its JSON (here the largest routing event).
void BM_EventJson(benchmark::State& state) {
    sw::AttemptRecord record;
    record.pool_id = "primary";
    record.provider = "openai-gpt4o-mini";
    record.http_status = 503;
    record.error_class = sw::ErrorClass::transient;
    record.error_code = "server_error";
    record.latency = 120ms;
    const sw::AttemptFinishedEvent e{.time = sw::TimePoint{}, .request = 42, .model = "chat", .record = record,
                                     .usage = {}};
    const std::uint64_t before = allocation_count();
    for (auto _ : state) benchmark::DoNotOptimize(sw::to_json(e));
    report_allocations(state, before);
}

void strategies_and_sizes(benchmark::internal::Benchmark* b) {
    for (int s = 0; s < 5; ++s)
        for (int n : {2, 16, 64}) b->Args({s, n});
}

}  // namespace

BENCHMARK(BM_Select)->Apply(strategies_and_sizes);
BENCHMARK(BM_SelectScan)->Apply(strategies_and_sizes);
BENCHMARK(BM_AcquireAndRecord);
BENCHMARK(BM_RecordFailure);
BENCHMARK(BM_Classify);

BENCHMARK(BM_WholeRequest)->Arg(2)->Arg(16);
BENCHMARK(BM_WholeRequestObserved)->Arg(2)->Arg(16);
BENCHMARK(BM_WholeRequestMetrics)->Arg(2)->Arg(16);
BENCHMARK(BM_MetricsRequestFinished);
BENCHMARK(BM_LedgerRequestFinished)->Arg(0)->Arg(1);
BENCHMARK(BM_SpansRequestFinished)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(BM_EventJson);
BENCHMARK(BM_Select)->Apply(strategies_and_sizes)->Threads(2)->Name("BM_Select_2threads");

BENCHMARK_MAIN();
