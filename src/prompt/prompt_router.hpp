// prompt_router.hpp — a prompt-routed model's decision: the label of a request's prompt, and the
// pool that takes it (docs/prompt-routing.md).
#pragma once

#include "prompt/heuristic.hpp"
#include "prompt/prompt.hpp"

#include <switch/config.hpp>
#include <switch/trace.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace re2 {
class RE2;
}

namespace sw::prompt {

class PromptRouter {
public:
    // `model` has a `router`; its targets and thresholds are read from `config`, which the
    // config check has validated.
    PromptRouter(const ModelConfig& model, const Config& config);
    ~PromptRouter();

    // Where `prompt` goes, and why. The label is the first of the model's own labels whose
    // patterns match the last user message often enough, else the heuristic's. The target pool is
    // the label's first target that a pool
    // serves; for a label without one, the default label's; then the model's primaryPoolId. It is
    // empty only for a configuration the config check refuses.
    PromptRoute route(const Prompt& prompt) const;
    // Where a request goes that has no prompt to read (an embeddings request): the default label's
    // target, as for a prompt whose label has none.
    PromptRoute route_without_prompt() const;

private:
    std::string pool_for(const std::string& label) const;
    std::string fallback_pool(std::string& reason) const;

    // A label of the model's own, compiled.
    struct OwnLabel {
        std::string name;
        std::vector<std::unique_ptr<re2::RE2>> patterns;
        int min_matches = 1;
    };
    // The first own label `text` earns, with every own label's score in `scores`; null if none.
    const OwnLabel* own_label(std::string_view text, std::vector<RouteScore>& scores) const;

    std::string rules_;
    Heuristic heuristic_;
    std::vector<OwnLabel> own_;
    std::vector<std::pair<std::string, std::string>> pools_;  // label -> pool id
    std::string default_label_;
    std::string primary_pool_;
};

}  // namespace sw::prompt
