// metrics.cpp — counting each event, and writing the series out.
#include "observe/metrics.hpp"

#include "common/json_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

namespace sw::observe {

namespace {

// The OpenTelemetry GenAI conventions' bucket boundaries for each histogram.
constexpr std::array<double, 14> kTokenBuckets = {1,      4,       16,      64,      256,      1024,     4096,
                                                  16384,  65536,   262144,  1048576, 4194304, 16777216, 67108864};
constexpr std::array<double, 14> kDurationBuckets = {0.01, 0.02, 0.04, 0.08,  0.16,  0.32,  0.64,
                                                     1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};
constexpr std::array<double, 16> kFirstTokenBuckets = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
                                                       0.25,  0.5,   0.75, 1.0,  2.5,  5.0,  7.5,  10.0};

// The router's own overhead: from 10 µs, where a request through the library lies, to 1 s.
constexpr std::array<double, 16> kOverheadBuckets = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
                                                     0.001,   0.0025,   0.005,   0.01,   0.025,   0.05,
                                                     0.1,     0.25,     0.5,     1.0};

double seconds(Nanos d) { return std::chrono::duration<double>(d).count(); }

// The pool and provider a finished request is counted under: the one that served it, else the
// last one tried; empty when none was.
std::pair<std::string_view, std::string_view> where(const RouteResult& trace) {
    if (!trace.pool_id.empty()) return {trace.pool_id, trace.provider};
    if (!trace.attempts.empty()) return {trace.attempts.back().pool_id, trace.attempts.back().provider};
    return {};
}

double breaker_value(BreakerState s) {
    switch (s) {
        case BreakerState::closed: return 0;
        case BreakerState::half_open: return 1;
        case BreakerState::open: return 2;
    }
    return 0;
}

}  // namespace

void Metrics::set_providers(ProviderTable providers) {
    std::lock_guard lock(systems_mutex_);
    providers_ = std::move(providers);
}

void Metrics::set_ledger_counters(std::shared_ptr<const LedgerCounters> counters) {
    std::lock_guard lock(systems_mutex_);
    ledger_ = std::move(counters);
}

void Metrics::set_cache_counters(std::shared_ptr<const CacheCounters> counters) {
    std::lock_guard lock(systems_mutex_);
    cache_ = std::move(counters);
}

void Metrics::set_shared_state(std::function<SharedStateSample()> read) {
    std::lock_guard lock(systems_mutex_);
    shared_state_ = std::move(read);
}

