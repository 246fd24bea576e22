// chain.cpp — depth-first pool chain planning.
#include "routing/chain.hpp"

namespace sw::routing {
namespace {

void visit(const Config& config, std::uint32_t pool, std::vector<std::uint8_t>& seen,
           std::vector<std::uint32_t>& out) {
    if (seen[pool]) return;
    seen[pool] = 1;
    out.push_back(pool);
    for (const std::string& id : config.pools[pool].fallback_pool_ids) {
        for (std::uint32_t j = 0; j < config.pools.size(); ++j) {
            if (config.pools[j].id == id) {
                visit(config, j, seen, out);
                break;
            }
        }
    }
}

}  // namespace

std::vector<std::uint32_t> plan_chain(const Config& config, std::uint32_t start) {
    std::vector<std::uint32_t> out;
    if (start >= config.pools.size()) return out;
    std::vector<std::uint8_t> seen(config.pools.size(), 0);
    visit(config, start, seen, out);
    return out;
}

}  // namespace sw::routing
