// route.cpp — `switchctl route`: how a prompt-routed model would route a message, without
// sending anything.
#include "args.hpp"
#include "commands.hpp"

#include <switch/config_loader.hpp>

#include "common/json_writer.hpp"
#include "prompt/prompt_router.hpp"
#include "routing/trace_json.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace switchctl {

namespace {
constexpr const char* kRouteUsage = "usage: switchctl route [-c FILE] -m MODEL [--json] MESSAGE\n";
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
    const sw::prompt::PromptRouter router(*model, *loaded.config);
    sw::prompt::Prompt prompt;
    prompt.messages.push_back({"user", parsed->message});
    const auto start = std::chrono::steady_clock::now();
    sw::PromptRoute route = router.route(prompt);
    route.decision_time = std::chrono::steady_clock::now() - start;
    if (parsed->json) {
        sw::JsonWriter w;
        sw::routing::write_route(w, route);
        std::puts(w.str().c_str());
        return kExitOk;
    }
    std::printf("label %s -> pool %s\n%s\n", route.label.c_str(), route.target.c_str(), route.reason.c_str());
    for (const auto& s : route.scores) {
        std::string signals;
        for (const auto& sig : s.signals) signals += (signals.empty() ? "" : ", ") + sig;
        std::printf("  %-8s %.2f (threshold %.2f)%s%s\n", s.label.c_str(), s.score, s.threshold,
                    signals.empty() ? "" : ": ", signals.c_str());
    }
    return kExitOk;
}

}  // namespace switchctl
