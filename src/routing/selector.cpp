// selector.cpp — provider selection: tiers and the five strategies.
#include "routing/selector.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sw::routing {

namespace {

constexpr std::size_t kCap = RouterCore::kMaxProvidersPerPool;

bool any_excluded(const std::uint8_t* excluded, std::uint32_t n) noexcept {
    if (!excluded) return false;
    for (std::uint32_t i = 0; i < n; ++i)
        if (excluded[i]) return true;
    return false;
}

// A tier of providers due for their recovery probe (see the key below).
constexpr std::uint32_t kProbeTier = 0x80000000u;

// Scans the pool: the eligible providers of the best tier, and (if asked) the earliest instant
// at which the answer can change by time alone. The count carries kProbeTier when the tier is
// one of providers due for their recovery probe.
std::uint32_t scan(AttemptLoop::Impl& core, const PoolRuntime& pool, const std::uint8_t* excluded,
                   TimePoint now, std::uint64_t tokens, std::uint16_t* idx,
                   std::int64_t* valid_until) noexcept {
    const PoolConfig& pc = *pool.config;
    const bool cost_first =
        pc.strategy == Strategy::cost_optimized && pc.cost_optimization.prioritize_cost;
    const bool has_max_cost = pc.cost_optimization.max_cost_per_token.has_value();
    const double max_cost = has_max_cost ? *pc.cost_optimization.max_cost_per_token : 0.0;
    const health::ProviderState* ps = &core.providers[pool.first];
    std::uint32_t m = 0;
    std::uint32_t min_key = std::numeric_limits<std::uint32_t>::max();
    if (valid_until) *valid_until = std::numeric_limits<std::int64_t>::max();
    for (std::uint32_t i = 0; i < pool.count; ++i) {
        if (excluded && excluded[i]) continue;
        const health::ProviderState& p = ps[i];
        if (has_max_cost && std::isfinite(p.cost()) && p.cost() > max_cost) continue;
        if (valid_until) *valid_until = std::min(*valid_until, p.next_time_change(now));
        if (!p.eligible(now, tokens)) continue;
        // Bit 0 puts a provider due for its recovery probe ahead of the healthy ones of its
        // priority; a provider that is merely unhealthy goes to the unhealthy tier.
        const bool healthy = p.healthy(now);
        const bool probe = !healthy && p.probe_due(now);
        const std::uint32_t key =
            (static_cast<std::uint32_t>(p.standby()) << 12) |
            (static_cast<std::uint32_t>(!healthy && !probe) << 11) |
            ((cost_first ? 0u : static_cast<std::uint32_t>(p.priority())) << 1) |
            static_cast<std::uint32_t>(!probe);
        if (key > min_key) continue;
        if (key < min_key) {
            min_key = key;
            m = 0;
        }
        idx[m++] = static_cast<std::uint16_t>(i);
    }
    return m > 0 && (min_key & 1u) == 0 ? m | kProbeTier : m;
}

bool read_cache(PoolRuntime& pool, TimePoint now, std::uint16_t* idx, std::uint32_t& m) noexcept {
    const std::uint64_t s1 = pool.seq.load(std::memory_order_acquire);
    if (s1 & 1) return false;
    // Acquire loads of the data and release stores by the writer (no fences, which TSan cannot
    // follow): if any value read is the writer's new one, so is the odd sequence number.
    if (pool.built_for.load(std::memory_order_acquire) !=
        pool.version.load(std::memory_order_acquire))
        return false;
    if (now.time_since_epoch().count() >= pool.valid_until.load(std::memory_order_acquire))
        return false;
    const std::uint32_t tier = pool.cached_count.load(std::memory_order_acquire);
    const std::uint32_t n = tier & ~kProbeTier;
    if (n > pool.count) return false;
    for (std::uint32_t i = 0; i < n; ++i) idx[i] = pool.cached[i].load(std::memory_order_acquire);
    if (pool.seq.load(std::memory_order_relaxed) != s1) return false;
    m = tier;
    return true;
}

void store_cache(PoolRuntime& pool, std::uint64_t version, std::int64_t valid_until,
                 const std::uint16_t* idx, std::uint32_t tier) noexcept {
    bool expected = false;
    if (!pool.building.compare_exchange_strong(expected, true, std::memory_order_acquire))
        return;  // another thread is refreshing it
    const std::uint64_t s = pool.seq.load(std::memory_order_relaxed);
    pool.seq.store(s + 1, std::memory_order_relaxed);
    const std::uint32_t m = tier & ~kProbeTier;
    for (std::uint32_t i = 0; i < m; ++i) pool.cached[i].store(idx[i], std::memory_order_release);
    pool.cached_count.store(tier, std::memory_order_release);
    pool.built_for.store(version, std::memory_order_release);
    pool.valid_until.store(valid_until, std::memory_order_release);
    pool.seq.store(s + 2, std::memory_order_release);
    pool.building.store(false, std::memory_order_release);
}

// The pool's strategy among the m candidates of the tier in idx.
Pick pick_by_strategy(AttemptLoop::Impl& core, PoolRuntime& pool, const std::uint16_t* idx,
                      std::size_t m) noexcept {
    const PoolConfig& pc = *pool.config;
    const Strategy strategy = pc.strategy;
    const bool cost_first =
        strategy == Strategy::cost_optimized && pc.cost_optimization.prioritize_cost;
    health::ProviderState* ps = &core.providers[pool.first];

    auto rotation = [&]() noexcept {
        return static_cast<std::size_t>(pool.rr.fetch_add(1, std::memory_order_relaxed) % m);
    };

    switch (strategy) {
        case Strategy::round_robin: return {idx[rotation()], false};

        case Strategy::least_connections: {
            const std::size_t start = rotation();
            int best = std::numeric_limits<int>::max();
            std::uint16_t choice = idx[start];
            for (std::size_t k = 0, j = start; k < m; ++k, j = (j + 1 == m ? 0 : j + 1)) {
                const std::uint16_t i = idx[j];
                const int f = ps[i].in_flight();
                if (f < best) {
                    best = f;
                    choice = i;
                }
            }
            return {choice, false};
        }

        case Strategy::weighted: {
            double total = 0;
            for (std::size_t k = 0; k < m; ++k) total += ps[idx[k]].weight();
            const double u = core.random->uniform();
            if (total <= 0) {  // all standby: spread evenly
                auto k = static_cast<std::size_t>(u * static_cast<double>(m));
                return {idx[k < m ? k : m - 1], false};
            }
            double r = u * total;
            for (std::size_t k = 0; k < m; ++k) {
                const double w = ps[idx[k]].weight();
                if (r < w) return {idx[k], false};
                r -= w;
            }
            // Rounding left r at the very top: take the last provider with weight.
            for (std::size_t k = m; k-- > 0;)
                if (ps[idx[k]].weight() > 0) return {idx[k], false};
            return {idx[m - 1], false};
        }

        case Strategy::cost_optimized: {
            const std::size_t start = rotation();
            std::uint16_t choice = idx[start];
            double best_cost = std::numeric_limits<double>::infinity();
            int best_prio = std::numeric_limits<int>::max();
            bool first = true;
            for (std::size_t k = 0, j = start; k < m; ++k, j = (j + 1 == m ? 0 : j + 1)) {
                const std::uint16_t i = idx[j];
                const double c = ps[i].cost();
                const int pr = cost_first ? ps[i].priority() : 0;
                if (first || c < best_cost || (c == best_cost && pr < best_prio)) {
                    first = false;
                    best_cost = c;
                    best_prio = pr;
                    choice = i;
                }
            }
            return {choice, false};
        }

        case Strategy::fastest_response: {
            // Every provider gets measured: an unmeasured one goes first, claimed by exactly
            // one request at a time so that a burst does not all land on it.
            for (std::size_t k = 0; k < m; ++k) {
                const std::uint16_t i = idx[k];
                if (ps[i].ewma_ns() < 0 && ps[i].try_claim_measurement()) return {i, true};
            }
            std::int64_t best = std::numeric_limits<std::int64_t>::max();
            int choice = -1;
            for (std::size_t k = 0; k < m; ++k) {
                const std::int64_t e = ps[idx[k]].ewma_ns();
                if (e >= 0 && e < best) {
                    best = e;
                    choice = idx[k];
                }
            }
            if (choice >= 0) return {choice, false};
            return {idx[rotation()], false};
        }
    }
    return {idx[0], false};
}

}  // namespace

