// route.cpp — `switchctl route`: how a prompt-routed model would route a message, without
// sending anything.
#include "args.hpp"
#include "commands.hpp"

#include <switch/config_loader.hpp>

#include "api/generation.hpp"
#include "common/json_writer.hpp"
#include "prompt/prompt_router.hpp"
#include "routing/cost.hpp"
#include "routing/trace_json.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

namespace switchctl {

namespace {

constexpr const char* kRouteUsage = "usage: switchctl route [-c FILE] -m MODEL [--json] MESSAGE\n";

// The tokens the router would estimate for the request that `message` makes to `model`: what a
// route's cost is priced on, as the router prices it.
sw::TokenUsage estimated_usage_of(const std::string& model, const std::string& message) {
    sw::JsonWriter request;
    request.begin_object().key("model").string(model).key("messages").begin_array().begin_object();
    request.key("role").string("user").key("content").string(message).end_object().end_array().end_object();
    return sw::api::estimated_usage(
        sw::providers::check_request(sw::providers::Endpoint::chat_completions, request.str()));
}

// A cascade is decided by its answers, so nothing is sent: its steps in the order it would try
// them, what each could cost for this message, and its thresholds.
int print_cascade(const sw::ModelConfig& model, const sw::Config& config, const std::string& message, bool json) {
    const sw::api::CascadePlan plan = sw::api::make_cascade_plan(model, config);
    const sw::TokenUsage usage = estimated_usage_of(model.name, message);
    if (json) {
        sw::JsonWriter w;
        w.begin_object().key("strategy").string("cascade").key("steps").begin_array();
        for (const sw::PoolConfig* pool : plan.steps) {
            w.begin_object().key("pool").string(pool->id).key("estimated_cost_usd");
            if (auto c = sw::routing::cheapest_cost_in(*pool, usage)) w.number(*c);
            else w.null();
            w.end_object();
        }
        w.end_array().key("quality_threshold").number(plan.quality_threshold);
        w.key("confidence_threshold").number(plan.confidence_threshold).key("budget_usd").number(plan.max_budget);
        w.key("judge").string(plan.judge_callback ? "callback" : "builtin").end_object();
        std::puts(w.str().c_str());
        return kExitOk;
    }
    std::printf("cascade: tries each step, cheapest first, until an answer reaches quality %.2f and confidence %.2f "
                "(judge: %s); budget %.6g USD\n",
                plan.quality_threshold, plan.confidence_threshold, plan.judge_callback ? "callback" : "builtin",
                plan.max_budget);
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        const auto cost = sw::routing::cheapest_cost_in(*plan.steps[i], usage);
        std::printf("  %zu. pool %s: estimated %.6g USD\n", i + 1, plan.steps[i]->id.c_str(), cost.value_or(0));
    }
    return kExitOk;
}

}  // namespace

int run_route(const std::vector<std::string>& args) {
    int exit_code = kExitUsage;
    auto parsed = parse_model_message("route", args, kRouteUsage, {}, exit_code);
    if (!parsed) return exit_code;
    sw::LoadResult loaded = parsed->file.empty() ? sw::load_config_default() : sw::load_config_file(parsed->file);
    if (!loaded.ok()) {
        std::fputs(sw::format_diagnostics_text(loaded).c_str(), stderr);
        return kExitFailure;
    }
    const sw::ModelConfig* model = loaded.config->find_model(parsed->model);
    if (!model) {
        std::fprintf(stderr, "switchctl route: no model \"%s\" in the configuration\n", parsed->model.c_str());
        return kExitFailure;
    }
    if (!model->router) {
        std::fprintf(stderr, "switchctl route: model \"%s\" does not route by prompt; its requests go to pool \"%s\"\n",
                     model->name.c_str(), model->primary_pool_id.c_str());
        return kExitFailure;
    }
    if (model->router->strategy == "cascade") return print_cascade(*model, *loaded.config, parsed->message, parsed->json);
    std::unique_ptr<sw::prompt::PromptRouter> built;
    try {
        built = std::make_unique<sw::prompt::PromptRouter>(*model, *loaded.config, sw::EmbedFunction{});
    } catch (const std::invalid_argument&) {
        std::fprintf(stderr,
                     "switchctl route: model \"%s\" embeds with your application's callback, which switchctl "
                     "cannot call; route it from the application (response.switch.route)\n",
                     model->name.c_str());
        return kExitFailure;
    }
    const sw::prompt::PromptRouter& router = *built;
    sw::prompt::Prompt prompt;
    prompt.messages.push_back({"user", parsed->message});
    const auto start = std::chrono::steady_clock::now();
    sw::PromptRoute route = router.route(prompt);
    route.decision_time = std::chrono::steady_clock::now() - start;
    if (const sw::PoolConfig* pool = loaded.config->find_pool(route.target))
        route.estimated_cost_usd =
            sw::routing::cheapest_cost_in(*pool, estimated_usage_of(model->name, parsed->message));
    if (parsed->json) {
        sw::JsonWriter w;
        sw::routing::write_route(w, route);
        std::puts(w.str().c_str());
        return kExitOk;
    }
    std::printf("label %s -> pool %s\n%s\n", route.label.c_str(), route.target.c_str(), route.reason.c_str());
    if (route.estimated_cost_usd) std::printf("estimated cost: %.6g USD\n", *route.estimated_cost_usd);
    if (!route.fallback.empty()) std::printf("fallback: %s\n", route.fallback.c_str());
    for (const auto& s : route.scores) {
        std::string signals;
        for (const auto& sig : s.signals) signals += (signals.empty() ? "" : ", ") + sig;
        std::printf("  %-9s %-8s %.2f (threshold %.2f)%s%s\n", s.router.c_str(), s.label.c_str(), s.score,
                    s.threshold, signals.empty() ? "" : ": ", signals.c_str());
    }
    for (const auto& v : route.votes)
        std::printf("  vote: %-9s %-8s confidence %.2f, weight %.2f\n", v.router.c_str(),
                    v.label.empty() ? "(none)" : v.label.c_str(), v.confidence, v.weight);
    return kExitOk;
}

}  // namespace switchctl
