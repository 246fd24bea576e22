// semantic.hpp — labelling a prompt by the routes it is most similar to.
//
// Each route is the centroid of its example utterances' embeddings (L2-normalised). A request's
// last user message is embedded, and its cosine similarity with every centroid is its score
// for that route. The route with the highest score among those that reach their own threshold
// wins; when none reaches its threshold the router abstains, and the request gets the model's
// default label (docs/prompt-routing.md).
#pragma once

#include "prompt/embedder.hpp"
#include "prompt/heuristic.hpp"

#include <switch/config.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sw::prompt {

struct SemanticDecision {
    std::string label;                // empty: abstained
    std::vector<LabelScore> scores;   // every route, in the order configured
    std::string reason;
};

class SemanticRouter {
public:
    // Embeds every route's utterances once. `routes` are complete (thresholds resolved). If the
    // embedder fails on one, or answers vectors of different lengths, the router is not usable
    // and every classify() reports that error. With a `cache_capacity`, requests' embeddings
    // are kept in a cache of that many (CACHE_EMBEDDINGS).
    SemanticRouter(const std::vector<SemanticRoute>& routes, std::shared_ptr<const Embedder> embedder,
                   std::size_t cache_capacity);

    // False with `error` when the embedder fails. Thread-safe.
    bool classify(std::string_view text, SemanticDecision& out, std::string& error) const;

private:
    struct Centroid {
        std::string label;
        std::vector<float> vector;
        double threshold;
    };
    std::shared_ptr<const Embedder> embedder_;  // for requests: cached, with CACHE_EMBEDDINGS
    std::vector<Centroid> centroids_;
    std::string setup_error_;
};

}  // namespace sw::prompt
