// core_state.hpp — the shared runtime state of a RouterCore (AttemptLoop::Impl).
#pragma once

#include "health/provider_state.hpp"

#include <switch/sys/router_core.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace sw::routing {

// One pool's routing state. Its providers are providers[first .. first + count).
struct PoolRuntime {
    const PoolConfig* config = nullptr;
    std::uint32_t first = 0;
    std::uint32_t count = 0;
    // Rotation counter for round_robin and for tie-breaking; contended only by requests on
    // this pool.
    std::atomic<std::uint64_t> rr{0};

    // ---- The cached best tier (see selector.hpp). ----
    // Bumped by a provider whenever its eligibility or tier may have changed.
    std::atomic<std::uint64_t> version{0};
    // False when a provider has rate limits: their room changes with every request.
    bool cacheable = true;
    // A seqlock over the fields below: odd while a writer is filling them.
    std::atomic<std::uint64_t> seq{0};
    std::atomic<bool> building{false};
    std::atomic<std::uint64_t> built_for{UINT64_MAX};  // the `version` the list was built at
    std::atomic<std::int64_t> valid_until{0};          // earliest change by time alone
    std::atomic<std::uint32_t> cached_count{0};
    std::atomic<std::uint16_t> cached[RouterCore::kMaxProvidersPerPool];
};

}  // namespace sw::routing

namespace sw {

struct AttemptLoop::Impl {
    std::shared_ptr<const Config> config;
    std::shared_ptr<Clock> clock;
    std::shared_ptr<Random> random;
    // Null when nobody listens: every event site then costs one branch.
    std::shared_ptr<RouterObserver> observer;
    // Told of breaker transitions and limit use (health/state_store.hpp): the in-process store,
    // or the one the RouterCore was given (a shared one: docs/scaling.md).
    health::StateStore* store = &health::in_process_store();
    std::vector<health::PermanentPatterns> patterns;  // per pool
    std::unique_ptr<health::ProviderState[]> providers;
    std::size_t provider_count = 0;
    std::unique_ptr<routing::PoolRuntime[]> pools;
    std::size_t pool_count = 0;
    // Per pool: its failover chain, planned once, and where each position's providers start in
    // a request's per-provider flags, so that a request copies neither.
    struct Chain {
        std::vector<std::uint32_t> pools;    // pool indices, in chain order
        std::vector<std::uint32_t> offsets;  // per position: its first provider slot
        std::uint32_t slots = 0;             // the providers of all positions together
    };
    std::vector<Chain> chains;
    std::unordered_map<std::string, std::uint32_t> pool_by_id;
    std::unordered_map<std::string, std::uint32_t> model_pool;  // model -> primary pool

    health::ProviderState& provider(const routing::PoolRuntime& pool, std::uint32_t local) {
        return providers[pool.first + local];
    }
};

}  // namespace sw
