// core_state.hpp — the shared runtime state of a RouterCore (AttemptLoop::Impl).
#pragma once

#include "health/provider_state.hpp"

#include <switch/router_core.hpp>

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
};

}  // namespace sw::routing

namespace sw {

struct AttemptLoop::Impl {
    std::shared_ptr<const Config> config;
    std::shared_ptr<Clock> clock;
    std::shared_ptr<Random> random;
    std::vector<health::PermanentPatterns> patterns;  // per pool
    std::unique_ptr<health::ProviderState[]> providers;
    std::size_t provider_count = 0;
    std::unique_ptr<routing::PoolRuntime[]> pools;
    std::size_t pool_count = 0;
    std::vector<std::vector<std::uint32_t>> chains;  // per pool: its chain
    std::unordered_map<std::string, std::uint32_t> pool_by_id;
    std::unordered_map<std::string, std::uint32_t> model_pool;  // model -> primary pool

    health::ProviderState& provider(const routing::PoolRuntime& pool, std::uint32_t local) {
        return providers[pool.first + local];
    }
};

}  // namespace sw
