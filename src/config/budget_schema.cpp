// budget_schema.cpp — the top-level `budgets` list (docs/budgets.md): spending limits over
// calendar windows, per API key, model, pool or router, checked against the pools and models.
#include "config/schema.hpp"

#include <fmt/format.h>

#include <set>

namespace sw::config {

namespace {

constexpr double kMaxLimitUsd = 1e9;  // as max_cost_usd: micro-USD counts stay exact in a double

const std::vector<std::string_view> kScopes = {"client", "model", "pool", "all"};
const std::vector<std::string_view> kWindows = {"minute", "hour", "day", "month"};

BudgetConfig read_budget(Context& ctx, const Node& node, const std::string& path) {
    BudgetConfig b;
    ObjectReader r(ctx, node, path, {"name", "per", "match", "window", "limit_usd"});
    if (!r.valid()) return b;
    if (auto name = r.string("name", true)) b.name = std::move(*name);
    if (auto per = r.choice("per", kScopes, true)) b.per = static_cast<BudgetScope>(*per);
    if (auto window = r.choice("window", kWindows, true)) b.window = static_cast<BudgetWindow>(*window);
    r.require("limit_usd");
    if (auto limit = r.number("limit_usd", 0, kMaxLimitUsd)) {
        if (*limit > 0)
            b.limit_usd = *limit;
        else
            ctx.error(r.path_of("limit_usd"), "a budget of 0 USD admits nothing",
                      "give it a positive number of USD, or remove the budget");
    }
    if (auto match = r.string("match")) {
        if (b.per == BudgetScope::all)
            ctx.error(r.path_of("match"), "a budget \"per\": \"all\" counts every request, so it has nothing to match",
                      "remove \"match\", or count per client, model or pool");
        else
            b.match = std::move(*match);
    }
    return b;
}

}  // namespace

void read_budgets(Context& ctx, const Node& node, Config& config) {
    if (!node.is_array()) {
        ctx.error("budgets", fmt::format("expected an array of budgets, got {}", describe(node.kind)),
                  "write budgets: [{name, per, window, limit_usd}]");
        return;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
        const std::string path = index_path("budgets", i);
        config.budgets.push_back(read_budget(ctx, node.items[i], path));
        ctx.budget_paths.push_back(path);
    }
}

void check_budgets(Context& ctx, const Config& config) {
    std::vector<std::string_view> pool_ids, model_names;
    for (const PoolConfig& pool : config.pools) pool_ids.push_back(pool.id);
    for (const ModelConfig& model : config.models) model_names.push_back(model.name);
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < config.budgets.size() && i < ctx.budget_paths.size(); ++i) {
        const BudgetConfig& b = config.budgets[i];
        const std::string& path = ctx.budget_paths[i];
        if (!b.name.empty() && !names.insert(b.name).second)
            ctx.error(child_path(path, "name"), fmt::format("duplicate budget {}", quote(b.name)),
                      "give each budget a name of its own");
        if (b.match.empty()) continue;
        // A request may name a pool as its model, so a model budget may match a pool id too.
        const bool known = b.per == BudgetScope::pool
                               ? config.find_pool(b.match) != nullptr
                               : b.per != BudgetScope::model || config.find_model(b.match) || config.find_pool(b.match);
        if (!known) {
            std::vector<std::string_view> candidates = b.per == BudgetScope::pool ? pool_ids : model_names;
            if (b.per == BudgetScope::model) candidates.insert(candidates.end(), pool_ids.begin(), pool_ids.end());
            ctx.error(child_path(path, "match"),
                      fmt::format("no {} {} to match", b.per == BudgetScope::pool ? "pool" : "model", quote(b.match)),
                      did_you_mean(b.match, candidates));
        }
    }
}

}  // namespace sw::config
