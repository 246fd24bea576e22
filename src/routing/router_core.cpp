// router_core.cpp — building the runtime state from a Config, the status snapshot and resets.
#include "common/notify.hpp"
#include "routing/chain.hpp"
#include "routing/cost.hpp"
#include "routing/core_state.hpp"
#include "routing/selector.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sw {
namespace {

Millis to_ms_ceil(Nanos d) {
    if (d.count() <= 0) return Millis{0};
    return std::chrono::ceil<Millis>(d);
}

}  // namespace

std::string_view to_string(BreakerState s) noexcept {
    switch (s) {
        case BreakerState::closed: return "closed";
        case BreakerState::open: return "open";
        case BreakerState::half_open: return "half_open";
    }
    return "unknown";
}

Nanos router_overhead(const RouteResult& trace, Nanos total) noexcept {
    Nanos upstream{0};
    for (const AttemptRecord& a : trace.attempts) upstream += a.latency + a.backoff_waited;
    return std::max(Nanos{0}, total - upstream);
}

std::string_view to_string(RouteError e) noexcept {
    switch (e) {
        case RouteError::none: return "none";
        case RouteError::unknown_model: return "unknown_model";
        case RouteError::exhausted: return "exhausted";
        case RouteError::deadline_exceeded: return "deadline_exceeded";
        case RouteError::rejected: return "rejected";
        case RouteError::stream_interrupted: return "stream_interrupted";
        case RouteError::attempts_exceeded: return "attempts_exceeded";
        case RouteError::cancelled: return "cancelled";
        case RouteError::would_deadlock: return "would_deadlock";
    }
    return "unknown";
}

Nanos full_jitter_backoff(Millis retry_delay, int n, Random& random) noexcept {
    const auto cap = std::chrono::duration_cast<Nanos>(kMaxBackoff).count();
    const auto base = std::chrono::duration_cast<Nanos>(retry_delay).count();
    std::int64_t bound = cap;
    if (base <= 0) {
        bound = 0;
    } else if (n < 62 && base <= (cap >> std::min(n, 62))) {
        bound = base << n;
    }
    return Nanos{static_cast<std::int64_t>(random.uniform() * static_cast<double>(bound))};
}

RouterCore::RouterCore(std::shared_ptr<const Config> config, std::shared_ptr<Clock> clock,
                       std::shared_ptr<Random> random, std::shared_ptr<RouterObserver> observer,
                       health::StateStore* store)
    : impl_(std::make_shared<AttemptLoop::Impl>()) {
    if (!config || !clock || !random)
        throw std::invalid_argument("RouterCore: config, clock and random must not be null");
    auto& s = *impl_;
    s.config = std::move(config);
    s.clock = std::move(clock);
    s.random = std::move(random);
    s.observer = std::move(observer);
    if (store) s.store = store;
    const Config& cfg = *s.config;

    s.pool_count = cfg.pools.size();
    s.pools = std::make_unique<routing::PoolRuntime[]>(s.pool_count);
    s.patterns.resize(s.pool_count);
    std::size_t total = 0;
    for (std::size_t i = 0; i < s.pool_count; ++i) {
        const PoolConfig& pool = cfg.pools[i];
        if (pool.providers.size() > kMaxProvidersPerPool)
            throw std::invalid_argument("RouterCore: pool \"" + pool.id + "\" has more than " +
                                        std::to_string(kMaxProvidersPerPool) + " providers");
        s.pools[i].config = &pool;
        s.pools[i].first = static_cast<std::uint32_t>(total);
        s.pools[i].count = static_cast<std::uint32_t>(pool.providers.size());
        total += pool.providers.size();
        // Compiled once; the loader has validated them, so a pattern RE2 rejects is skipped.
        re2::RE2::Options opts;
        opts.set_case_sensitive(false);
        opts.set_log_errors(false);
        for (const std::string& pattern : pool.circuit_breaker.permanent.error_patterns) {
            auto re = std::make_unique<re2::RE2>(pattern, opts);
            if (re->ok()) s.patterns[i].patterns.push_back(std::move(re));
        }
        s.pool_by_id.emplace(pool.id, static_cast<std::uint32_t>(i));
    }
    s.provider_count = total;
    s.providers = std::make_unique<health::ProviderState[]>(total);
    for (std::size_t i = 0; i < s.pool_count; ++i) {
        const PoolConfig& pool = cfg.pools[i];
        for (std::uint32_t j = 0; j < pool.providers.size(); ++j) {
            const std::uint32_t g = s.pools[i].first + j;
            s.providers[g].init(g, pool, pool.providers[j], s.patterns[i],
                                routing::price_per_token(pool.providers[j]), &s.pools[i].version,
                                *s.store);
            if (s.providers[g].has_rate_limits()) s.pools[i].cacheable = false;
        }
    }
    s.chains.resize(s.pool_count);
    for (std::size_t i = 0; i < s.pool_count; ++i) {
        AttemptLoop::Impl::Chain& chain = s.chains[i];
        chain.pools = routing::plan_chain(cfg, static_cast<std::uint32_t>(i));
        for (std::uint32_t pool : chain.pools) {
            chain.offsets.push_back(chain.slots);
            chain.slots += s.pools[pool].count;
        }
    }
    for (const ModelConfig& m : cfg.models) {
        auto it = s.pool_by_id.find(m.primary_pool_id);
        if (it != s.pool_by_id.end()) s.model_pool.emplace(m.name, it->second);
    }
}

