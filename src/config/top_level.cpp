// top_level.cpp — reads a whole document: the Switch sections, ModelMuxer's sections, and
// ModelMuxer's server-only sections, which a library has no use for and reports as ignored.
#include "config/schema.hpp"

#include <fmt/format.h>

namespace sw::config {

Config read_document(Context& ctx, const Node& root) {
    Config config;
    check_duplicate_keys(ctx, root, "");
    read_environment_defaults(ctx, config);
    ctx.permanent_defaults = permanent_failure_defaults(ctx);

    static const std::vector<std::string_view> kServerOnly = {"server", "cache", "auth"};
    std::vector<std::string_view> known = {"credentialStores", "pools", "models", "routing_preferences", "routing",
                                           "providers", "monitoring", "database"};
    known.insert(known.end(), kServerOnly.begin(), kServerOnly.end());
    ObjectReader r(ctx, root, "", known);
    if (!r.valid()) return config;

    for (auto key : kServerOnly)
        if (r.has(key))
            ctx.warning(std::string(key),
                        "ModelMuxer server setting, ignored: libswitch runs inside your process and has no server, "
                        "database, cache or auth of its own");
    if (const Node* n = r.get("credentialStores")) read_credential_stores(ctx, *n, config);
    if (const Node* n = r.get("pools")) read_pools(ctx, *n, config);
    if (const Node* n = r.get("providers")) read_muxer_providers(ctx, *n, config);
    if (const Node* n = r.get("models")) read_models(ctx, *n, config);
    if (const Node* n = r.get("routing_preferences")) read_routing_preferences(ctx, *n, config);
    if (const Node* n = r.get("routing")) read_muxer_routing(ctx, *n, config);
    if (const Node* n = r.get("monitoring")) read_monitoring(ctx, *n, config);
    if (const Node* n = r.get("database")) read_database(ctx, *n, config);
    add_muxer_auto_model(ctx, config);
    r.finish();
    cross_check(ctx, config);
    return config;
}

}  // namespace sw::config
