// selector.hpp — picks one provider of a pool: eligibility, tiers, then the pool's strategy.
#pragma once

#include "routing/core_state.hpp"

#include <cstdint>

namespace sw::routing {

struct Pick {
    int local = -1;          // index within the pool; -1: no eligible provider
    bool measuring = false;  // fastest_response: this pick claimed the provider's measurement
    bool health_probe = false;  // the pick is an unhealthy provider due for its recovery probe
};

// Chooses among the pool's eligible providers (breaker admits, no 429 cooldown, rate limits
// have room, within maxCostPerToken, not excluded by the request).
//
// Candidates are ordered by tier: standby (weight 0) last, then unhealthy after healthy, then
// by priority (lowest first; with cost_optimized + prioritizeCost, cost orders before
// priority). An unhealthy provider due for its recovery probe ranks with the healthy ones, and
// ahead of them within its priority, so that the probe goes out (the pick says so, and the
// attempt must claim the probe). The pool's strategy picks within the first non-empty tier:
// - fastest_response: an unmeasured provider first (one request claims its measurement),
//   otherwise the lowest EWMA latency. O(n).
// - weighted: probability proportional to the (auto-adjusted) weight; one random draw. O(n).
// - cost_optimized: the lowest known cost, unknown cost last; ties rotate. O(n).
// - round_robin: one shared rotation counter over the tier. O(n) to build the tier.
// - least_connections: the fewest attempts in flight; ties rotate. O(n).
// Lock-free and allocation-free: the tier lives in a stack buffer of kMaxProvidersPerPool.
//
// Building the tier is a scan of the pool, O(n). When nothing is excluded by the request and
// the pool has no rate limits, the tier is cached per pool under a seqlock and reused while
// the pool's version (bumped by providers when their eligibility or tier may change) and the
// earliest time-driven change (cooldown end, open timeout, probe expiry, health window bucket)
// allow; the decision then costs O(tier) for the strategies that read live load or latency,
// and O(1) plus a copy for round_robin.
Pick select_provider(AttemptLoop::Impl& core, PoolRuntime& pool, const std::uint8_t* excluded,
                     TimePoint now, std::uint64_t tokens) noexcept;

// Providers of the pool whose breaker admits traffic and that meet every health threshold or
// are due for their recovery probe.
int healthy_providers(AttemptLoop::Impl& core, const PoolRuntime& pool, TimePoint now) noexcept;

}  // namespace sw::routing