RouterCore::~RouterCore() = default;

const Config& RouterCore::config() const noexcept { return *impl_->config; }
Clock& RouterCore::clock() const noexcept { return *impl_->clock; }

AttemptLoop RouterCore::begin(std::string_view model, const RequestOptions& options) const {
    auto it = impl_->model_pool.find(std::string(model));
    const std::uint32_t pool = it == impl_->model_pool.end() ? AttemptLoop::kNoChain : it->second;
    return AttemptLoop(impl_, std::string(model), pool, options, impl_->clock->now());
}

AttemptLoop RouterCore::begin_pool(std::string_view pool_id, const RequestOptions& options,
                                   std::string_view model) const {
    auto it = impl_->pool_by_id.find(std::string(pool_id));
    const std::uint32_t pool = it == impl_->pool_by_id.end() ? AttemptLoop::kNoChain : it->second;
    return AttemptLoop(impl_, std::string(model.empty() ? pool_id : model), pool, options, impl_->clock->now());
}

std::vector<std::string> RouterCore::pool_chain(std::string_view pool_id) const {
    std::vector<std::string> out;
    auto it = impl_->pool_by_id.find(std::string(pool_id));
    if (it == impl_->pool_by_id.end()) return out;
    for (std::uint32_t p : impl_->chains[it->second].pools) out.push_back(impl_->config->pools[p].id);
    return out;
}

RouterStatus RouterCore::status() const {
    auto& s = *impl_;
    const TimePoint now = s.clock->now();
    RouterStatus out;
    out.pools.reserve(s.pool_count);
    for (std::size_t i = 0; i < s.pool_count; ++i) {
        const routing::PoolRuntime& pool = s.pools[i];
        PoolStatus ps;
        ps.id = pool.config->id;
        ps.name = pool.config->name;
        ps.strategy = pool.config->strategy;
        ps.min_healthy_providers = pool.config->health.min_healthy_providers;
        ps.healthy_providers = routing::healthy_providers(s, pool, now);
        for (std::uint32_t j = 0; j < pool.count; ++j) {
            const health::ProviderState& p = s.providers[pool.first + j];
            ProviderStatus st;
            st.name = p.config().name;
            st.breaker = p.breaker_state();
            if (st.breaker == BreakerState::open) st.open_remaining = to_ms_ceil(p.open_until() - now);
            const auto c = p.window_counts(now);
            st.window_requests = c.total;
            st.error_rate = c.total ? 100.0 * c.failures / c.total : 0.0;
            if (p.ewma_ns() >= 0)
                st.ewma_latency = std::chrono::duration_cast<Millis>(Nanos{p.ewma_ns()});
            st.in_flight = p.in_flight();
            st.consecutive_failures = p.consecutive_failures();
            st.permanent_trips = p.permanent_trips();
            st.cooldown_remaining = to_ms_ceil(p.cooldown_until() - now);
            st.healthy = p.breaker_admits(now) && p.healthy(now);
            st.effective_weight = p.weight();
            ps.providers.push_back(std::move(st));
        }
        out.pools.push_back(std::move(ps));
    }
    return out;
}

