// cross_checks.cpp — checks that span sections: references, duplicates, fallback cycles,
// credential compatibility, and the pricing catalog applied to providers.
#include "config/schema.hpp"

#include "credentials/resolver.hpp"
#include "providers/specs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace sw::config {

namespace {

// A provider whose tokens have a price: costPerToken, or catalog pricing (routing/cost.cpp).
bool priced(const ProviderConfig& provider) { return provider.cost_per_token || provider.pricing; }

template <typename T, typename Key>
void check_unique(Context& ctx, const std::vector<T>& items, Key key, const std::vector<std::string>& paths,
                  std::string_view what, std::string_view field) {
    std::map<std::string_view, std::size_t> first;
    for (std::size_t i = 0; i < items.size() && i < paths.size(); ++i) {
        const std::string& id = items[i].*key;
        if (id.empty()) continue;
        auto [it, inserted] = first.emplace(id, i);
        if (!inserted)
            ctx.error(field.empty() ? paths[i] : child_path(paths[i], field),
                      fmt::format("duplicate {} {}; first defined at {}", what, quote(id), paths[it->second]));
    }
}

// False only when the store's settings show there is no project: an inline service account
// without project_id and no projectId. A document from env or a file is read at first use.
bool vertex_project_known(const CredentialStoreConfig& store) {
    const auto* google = std::get_if<GoogleCredentials>(&store.details);
    if (!google || !google->project_id.empty() || google->service_account_key.inline_value.empty()) return true;
    auto account = credentials::parse_service_account(google->service_account_key.inline_value.reveal());
    return !account || !account->project_id.empty();  // a malformed document is reported on its own
}

void check_providers(Context& ctx, Config& config, const std::vector<std::string_view>& store_names) {
    for (std::size_t p = 0; p < config.pools.size(); ++p) {
        PoolConfig& pool = config.pools[p];
        const std::string providers_path = child_path(ctx.pool_paths[p], "providers");
        std::map<std::string_view, std::size_t> seen;
        for (std::size_t i = 0; i < pool.providers.size(); ++i) {
            ProviderConfig& provider = pool.providers[i];
            const std::string path = index_path(providers_path, i);
            if (!provider.name.empty()) {
                auto [it, inserted] = seen.emplace(provider.name, i);
                if (!inserted)
                    ctx.error(child_path(path, "name"),
                              fmt::format("duplicate provider name {} in this pool; first at {}", quote(provider.name),
                                          index_path(providers_path, it->second)));
            }
            const providers::ProviderSpec& spec = providers::spec_of(provider);
            const CredentialStoreConfig* store = nullptr;
            if (provider.credentials_ref.empty()) {
                if (!spec.credentials_optional)
                    ctx.warning(child_path(path, "credentialsRef"),
                                fmt::format("missing: requests to this \"{}\" provider carry no credentials", spec.name),
                                "name a credential store");
            } else if (!(store = config.find_credential_store(provider.credentials_ref))) {
                ctx.error(child_path(path, "credentialsRef"),
                          fmt::format("unknown credential store {}", quote(provider.credentials_ref)),
                          did_you_mean(provider.credentials_ref, store_names));
            } else if (std::find(spec.credential_types.begin(), spec.credential_types.end(), store->type) ==
                       spec.credential_types.end()) {
                std::string allowed;
                for (auto t : spec.credential_types) allowed += (allowed.empty() ? "" : " or ") + std::string(to_string(t));
                ctx.error(child_path(path, "credentialsRef"),
                          fmt::format("a \"{}\" provider needs a credential store of type {}, but {} is {}", spec.name, allowed,
                                      quote(store->name), to_string(store->type)));
            }
            if (spec.endpoint != providers::EndpointSource::api_base && provider.api_base.empty() && store) {
                const bool region = spec.endpoint == providers::EndpointSource::aws_region;
                const ValueRef* where = nullptr;
                if (auto* aws = std::get_if<AwsCredentials>(&store->details)) where = &aws->region;
                if (auto* google = std::get_if<GoogleCredentials>(&store->details)) where = &google->location;
                if (where && where->empty())
                    ctx.error(child_path(path, "apiBase"),
                              fmt::format("required: the store {} gives no {} to derive the endpoint from",
                                          quote(store->name), region ? "region" : "location"),
                              region ? "set apiBase, or region/regionVar in the store"
                                     : "set apiBase, or location/locationVar in the store");
            }
            if (spec.needs_project && store && !vertex_project_known(*store))
                ctx.error(child_path(path, "credentialsRef"),
                          fmt::format("the store {} gives no project for Vertex AI", quote(store->name)),
                          "set projectId in the store, or project_id in the service-account JSON");
            // Pricing from the catalog, unless costPerToken says otherwise.
            if (!provider.cost_per_token) {
                if (const CatalogModel* m = config.find_catalog_model(provider.type, provider.model_name))
                    provider.pricing = m->pricing;
            }
        }
        if (pool.health.min_healthy_providers > static_cast<int>(pool.providers.size()) && !pool.providers.empty())
            ctx.warning(child_path(child_path(ctx.pool_paths[p], "healthThresholds"), "minHealthyProviders"),
                        fmt::format("is {} but the pool has only {} providers, so it never counts as healthy",
                                    pool.health.min_healthy_providers, pool.providers.size()));
        if (pool.strategy == Strategy::cost_optimized && !pool.providers.empty() &&
            std::none_of(pool.providers.begin(), pool.providers.end(),
                         priced))
            ctx.warning(child_path(ctx.pool_paths[p], "routingStrategy"),
                        "cost_optimized, but no provider has a known cost (costPerToken or catalog pricing)");
    }
}

void check_fallbacks(Context& ctx, const Config& config, const std::vector<std::string_view>& pool_ids) {
    for (std::size_t p = 0; p < config.pools.size(); ++p) {
        const PoolConfig& pool = config.pools[p];
        const std::string path = child_path(ctx.pool_paths[p], "fallbackPoolIds");
        for (std::size_t i = 0; i < pool.fallback_pool_ids.size(); ++i) {
            const std::string& target = pool.fallback_pool_ids[i];
            if (!config.find_pool(target))
                ctx.error(index_path(path, i), fmt::format("unknown pool {}", quote(target)), did_you_mean(target, pool_ids));
            else if (target == pool.id)
                ctx.warning(index_path(path, i), "a pool cannot fall back to itself; this entry is skipped");
        }
    }
    // Cycles are legal (a request never visits a pool twice) but usually a mistake, so each one
    // is reported once, as a warning, from its first pool in document order.
    enum class Mark { unvisited, on_stack, done };
    std::map<std::string_view, Mark> marks;
    std::vector<std::string_view> stack;
    std::vector<std::vector<std::string_view>> cycles;
    auto visit = [&](auto&& self, const PoolConfig& pool) -> void {
        marks[pool.id] = Mark::on_stack;
        stack.push_back(pool.id);
        for (const auto& next_id : pool.fallback_pool_ids) {
            const PoolConfig* next = config.find_pool(next_id);
            if (!next || next->id == pool.id) continue;
            Mark m = marks[next->id];
            if (m == Mark::on_stack) {
                auto start = std::find(stack.begin(), stack.end(), next->id);
                std::vector<std::string_view> cycle(start, stack.end());
                cycle.push_back(next->id);
                cycles.push_back(std::move(cycle));
            } else if (m == Mark::unvisited) {
                self(self, *next);
            }
        }
        stack.pop_back();
        marks[pool.id] = Mark::done;
    };
    for (const auto& pool : config.pools)
        if (!pool.id.empty() && marks[pool.id] == Mark::unvisited) visit(visit, pool);
    for (const auto& cycle : cycles) {
        std::string chain;
        for (auto id : cycle) chain += (chain.empty() ? "" : " -> ") + std::string(id);
        std::size_t first = 0;
        while (first < config.pools.size() && config.pools[first].id != cycle.front()) ++first;
        ctx.warning(child_path(ctx.pool_paths[first], "fallbackPoolIds"),
                    fmt::format("fallback cycle {}; a request visits each pool at most once", chain));
    }
}

void check_models(Context& ctx, const Config& config, const std::vector<std::string_view>& pool_ids) {
    for (std::size_t m = 0; m < config.models.size(); ++m) {
        const ModelConfig& model = config.models[m];
        if (!model.primary_pool_id.empty() && !config.find_pool(model.primary_pool_id))
            ctx.error(child_path(ctx.model_paths[m], "primaryPoolId"),
                      fmt::format("unknown pool {}", quote(model.primary_pool_id)),
                      did_you_mean(model.primary_pool_id, pool_ids));
    }
    if (config.models.empty())
        ctx.warning("models", "no models are defined, so no request can be routed yet");
}

bool known(const std::vector<std::string_view>& labels, std::string_view label) {
    return std::find(labels.begin(), labels.end(), label) != labels.end();
}

// The heuristic's labels and those of `routers`: their own labels and semantic routes.
std::vector<std::string_view> labels_of(const std::vector<const PromptRouterConfig*>& routers) {
    std::vector<std::string_view> labels = kHeuristicLabels;
    for (const PromptRouterConfig* r : routers) {
        for (const UserLabel& l : r->labels) labels.push_back(l.name);
        if (r->strategy != "heuristic")
            for (const SemanticRoute& route : r->semantic.routes) labels.push_back(route.label);
    }
    return labels;
}

// Labels and targets of routing_preferences or of a model's router.routes, under `base`.
void check_label_targets(Context& ctx, const Config& config, const std::vector<RoutingPreference>& prefs,
                         const std::string& base, const std::vector<std::string_view>& labels,
                         const std::vector<std::string_view>& pool_ids) {
    for (const auto& pref : prefs) {
        if (!known(labels, pref.label))
            ctx.error(child_path(base, pref.label),
                      fmt::format("unknown label {}; the heuristic labels code, complex, simple and general, "
                                  "and a router's `labels` and semantic routes add more",
                                  quote(pref.label)),
                      did_you_mean(pref.label, labels));
        for (std::size_t i = 0; i < pref.targets.size(); ++i) {
            const RoutingTarget& t = pref.targets[i];
            if (config.find_target_pool(t)) continue;
            const std::string path = index_path(child_path(base, pref.label), i);
            if (!t.pool.empty())
                ctx.error(child_path(path, "pool"), fmt::format("unknown pool {}", quote(t.pool)), did_you_mean(t.pool, pool_ids));
            else
                ctx.warning(path, fmt::format("no pool serves {}/{}; this target is skipped", t.provider, t.model),
                            "add the provider to a pool, or list the model under ModelMuxer's providers");
        }
    }
}

// Whether `label` has a target that a pool serves.
bool routable(const Config& config, const std::vector<RoutingPreference>& routes, std::string_view label) {
    for (const auto& pref : routes)
        if (pref.label == label)
            for (const auto& t : pref.targets)
                if (config.find_target_pool(t)) return true;
    return false;
}

// A cascade: steps that pools serve, each with a price, since its budget must price each step.
void check_cascade(Context& ctx, const Config& config, const ModelConfig& model, const std::string& path,
                   const std::vector<std::string_view>& pool_ids) {
    const PromptRouterConfig& router = *model.router;
    if (!router.routes.empty())
        check_label_targets(ctx, config, router.routes, child_path(path, "routes"), labels_of({&router}), pool_ids);
    const std::string steps_path = child_path(child_path(path, "cascade"), "steps");
    for (std::size_t i = 0; i < router.cascade.steps.size(); ++i)
        if (!config.find_target_pool(router.cascade.steps[i]))
            ctx.error(index_path(steps_path, i), "no pool serves this step",
                      router.cascade.steps[i].pool.empty() ? "add a pool whose provider serves this model"
                                                           : did_you_mean(router.cascade.steps[i].pool, pool_ids));
    const std::vector<const PoolConfig*> pools = config.cascade_pools(router);
    if (pools.empty()) {
        ctx.error(path, fmt::format("model {} is a cascade with no step that a pool serves", quote(model.name)),
                  "add router.cascade.steps, or routes");
        return;
    }
    for (const PoolConfig* pool : pools)
        if (std::none_of(pool->providers.begin(), pool->providers.end(),
                         priced))
            ctx.error(router.cascade.steps.empty() ? path : steps_path,
                      fmt::format("cascade step {} has no price: none of its providers has costPerToken or catalog "
                                  "pricing, so the cascade can neither order it nor keep its budget",
                                  quote(pool->id)),
                      "set costPerToken on its providers, or price their model in the models catalog");
}

// Models that route by prompt: their routes (or routing_preferences) exist, name known labels
// and pools, and a request of any label has somewhere to go.
void check_prompt_models(Context& ctx, const Config& config, const std::vector<std::string_view>& pool_ids) {
    // routing_preferences may name the labels of the routers that read them.
    std::vector<const PromptRouterConfig*> shared;
    for (const auto& model : config.models)
        if (model.router && model.router->routes.empty()) shared.push_back(&*model.router);
    check_label_targets(ctx, config, config.routing_preferences, "routing_preferences", labels_of(shared), pool_ids);
    for (std::size_t m = 0; m < config.models.size(); ++m) {
        const ModelConfig& model = config.models[m];
        if (!model.router) continue;
        const std::string path = child_path(ctx.model_paths[m], "router");
        if (model.router->strategy == "cascade") {
            check_cascade(ctx, config, model, path, pool_ids);
            continue;
        }
        const std::vector<std::string_view> labels = labels_of({&*model.router});
        const bool own = !model.router->routes.empty();
        const auto& routes = own ? model.router->routes : config.routing_preferences;
        if (own) check_label_targets(ctx, config, routes, child_path(path, "routes"), labels, pool_ids);
        if (routes.empty()) {
            ctx.error(path, fmt::format("model {} routes by prompt but no label has a target", quote(model.name)),
                      "add router.routes, or routing_preferences");
            continue;
        }
        if (const SemanticRouterConfig& semantic = model.router->semantic;
            model.router->strategy != "heuristic" && semantic.embedder == "pool" && !semantic.pool.empty() &&
            !config.find_pool(semantic.pool))
            ctx.error(child_path(child_path(path, "semantic"), "pool"), fmt::format("unknown pool {}", quote(semantic.pool)),
                      did_you_mean(semantic.pool, pool_ids));
        if (!known(labels, model.router->default_label))
            ctx.error(child_path(path, "defaultLabel"), fmt::format("unknown label {}", quote(model.router->default_label)),
                      did_you_mean(model.router->default_label, labels));
        else if (!routable(config, routes, model.router->default_label) && model.primary_pool_id.empty())
            ctx.error(path,
                      fmt::format("the default label {} has no target that a pool serves, so a request whose label "
                                  "has none has nowhere to go",
                                  quote(model.router->default_label)),
                      "give the default label a target, or set primaryPoolId");
    }
}

}  // namespace

void cross_check(Context& ctx, Config& config) {
    std::vector<std::string_view> pool_ids, store_names;
    for (const auto& pool : config.pools) pool_ids.push_back(pool.id);
    for (const auto& store : config.credential_stores) store_names.push_back(store.name);

    check_unique(ctx, config.pools, &PoolConfig::id, ctx.pool_paths, "pool id", "id");
    check_unique(ctx, config.credential_stores, &CredentialStoreConfig::name, ctx.store_paths, "credential store", "");
    check_unique(ctx, config.models, &ModelConfig::name, ctx.model_paths, "model", "");
    check_providers(ctx, config, store_names);
    check_fallbacks(ctx, config, pool_ids);
    check_models(ctx, config, pool_ids);
    check_prompt_models(ctx, config, pool_ids);
    check_budgets(ctx, config);
}

}  // namespace sw::config
