// generation.cpp — building a generation, and beginning a request on it.
#include "api/generation.hpp"

#include "routing/cost.hpp"

#include <stdexcept>

namespace sw::api {

std::shared_ptr<const Generation> make_generation(std::shared_ptr<const Config> config,
                                                  std::shared_ptr<RouterCore> core, const EnvLookup& env,
                                                  const std::vector<transport::Io>& threads,
                                                  const EmbedFunction& embedder,
                                                  state::SharedState* shared,
                                                  routing::BudgetBook* budgets) {
    if (!config->budgets.empty() && budgets == nullptr)
        throw std::invalid_argument("the config has budgets, and this router keeps no count of them");
    auto g = std::make_shared<Generation>();
    g->core = std::move(core);
    g->shared = shared;
    g->budgets = budgets;
    g->tokens = std::make_unique<credentials::TokenSource>(*config, env);
    for (const transport::Io& io : threads)
        g->credentials.push_back(std::make_unique<credentials::CredentialCache>(*config, env, io, *g->tokens));
    for (const ModelConfig& model : config->models) {
        if (!model.router) continue;
        if (model.router->strategy == "cascade")
            g->cascades.emplace(model.name, make_cascade_plan(model, *config));
        else
            g->prompt_routers.emplace(model.name, std::make_unique<prompt::PromptRouter>(model, *config, embedder));
    }
    g->config = std::move(config);
    return g;
}

void require_callbacks(const Config& config, const RouterOptions& options) {
    for (const ModelConfig& model : config.models) {
        if (!model.router) continue;
        const PromptRouterConfig& r = *model.router;
        if (!options.embedder && (r.strategy == "semantic" || r.strategy == "hybrid") && r.semantic.embedder == "callback")
            throw std::invalid_argument(prompt::missing_callback_message(model.name));
        if (!options.judge && r.strategy == "cascade" && r.cascade.judge == "callback")
            throw std::invalid_argument("model \"" + model.name +
                                        "\" judges its cascade with a callback, and the router was given none "
                                        "(RouterOptions::judge in C++, sw_router_options.judge in C, judge= in Python)");
    }
}

TokenUsage estimated_usage(const providers::RequestCheck& check) {
    return {check.prompt_tokens, check.max_tokens.value_or(1000)};
}

RequestOptions routing_options(RequestId id, const providers::RequestCheck& check, const ChatOptions& chat) {
    RequestOptions ro;
    ro.request_id = id;
    ro.deadline = chat.deadline;
    ro.streaming = check.stream;
    ro.estimated_tokens = check.estimated_tokens;
    ro.max_cost_usd = chat.max_cost_usd;
    ro.estimated_usage = estimated_usage(check);
    return ro;
}

BegunRequest begin_request(const Generation& generation, RequestId id, providers::Endpoint endpoint,
                           std::string_view request_json, const providers::RequestCheck& check,
                           const ChatOptions& chat, Clock& clock) {
    const RequestOptions options = routing_options(id, check, chat);
    auto it = generation.prompt_routers.find(check.model);
    if (it == generation.prompt_routers.end()) return {generation.core->begin(check.model, options), std::nullopt, {}};
    const TimePoint start = clock.now();
    PromptRoute route;
    prompt::Prompt prompt;
    std::string error;
    // The request passed its check, so its messages read; an embeddings request has none.
    if (endpoint == providers::Endpoint::chat_completions && prompt::read_prompt(request_json, prompt, error))
        route = it->second->route(prompt);
    else
        route = it->second->route_without_prompt();
    route.decision_time = clock.now() - start;
    return begin_on_route(generation, options, check.model, std::move(route));
}

BegunRequest begin_on_route(const Generation& generation, const RequestOptions& options, const std::string& model,
                            PromptRoute route) {
    if (const PoolConfig* pool = generation.config->find_pool(route.target))
        route.estimated_cost_usd = routing::cheapest_cost_in(*pool, options.estimated_usage);
    AttemptLoop loop = generation.core->begin_pool(route.target, options, model);
    return {std::move(loop), std::move(route), {}};
}

}  // namespace sw::api
