// cost.hpp — what a provider's tokens cost, from its configured price (`costPerToken`, or the
// catalog's per-1K input and output prices): the one place for the figure that ranks providers
// and for the cost a response reports.
#pragma once

#include <switch/config.hpp>
#include <switch/outcome.hpp>

#include <optional>

namespace sw::routing {

// USD per token for ranking (cost_optimized, maxCostPerToken); +inf when the price is unknown.
// A request's split between input and output is unknown when it is ranked, so they count equally.
double price_per_token(const ProviderConfig& provider) noexcept;

// USD for the tokens an attempt used; empty when the provider's price is unknown.
std::optional<double> cost_of(const ProviderConfig& provider, const TokenUsage& usage) noexcept;

// The provider of `pool` at which `usage` costs least; null when none is priced.
const ProviderConfig* cheapest_provider_in(const PoolConfig& pool, const TokenUsage& usage) noexcept;

// What `usage` would cost at the cheapest priced provider of `pool`; empty when none is priced.
std::optional<double> cheapest_cost_in(const PoolConfig& pool, const TokenUsage& usage) noexcept;

}  // namespace sw::routing
