// config.cpp — look-ups on the typed Config and the names of its enumerations.
#include <switch/config.hpp>

#include <algorithm>

namespace sw {

namespace {
template <typename T, typename Key>
const T* find_by(const std::vector<T>& items, Key T::*key, std::string_view wanted) {
    auto it = std::find_if(items.begin(), items.end(),
                           [&](const T& item) { return item.*key == wanted; });
    return it == items.end() ? nullptr : &*it;
}
}  // namespace

const PoolConfig* Config::find_pool(std::string_view id) const {
    return find_by(pools, &PoolConfig::id, id);
}
const ModelConfig* Config::find_model(std::string_view name) const {
    return find_by(models, &ModelConfig::name, name);
}
const CredentialStoreConfig* Config::find_credential_store(std::string_view name) const {
    return find_by(credential_stores, &CredentialStoreConfig::name, name);
}
const CatalogModel* Config::find_catalog_model(std::string_view provider,
                                               std::string_view model) const {
    auto it = std::find_if(catalog.begin(), catalog.end(), [&](const CatalogModel& m) {
        return m.provider == provider && m.model == model;
    });
    return it == catalog.end() ? nullptr : &*it;
}
const PoolConfig* Config::find_target_pool(const RoutingTarget& target) const {
    if (!target.pool.empty()) return find_pool(target.pool);
    if (const PoolConfig* pool = find_pool(target.provider + "/" + target.model)) return pool;
    for (const auto& pool : pools)
        for (const auto& p : pool.providers)
            if (p.type == target.provider && p.model_name == target.model) return &pool;
    return nullptr;
}
std::vector<const PoolConfig*> Config::cascade_pools(const PromptRouterConfig& router) const {
    std::vector<const PoolConfig*> pools_out;
    auto add = [&](const RoutingTarget& target) {
        const PoolConfig* pool = find_target_pool(target);
        if (pool && std::find(pools_out.begin(), pools_out.end(), pool) == pools_out.end()) pools_out.push_back(pool);
    };
    if (!router.cascade.steps.empty()) {
        for (const RoutingTarget& step : router.cascade.steps) add(step);
        return pools_out;
    }
    for (const RoutingPreference& pref : router.routes.empty() ? routing_preferences : router.routes)
        for (const RoutingTarget& target : pref.targets) add(target);
    return pools_out;
}

std::size_t Config::provider_count() const {
    std::size_t n = 0;
    for (const auto& pool : pools) n += pool.providers.size();
    return n;
}

std::string_view to_string(Strategy strategy) {
    switch (strategy) {
        case Strategy::fastest_response: return "fastest_response";
        case Strategy::weighted: return "weighted";
        case Strategy::cost_optimized: return "cost_optimized";
        case Strategy::round_robin: return "round_robin";
        case Strategy::least_connections: return "least_connections";
    }
    return "unknown";
}

std::string_view to_string(CredentialType type) {
    switch (type) {
        case CredentialType::simple: return "simple";
        case CredentialType::aws: return "aws";
        case CredentialType::google: return "google";
        case CredentialType::azure: return "azure";
        case CredentialType::oauth: return "oauth";
    }
    return "unknown";
}

std::string_view to_string(CredentialSource source) {
    switch (source) {
        case CredentialSource::env: return "env";
        case CredentialSource::file: return "file";
        case CredentialSource::vault: return "vault";
        case CredentialSource::aws_secrets: return "aws-secrets";
        case CredentialSource::inline_value: return "inline";
    }
    return "unknown";
}

std::string_view to_string(BudgetScope scope) {
    switch (scope) {
        case BudgetScope::client: return "client";
        case BudgetScope::model: return "model";
        case BudgetScope::pool: return "pool";
        case BudgetScope::all: return "all";
    }
    return "unknown";
}

std::string_view to_string(BudgetWindow window) {
    switch (window) {
        case BudgetWindow::minute: return "minute";
        case BudgetWindow::hour: return "hour";
        case BudgetWindow::day: return "day";
        case BudgetWindow::month: return "month";
    }
    return "unknown";
}

}  // namespace sw
