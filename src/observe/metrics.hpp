// metrics.hpp — a router's metrics, counted from its events (docs/metrics.md): OpenTelemetry's
// GenAI client metrics with the conventions' names, units and buckets, and libswitch's own
// (requests, attempts, retries, fallbacks, breakers, cooldowns, rate limiting, cost, route
// labels, the router's own overhead). Counting takes no lock: every series is found in a lock-free table and counted with
// relaxed atomics. Writing them out (the Prometheus text format, or JSON) may take a lock.
//
// Labels are bounded: models, pools, providers and labels come from the configuration (a model
// the configuration does not have counts as model ""), outcomes from the error classes.
#pragma once

#include "observe/histogram.hpp"
#include "observe/cache_counters.hpp"
#include "observe/ledger_counters.hpp"
#include "observe/provider_names.hpp"
#include "observe/series_table.hpp"

#include <switch/events.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace sw::observe {

// Whether a router's Redis connections are up, and its calls to Redis by how they were answered.
struct SharedStateSample {
    bool up = false;
    std::uint64_t ok = 0;
    std::uint64_t timeout = 0;
    std::uint64_t unavailable = 0;  // no connection up: the decision was local at once
};

class Metrics final : public RouterObserver {
public:
    // What the configuration says each provider is (its gen_ai.provider.name). Set when a router
    // starts and when it reloads; read when written out.
    void set_providers(ProviderTable providers);
    // The usage ledger's counters (docs/ledger.md), written out as switch_ledger_rows_*_total;
    // absent when the router has no ledger.
    void set_ledger_counters(std::shared_ptr<const LedgerCounters> counters);
    // The response cache's counters (docs/cache.md), written out as switch_cache_*; absent when
    // the router has no cache.
    void set_cache_counters(std::shared_ptr<const CacheCounters> counters);
    // Shared state through Redis (docs/scaling.md), read when written out as
    // switch_shared_state_up and switch_shared_state_calls_total; absent without a redis.url.
    void set_shared_state(std::function<SharedStateSample()> read);

    void on_route_decision(const RouteDecisionEvent& e) override;
    void on_attempt_started(const AttemptStartedEvent& e) override;
    void on_attempt_finished(const AttemptFinishedEvent& e) override;
    void on_breaker_transition(const BreakerTransitionEvent& e) override;
    void on_cooldown(const CooldownEvent& e) override;
    void on_request_finished(const RequestFinishedEvent& e) override;

    // The Prometheus text exposition format (version 0.0.4), series sorted by their labels.
    std::string text() const;
    // The same as one JSON object: {"metrics":[{"name","type","help","series":[...]}]}.
    std::string json() const;

private:
    struct Counter {
        std::atomic<std::uint64_t> n{0};
    };
    struct Sum {
        std::atomic<double> total{0};
    };
    struct Gauge {
        std::atomic<double> value{0};
    };
    struct Family;  // one metric as written out (metrics.cpp)
    std::vector<Family> collect() const;
    static void write_cache(const CacheCounters& cache, std::vector<Family>& out);
    static void write_shared_state(const SharedStateSample& sample, std::vector<Family>& out);

    // OpenTelemetry GenAI, by operation, pool, provider, model and error type or token type.
    SeriesTable<Histogram> operation_duration_;
    SeriesTable<Histogram> token_usage_;
    SeriesTable<Histogram> time_to_first_token_;
    // libswitch's own.
    SeriesTable<Counter> requests_;        // model, pool, provider, outcome
    SeriesTable<Counter> attempts_;        // pool, provider, outcome
    SeriesTable<Counter> retries_;         // pool, provider
    SeriesTable<Counter> fallbacks_;       // model, pool
    SeriesTable<Counter> transitions_;     // pool, provider, to
    SeriesTable<Gauge> breaker_state_;     // pool, provider
    SeriesTable<Counter> cooldowns_;       // pool, provider
    SeriesTable<Counter> rate_limited_;    // model
    SeriesTable<Counter> budget_refusals_; // model
    SeriesTable<Sum> cost_;                // model, pool, provider
    SeriesTable<Counter> route_labels_;    // model, label
    Histogram overhead_;                   // router_overhead() of every request, no labels

    mutable std::mutex systems_mutex_;
    ProviderTable providers_;
    std::shared_ptr<const LedgerCounters> ledger_;  // guarded by systems_mutex_
    std::shared_ptr<const CacheCounters> cache_;    // guarded by systems_mutex_
    std::function<SharedStateSample()> shared_state_;  // guarded by systems_mutex_
};

}  // namespace sw::observe
