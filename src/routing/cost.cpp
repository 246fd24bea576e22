// cost.cpp — prices per token and the cost of an attempt's usage.
#include "routing/cost.hpp"

#include <limits>

namespace sw::routing {

double price_per_token(const ProviderConfig& p) noexcept {
    if (p.cost_per_token) return *p.cost_per_token;
    if (p.pricing) return (p.pricing->input_per_1k + p.pricing->output_per_1k) / 2.0 / 1000.0;
    return std::numeric_limits<double>::infinity();
}

std::optional<double> cost_of(const ProviderConfig& p, const TokenUsage& usage) noexcept {
    if (p.cost_per_token) return *p.cost_per_token * static_cast<double>(usage.total());
    if (p.pricing)
        return p.pricing->input_per_1k * static_cast<double>(usage.input_tokens) / 1000.0 +
               p.pricing->output_per_1k * static_cast<double>(usage.output_tokens) / 1000.0;
    return std::nullopt;
}

const ProviderConfig* cheapest_provider_in(const PoolConfig& pool, const TokenUsage& usage) noexcept {
    const ProviderConfig* cheapest = nullptr;
    std::optional<double> least;
    for (const ProviderConfig& p : pool.providers)
        if (const auto c = cost_of(p, usage); c && (!least || *c < *least)) {
            cheapest = &p;
            least = c;
        }
    return cheapest;
}

std::optional<double> cheapest_cost_in(const PoolConfig& pool, const TokenUsage& usage) noexcept {
    const ProviderConfig* p = cheapest_provider_in(pool, usage);
    return p ? cost_of(*p, usage) : std::nullopt;
}

}  // namespace sw::routing