Pick select_provider(AttemptLoop::Impl& core, PoolRuntime& pool, const std::uint8_t* excluded,
                     TimePoint now, std::uint64_t tokens) noexcept {
    std::uint16_t idx[kCap];
    std::uint32_t tier = 0;
    const bool use_cache = pool.cacheable && !any_excluded(excluded, pool.count);
    if (!use_cache || !read_cache(pool, now, idx, tier)) {
        // The version is read before the scan, so a change during the scan leaves the cache
        // stale rather than wrong.
        const std::uint64_t version = pool.version.load(std::memory_order_acquire);
        std::int64_t valid_until = 0;
        tier = scan(core, pool, excluded, now, tokens, idx, use_cache ? &valid_until : nullptr);
        if (use_cache) store_cache(pool, version, valid_until, idx, tier);
    }
    const std::size_t m = tier & ~kProbeTier;
    if (m == 0) return {};
    Pick pick = pick_by_strategy(core, pool, idx, m);
    // Every candidate of a probe tier is due for its recovery probe, which the attempt claims.
    pick.health_probe = (tier & kProbeTier) != 0;
    return pick;
}

int healthy_providers(AttemptLoop::Impl& core, const PoolRuntime& pool, TimePoint now) noexcept {
    int healthy = 0;
    for (std::uint32_t i = 0; i < pool.count; ++i) {
        const health::ProviderState& p = core.providers[pool.first + i];
        if (p.breaker_admits(now) && (p.healthy(now) || p.probe_due(now))) ++healthy;
    }
    return healthy;
}

}  // namespace sw::routing