void Metrics::on_route_decision(const RouteDecisionEvent& e) {
    if (!e.label.empty() && !e.pool.empty()) route_labels_.at({e.model, e.label}).n.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::on_attempt_started(const AttemptStartedEvent& e) {
    if (e.provider_attempt > 1) retries_.at({e.pool, e.provider}).n.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::on_attempt_finished(const AttemptFinishedEvent& e) {
    // Passed over for a budget: never sent, so not an attempt of the provider's (docs/budgets.md).
    if (e.record.error_code == kBudgetExceeded) {
        budget_refusals_.at({e.model}).n.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    attempts_.at({e.record.pool_id, e.record.provider, to_string(e.record.error_class)})
        .n.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::on_breaker_transition(const BreakerTransitionEvent& e) {
    transitions_.at({e.pool, e.provider, to_string(e.to)}).n.fetch_add(1, std::memory_order_relaxed);
    breaker_state_.at({e.pool, e.provider}).value.store(breaker_value(e.to), std::memory_order_relaxed);
}

void Metrics::on_cooldown(const CooldownEvent& e) {
    cooldowns_.at({e.pool, e.provider}).n.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::on_request_finished(const RequestFinishedEvent& e) {
    const RouteResult& trace = e.trace;
    // A model the configuration does not have is not a label value: anyone can send one.
    const std::string_view model = trace.error == RouteError::unknown_model ? std::string_view() : trace.model;
    const auto [pool, provider] = where(trace);
    const bool ok = e.status == 200;
    const std::string_view outcome = to_string(e.error_class);
    requests_.at({model, pool, provider, outcome}).n.fetch_add(1, std::memory_order_relaxed);
    // A cache hit called no model: the GenAI histograms describe model calls, and it spent no
    // tokens (docs/cache.md); switch_cache_lookups_total counts it.
    if (trace.cache_hit) return;
    if (trace.used_fallback) fallbacks_.at({model, pool}).n.fetch_add(1, std::memory_order_relaxed);
    if (e.error_class == ErrorClass::rate_limited) rate_limited_.at({model}).n.fetch_add(1, std::memory_order_relaxed);
    if (e.cost_usd && *e.cost_usd > 0)
        cost_.at({model, pool, provider}).total.fetch_add(*e.cost_usd, std::memory_order_relaxed);

    operation_duration_.at({e.operation, pool, provider, model, ok ? std::string_view() : outcome})
        .observe(seconds(e.latency), kDurationBuckets);
    if (ok && trace.usage.total() > 0) {
        token_usage_.at({e.operation, pool, provider, model, "input"})
            .observe(static_cast<double>(trace.usage.input_tokens), kTokenBuckets);
        token_usage_.at({e.operation, pool, provider, model, "output"})
            .observe(static_cast<double>(trace.usage.output_tokens), kTokenBuckets);
    }
    if (ok && e.time_to_first_token)
        time_to_first_token_.at({e.operation, pool, provider, model})
            .observe(seconds(*e.time_to_first_token), kFirstTokenBuckets);
    overhead_.observe(seconds(router_overhead(trace, e.latency)), kOverheadBuckets);
}

// ---- Writing out -------------------------------------------------------------------------------

struct Metrics::Family {
    struct Sample {
        std::vector<std::pair<std::string_view, std::string>> labels;  // empty values left out
        double value = 0;                    // counters and gauges
        std::vector<std::uint64_t> buckets;  // histograms: cumulative, +Inf last
        double sum = 0;
    };
    std::string_view name, type, help;
    std::span<const double> bounds;  // histograms
    std::vector<Sample> samples;
};

namespace {

using Labels = std::vector<std::pair<std::string_view, std::string>>;

// The label names of each table, in its value order.
constexpr std::array<std::string_view, 4> kRequestLabels = {"model", "pool", "provider", "outcome"};
constexpr std::array<std::string_view, 3> kAttemptLabels = {"pool", "provider", "outcome"};
constexpr std::array<std::string_view, 2> kProviderLabels = {"pool", "provider"};
constexpr std::array<std::string_view, 3> kTransitionLabels = {"pool", "provider", "to"};
constexpr std::array<std::string_view, 2> kFallbackLabels = {"model", "pool"};
constexpr std::array<std::string_view, 1> kModelLabels = {"model"};
constexpr std::array<std::string_view, 3> kCostLabels = {"model", "pool", "provider"};
constexpr std::array<std::string_view, 2> kRouteLabels = {"model", "label"};

template <std::size_t N>
Labels named(const std::array<std::string_view, N>& names, const std::vector<std::string>& values) {
    Labels out;
    for (std::size_t i = 0; i < N && i < values.size(); ++i)
        if (!values[i].empty()) out.emplace_back(names[i], values[i]);
    if (values.empty()) out.emplace_back("overflow", "true");  // the table's overflow series
    return out;
}

}  // namespace

// The response cache's families (docs/cache.md, "Metrics").
void Metrics::write_cache(const CacheCounters& cache, std::vector<Family>& out) {
    Family lookups{"switch_cache_lookups_total", "counter",
                   "Response cache lookups, by result: hit, miss, or bypass (the request said no-cache).", {}, {}};
    for (std::size_t i = 0; i < kCacheLookupResults; ++i) {
        const auto result = static_cast<CacheLookup>(i);
        lookups.samples.push_back({{{"result", std::string(to_string(result))}}, double(cache.of(result)), {}, 0});
    }
    out.push_back(std::move(lookups));
    out.push_back({"switch_cache_stores_total", "counter", "Answers stored in the response cache.", {},
                   {{{}, double(cache.stores.load(std::memory_order_relaxed)), {}, 0}}});
    out.push_back({"switch_cache_too_large_total", "counter",
                   "Answers not stored because they exceed what the response cache may hold.", {},
                   {{{}, double(cache.too_large.load(std::memory_order_relaxed)), {}, 0}}});
    Family evictions{"switch_cache_evictions_total", "counter",
                     "Response cache entries removed, by reason: entries or bytes (least recently used, for room), "
                     "or expired.",
                     {}, {}};
    for (std::size_t i = 0; i < kCacheEvictionReasons; ++i) {
        const auto reason = static_cast<CacheEviction>(i);
        evictions.samples.push_back({{{"reason", std::string(to_string(reason))}}, double(cache.of(reason)), {}, 0});
    }
    out.push_back(std::move(evictions));
    out.push_back({"switch_cache_entries", "gauge", "Answers the response cache holds.", {},
                   {{{}, double(cache.entries.load(std::memory_order_relaxed)), {}, 0}}});
    out.push_back({"switch_cache_bytes", "gauge", "Bytes the response cache holds, approximately.", {},
                   {{{}, double(cache.bytes.load(std::memory_order_relaxed)), {}, 0}}});
}

// Shared state's families (docs/scaling.md, "Metrics and log lines").
void Metrics::write_shared_state(const SharedStateSample& sample, std::vector<Family>& out) {
    out.push_back({"switch_shared_state_up", "gauge",
                   "Whether a connection to the shared-state Redis is up (1), or the process decides on its local "
                   "state alone (0).",
                   {},
                   {{{}, sample.up ? 1.0 : 0.0, {}, 0}}});
    out.push_back({"switch_shared_state_calls_total", "counter",
                   "Calls to the shared-state Redis, by result: ok, timeout (the decision was local), or unavailable "
                   "(no connection up: local at once).",
                   {},
                   {{{{"result", "ok"}}, double(sample.ok), {}, 0},
                    {{{"result", "timeout"}}, double(sample.timeout), {}, 0},
                    {{{"result", "unavailable"}}, double(sample.unavailable), {}, 0}}});
}

std::vector<Metrics::Family> Metrics::collect() const {
    ProviderTable providers;
    std::shared_ptr<const LedgerCounters> ledger;
    std::shared_ptr<const CacheCounters> cache;
    std::function<SharedStateSample()> shared_state;
    {
        std::lock_guard lock(systems_mutex_);
        providers = providers_;
        ledger = ledger_;
        cache = cache_;
        shared_state = shared_state_;
    }
    std::vector<Family> out;
    // A histogram's cumulative bucket counts, +Inf last, and its sum.
    auto fill = [](Family::Sample& sample, const Histogram& h, std::size_t bounds) {
        std::uint64_t running = 0;
        for (std::size_t i = 0; i <= bounds; ++i) {
            running += h.counts[i].load(std::memory_order_relaxed);
            sample.buckets.push_back(running);
        }
        sample.sum = h.sum.load(std::memory_order_relaxed);
    };
    // The GenAI histograms: values (operation, pool, provider, model, last), written with the
    // conventions' attribute names, the provider's gen_ai.provider.name, and pool and provider.
    auto genai = [&](std::string_view name, std::string_view help, const SeriesTable<Histogram>& table,
                     std::span<const double> bounds, std::string_view last) {
        Family f{name, "histogram", help, bounds, {}};
        table.for_each([&](const auto& s) {
            Family::Sample sample;
            const std::vector<std::string>& v = s.labels;
            if (v.size() >= 4) {
                auto add = [&](std::string_view key, const std::string& value) {
                    if (!value.empty()) sample.labels.emplace_back(key, value);
                };
                add("gen_ai_operation_name", v[0]);
                auto names = providers.find({v[1], v[2]});
                if (names != providers.end()) add("gen_ai_provider_name", names->second.system);
                add("gen_ai_request_model", v[3]);
                if (v.size() > 4) add(last, v[4]);
                add("pool", v[1]);
                add("provider", v[2]);
            } else {
                sample.labels.emplace_back("overflow", "true");
            }
            fill(sample, s.value, bounds.size());
            f.samples.push_back(std::move(sample));
        });
        out.push_back(std::move(f));
    };
    genai("gen_ai_client_operation_duration_seconds", "GenAI operation duration.", operation_duration_,
          kDurationBuckets, "error_type");
    genai("gen_ai_client_token_usage", "Number of input and output tokens used.", token_usage_, kTokenBuckets,
          "gen_ai_token_type");
    genai("gen_ai_server_time_to_first_token_seconds", "Time to generate first token for successful responses.",
          time_to_first_token_, kFirstTokenBuckets, "");

    auto counters = [&](std::string_view name, std::string_view help, const auto& table, const auto& names) {
        Family f{name, "counter", help, {}, {}};
        table.for_each([&](const auto& s) {
            f.samples.push_back({named(names, s.labels), double(s.value.n.load(std::memory_order_relaxed)), {}, 0});
        });
        out.push_back(std::move(f));
    };
    counters("switch_requests_total", "Requests finished, by model, serving (or last tried) pool and provider, and outcome.",
             requests_, kRequestLabels);
    counters("switch_attempts_total", "Attempts sent to providers, by outcome.", attempts_, kAttemptLabels);
    counters("switch_retries_total", "Attempts that retried a provider that had failed the same request.", retries_,
             kProviderLabels);
    counters("switch_fallbacks_total", "Requests served by a pool other than their model's primary.", fallbacks_,
             kFallbackLabels);
    counters("switch_breaker_transitions_total", "Circuit breaker transitions, by the state entered.", transitions_,
             kTransitionLabels);
    counters("switch_cooldowns_total", "Times a provider was cooled down (a 429, or its quota spent).", cooldowns_,
             kProviderLabels);
    counters("switch_rate_limited_total", "Requests that failed because every provider was rate limited.",
             rate_limited_, kModelLabels);
    counters("switch_budget_refusals_total", "Attempts not sent because a budget had no room for them.",
             budget_refusals_, kModelLabels);
    counters("switch_route_decisions_total", "Prompt routing decisions, by label.", route_labels_, kRouteLabels);

    Family state{"switch_breaker_state", "gauge", "Each provider's breaker: 0 closed, 1 half-open, 2 open.", {}, {}};
    breaker_state_.for_each([&](const auto& s) {
        state.samples.push_back({named(kProviderLabels, s.labels), s.value.value.load(std::memory_order_relaxed), {}, 0});
    });
    out.push_back(std::move(state));
    Family cost{"switch_cost_usd_total", "counter", "What requests cost in USD, from the usage providers reported.",
                {}, {}};
    cost_.for_each([&](const auto& s) {
        cost.samples.push_back({named(kCostLabels, s.labels), s.value.total.load(std::memory_order_relaxed), {}, 0});
    });
    out.push_back(std::move(cost));
    Family overhead{"switch_router_overhead_seconds", "histogram",
                    "What the router added to each request: its latency less its attempts' exchanges and backoff "
                    "waits.",
                    kOverheadBuckets, {}};
    Family::Sample whole;
    fill(whole, overhead_, kOverheadBuckets.size());
    overhead.samples.push_back(std::move(whole));
    out.push_back(std::move(overhead));

    const std::uint64_t dropped = operation_duration_.dropped() + token_usage_.dropped() +
                                  time_to_first_token_.dropped() + requests_.dropped() + attempts_.dropped() +
                                  retries_.dropped() + fallbacks_.dropped() + transitions_.dropped() +
                                  breaker_state_.dropped() + cooldowns_.dropped() + rate_limited_.dropped() +
                                  budget_refusals_.dropped() + cost_.dropped() + route_labels_.dropped();
    out.push_back({"switch_metrics_series_dropped_total", "counter",
                   "Label sets counted in a metric's overflow series because its table was full.", {},
                   {{{}, double(dropped), {}, 0}}});
    if (ledger) {
        out.push_back({"switch_ledger_rows_written_total", "counter", "Usage ledger rows written to the database.", {},
                       {{{}, double(ledger->written.load(std::memory_order_relaxed)), {}, 0}}});
        Family dropped_rows{"switch_ledger_rows_dropped_total", "counter",
                            "Usage ledger rows dropped, by reason (docs/ledger.md).", {}, {}};
        for (std::size_t i = 0; i < kLedgerDropReasons; ++i) {
            const auto reason = static_cast<LedgerDrop>(i);
            dropped_rows.samples.push_back(
                {{{"reason", std::string(to_string(reason))}}, double(ledger->dropped_of(reason)), {}, 0});
        }
        out.push_back(std::move(dropped_rows));
    }
    if (cache) write_cache(*cache, out);
    if (shared_state) write_shared_state(shared_state(), out);
    for (Family& f : out)
        std::sort(f.samples.begin(), f.samples.end(), [](const auto& a, const auto& b) { return a.labels < b.labels; });
    return out;
}

namespace {

// A label value in the text format: backslash, double quote and line feed escaped.
void append_label_value(std::string& out, std::string_view v) {
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
}

void append_labels(std::string& out, const Labels& labels, std::string_view le = {}) {
    if (labels.empty() && le.empty()) return;
    out += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
        if (!first) out += ',';
        first = false;
        out.append(k).append("=\"");
        append_label_value(out, v);
        out += '"';
    }
    if (!le.empty()) out.append(first ? "" : ",").append("le=\"").append(le).append("\"");
    out += '}';
}

std::string number(double v) { return fmt::format("{}", v); }

}  // namespace

std::string Metrics::text() const {
    std::string out;
    for (const Family& f : collect()) {
        fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, f.type);
        for (const Family::Sample& s : f.samples) {
            if (f.type != "histogram") {
                out.append(f.name);
                append_labels(out, s.labels);
                out.append(" ").append(number(s.value)).append("\n");
                continue;
            }
            for (std::size_t i = 0; i < s.buckets.size(); ++i) {
                out.append(f.name).append("_bucket");
                append_labels(out, s.labels, i < f.bounds.size() ? number(f.bounds[i]) : "+Inf");
                fmt::format_to(std::back_inserter(out), " {}\n", s.buckets[i]);
            }
            out.append(f.name).append("_sum");
            append_labels(out, s.labels);
            out.append(" ").append(number(s.sum)).append("\n");
            out.append(f.name).append("_count");
            append_labels(out, s.labels);
            fmt::format_to(std::back_inserter(out), " {}\n", s.buckets.back());
        }
    }
    return out;
}

std::string Metrics::json() const {
    JsonWriter w;
    w.begin_object().key("metrics").begin_array();
    for (const Family& f : collect()) {
        w.begin_object().key("name").string(f.name).key("type").string(f.type).key("help").string(f.help);
        w.key("series").begin_array();
        for (const Family::Sample& s : f.samples) {
            w.begin_object().key("labels").begin_object();
            for (const auto& [k, v] : s.labels) w.key(k).string(v);
            w.end_object();
            if (f.type != "histogram") {
                w.key("value").number(s.value);
            } else {
                w.key("buckets").begin_array();
                for (std::size_t i = 0; i < s.buckets.size(); ++i) {
                    w.begin_object().key("le");
                    if (i < f.bounds.size()) w.number(f.bounds[i]);
                    else w.string("+Inf");
                    w.key("count").integer(static_cast<std::int64_t>(s.buckets[i])).end_object();
                }
                w.end_array().key("sum").number(s.sum).key("count").integer(static_cast<std::int64_t>(s.buckets.back()));
            }
            w.end_object();
        }
        w.end_array().end_object();
    }
    w.end_array().end_object();
    return w.take();
}

}  // namespace sw::observe
