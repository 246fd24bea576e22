// chain.hpp — the pool chain of a request: depth-first over fallbackPoolIds, each pool once.
#pragma once

#include <switch/config.hpp>

#include <cstdint>
#include <vector>

namespace sw::routing {

// Pool indices (into config.pools) in the order a request starting at `start` may visit
// them: the pool, then each fallback's own chain in the order given. A pool already in the
// chain is not visited again, so cycles end the walk. Unknown ids are ignored (the loader
// rejects them). Cost: O(pools + edges), once per pool at construction.
std::vector<std::uint32_t> plan_chain(const Config& config, std::uint32_t start);

}  // namespace sw::routing
