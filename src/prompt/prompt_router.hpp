// prompt_router.hpp — a prompt-routed model's decision: the label of a request's prompt, and the
// pool that takes it (docs/prompt-routing.md).
#pragma once

#include "prompt/heuristic.hpp"
#include "prompt/prompt.hpp"
#include "prompt/semantic.hpp"

#include <switch/config.hpp>
#include <switch/router.hpp>
#include <switch/trace.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace re2 {
class RE2;
}

namespace sw::prompt {

// A request's embedding made through a pool embedder, or why it could not be made.
struct PoolEmbedding {
    std::vector<float> vector;
    std::string error;  // empty: `vector` holds the embedding
};

class PromptRouter {
public:
    // `model` has a `router`; its targets and thresholds are read from `config`, which the
    // config check has validated. A semantic or hybrid router embeds its routes' utterances here,
    // with `embedder` when its config says "callback" (then it must not be empty).
    PromptRouter(const ModelConfig& model, const Config& config, const EmbedFunction& embedder);
    ~PromptRouter();

    // Where `prompt` goes, and why. The label is the first of the model's own labels whose
    // patterns match the last user message often enough, else the strategy's: the heuristic's,
    // the semantic router's (the default label when it abstains), or the hybrid's vote. The
    // target pool is the label's first target that a pool serves; for a label without one, the
    // default label's; then the model's primaryPoolId. It is empty only for a configuration the
    // config check refuses. Thread-safe.
    PromptRoute route(const Prompt& prompt) const;
    // The same, for a router whose embedder is a pool, with the prompt's embedding made through
    // it (or why not: the heuristic then decides, and the route says so). route() without it
    // falls back the same way: it sends nothing.
    PromptRoute route(const Prompt& prompt, const PoolEmbedding& embedding) const;
    // Where a request goes that has no prompt to read (an embeddings request): the default label's
    // target, as for a prompt whose label has none.
    PromptRoute route_without_prompt() const;

    // The pool embedder's pool; empty for every other embedder (and for the heuristic).
    const std::string& embeddings_pool() const { return embeddings_pool_; }
    // With a pool embedder: the utterances still to embed (all of them until learn_utterances()
    // succeeds, then none), and their vectors, in that order. Thread-safe.
    std::vector<std::string> utterances_to_embed() const;
    bool learn_utterances(const std::vector<std::vector<float>>& vectors, std::string& error) const;

private:
    PromptRoute route_with(const Prompt& prompt, const PoolEmbedding* embedding) const;
    std::string pool_for(const std::string& label) const;
    std::string fallback_pool(std::string& reason) const;
    // The label by the strategy, with its scores, votes and fallback in `r`; returns why.
    std::string label_by_strategy(const Prompt& prompt, const PoolEmbedding* embedding, PromptRoute& r) const;
    std::string label_by_heuristic(const Prompt& prompt, PromptRoute& r) const;
    std::string label_by_hybrid(const Prompt& prompt, const SemanticDecision& semantic, PromptRoute& r) const;

    // A label of the model's own, compiled.
    struct OwnLabel {
        std::string name;
        std::vector<std::unique_ptr<re2::RE2>> patterns;
        int min_matches = 1;
    };
    // The first own label `text` earns, with every own label's score in `scores`; null if none.
    const OwnLabel* own_label(std::string_view text, std::vector<RouteScore>& scores) const;

    std::string strategy_;
    std::string rules_;
    Heuristic heuristic_;
    std::string embedder_name_;
    std::string embeddings_pool_;
    std::unique_ptr<SemanticRouter> semantic_;  // semantic and hybrid
    HybridWeights weights_;
    std::vector<OwnLabel> own_;
    std::vector<std::pair<std::string, std::string>> pools_;  // label -> pool id
    std::string default_label_;
    std::string primary_pool_;
};

// The routes a semantic router uses: the shipped ones (unless `defaultRoutes` is false), each
// replaced by the user's route of the same label, then the user's others; every threshold set
// (a route's own, else SIMILARITY_THRESHOLD).
std::vector<SemanticRoute> resolved_semantic_routes(const SemanticRouterConfig& semantic,
                                                    const IntelligenceConfig& intelligence);

}  // namespace sw::prompt