bool RouterCore::reset_breaker(std::string_view pool_id, std::string_view provider_name) {
    auto& s = *impl_;
    auto it = s.pool_by_id.find(std::string(pool_id));
    if (it == s.pool_by_id.end()) return false;
    const routing::PoolRuntime& pool = s.pools[it->second];
    const TimePoint now = s.clock->now();
    bool found = false;
    for (std::uint32_t j = 0; j < pool.count; ++j) {
        health::ProviderState& p = s.providers[pool.first + j];
        if (p.config().name == provider_name) {
            const BreakerState was = p.reset_breaker(now);
            found = true;
            if (s.observer && was != BreakerState::closed) {
                BreakerTransitionEvent e{.time = now, .pool = pool.config->id,
                                         .provider = p.config().name, .from = was,
                                         .to = BreakerState::closed, .manual = true};
                notify(*s.observer, &RouterObserver::on_breaker_transition, e);
            }
        }
    }
    return found;
}

bool RouterCore::apply_shared(std::string_view pool_id, std::string_view provider_name,
                              const health::SharedBreakerView& view) {
    auto& s = *impl_;
    auto it = s.pool_by_id.find(std::string(pool_id));
    if (it == s.pool_by_id.end()) return false;
    const routing::PoolRuntime& pool = s.pools[it->second];
    const TimePoint now = s.clock->now();
    for (std::uint32_t j = 0; j < pool.count; ++j) {
        health::ProviderState& p = s.providers[pool.first + j];
        if (p.config().name != provider_name) continue;
        const health::RecordEffects effects = p.apply_shared(view, now);
        // Another process's open or close is this process's transition too: the metrics, the
        // log and the application hear it as one.
        if (s.observer && effects.breaker_changed()) {
            BreakerTransitionEvent e{.time = now, .pool = pool.config->id, .provider = p.config().name,
                                     .from = effects.from, .to = effects.to,
                                     .open_for = to_ms_ceil(effects.open_for),
                                     .permanent = effects.permanent};
            notify(*s.observer, &RouterObserver::on_breaker_transition, e);
        }
        return true;
    }
    return false;
}

std::size_t RouterCore::carry_state_from(const RouterCore& previous) {
    auto& s = *impl_;
    const auto& old = *previous.impl_;
    const TimePoint now = s.clock->now();
    std::size_t carried = 0;
    for (std::size_t i = 0; i < s.pool_count; ++i) {
        const routing::PoolRuntime& pool = s.pools[i];
        auto it = old.pool_by_id.find(pool.config->id);
        if (it == old.pool_by_id.end()) continue;
        const routing::PoolRuntime& old_pool = old.pools[it->second];
        for (std::uint32_t j = 0; j < pool.count; ++j) {
            health::ProviderState& p = s.providers[pool.first + j];
            for (std::uint32_t k = 0; k < old_pool.count; ++k) {
                const health::ProviderState& q = old.providers[old_pool.first + k];
                if (q.config().name == p.config().name) {
                    p.carry_from(q, now);
                    ++carried;
                    break;
                }
            }
        }
    }
    return carried;
}

}  // namespace sw
