// catalog.cpp — /v1/models and /health.
#include "catalog.hpp"

#include "common/json_writer.hpp"

#include <set>
#include <string_view>
#include <vector>

namespace server {

std::string models_json(const sw::Config& config) {
    sw::JsonWriter w;
    w.begin_object().key("object").string("list").key("data").begin_array();
    for (const sw::ModelConfig& m : config.models) {
        w.begin_object().key("id").string(m.name).key("object").string("model");
        w.key("created").integer(0).key("owned_by").string("libswitch").end_object();
    }
    w.end_array().end_object();
    return w.take();
}

namespace {

// Every pool a model's requests may be served by: its primary pool, the pools its prompt
// router sends to (routes, routing_preferences, cascade steps), and their fallback chains.
std::set<std::string> reachable_pools(const sw::Config& config, const sw::ModelConfig& model) {
    std::vector<std::string> todo;
    if (!model.primary_pool_id.empty()) todo.push_back(model.primary_pool_id);
    if (model.router) {
        const auto& routes = model.router->routes.empty() ? config.routing_preferences : model.router->routes;
        for (const sw::RoutingPreference& pref : routes)
            for (const sw::RoutingTarget& t : pref.targets)
                if (const sw::PoolConfig* p = config.find_target_pool(t)) todo.push_back(p->id);
        for (const sw::PoolConfig* p : config.cascade_pools(*model.router)) todo.push_back(p->id);
    }
    std::set<std::string> seen;
    while (!todo.empty()) {
        std::string id = std::move(todo.back());
        todo.pop_back();
        const sw::PoolConfig* pool = config.find_pool(id);
        if (pool == nullptr || !seen.insert(id).second) continue;
        for (const std::string& f : pool->fallback_pool_ids) todo.push_back(f);
    }
    return seen;
}

}  // namespace

Health health(const sw::Config& config, const sw::RouterStatus& status) {
    std::set<std::string_view> usable;
    for (const sw::PoolStatus& p : status.pools)
        if (p.healthy_providers > 0) usable.insert(p.id);
    std::vector<std::string> unready;
    for (const sw::ModelConfig& m : config.models) {
        bool ok = false;
        for (const std::string& id : reachable_pools(config, m)) ok = ok || usable.count(id) > 0;
        if (!ok) unready.push_back(m.name);
    }
    Health h;
    h.ready = unready.empty();
    sw::JsonWriter w;
    w.begin_object().key("status").string(h.ready ? "ok" : "unavailable");
    w.key("live").boolean(true).key("ready").boolean(h.ready).key("unready_models").begin_array();
    for (const std::string& name : unready) w.string(name);
    w.end_array().key("router").raw(sw::to_json(status)).end_object();
    h.json = w.take();
    return h;
}

}  // namespace server
