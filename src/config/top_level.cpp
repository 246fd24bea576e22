// top_level.cpp — reads a whole document: the Switch sections, ModelMuxer's sections, the
// sections switch-server reads itself (`server`, `auth`).
#include "config/schema.hpp"

#include <fmt/format.h>

namespace sw::config {

Config read_document(Context& ctx, const Node& root) {
    Config config;
    check_duplicate_keys(ctx, root, "");
    read_environment_defaults(ctx, config);
    ctx.permanent_defaults = permanent_failure_defaults(ctx);

    // switch-server validates and uses these (docs/server.md); a router in a process of its own
    // has no listening socket or clients, so the library leaves them alone, and says nothing:
    // one config file serves both.
    static const std::vector<std::string_view> kServerSections = {"server", "auth"};
    std::vector<std::string_view> known = {"credentialStores", "pools", "models", "routing_preferences", "routing",
                                           "providers", "monitoring", "database", "cache", "redis", "budgets"};
    known.insert(known.end(), kServerSections.begin(), kServerSections.end());
    ObjectReader r(ctx, root, "", known);
    if (!r.valid()) return config;

    if (const Node* n = r.get("credentialStores")) read_credential_stores(ctx, *n, config);
    if (const Node* n = r.get("pools")) read_pools(ctx, *n, config);
    if (const Node* n = r.get("providers")) read_muxer_providers(ctx, *n, config);
    if (const Node* n = r.get("models")) read_models(ctx, *n, config);
    if (const Node* n = r.get("routing_preferences")) read_routing_preferences(ctx, *n, config);
    if (const Node* n = r.get("routing")) read_muxer_routing(ctx, *n, config);
    if (const Node* n = r.get("monitoring")) read_monitoring(ctx, *n, config);
    if (const Node* n = r.get("database")) read_database(ctx, *n, config);
    if (const Node* n = r.get("cache")) read_cache(ctx, *n, config);
    if (const Node* n = r.get("redis")) read_redis(ctx, *n, config);
    if (const Node* n = r.get("budgets")) read_budgets(ctx, *n, config);
    finish_cache(ctx, config);  // after `redis`, whose url the cache's defaults to
    add_muxer_auto_model(ctx, config);
    r.finish();
    cross_check(ctx, config);
    return config;
}

}  // namespace sw::config
