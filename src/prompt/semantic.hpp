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

#include <atomic>
#include <memory>
#include <mutex>
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
    // A router whose embeddings are made elsewhere (the pool embedder, asynchronously): learn()
    // takes the utterances' vectors once, and classify_embedding() each request's.
    explicit SemanticRouter(const std::vector<SemanticRoute>& routes);

    // False with `error` when the embedder fails. Thread-safe.
    bool classify(std::string_view text, SemanticDecision& out, std::string& error) const;
    // The same for a request embedded already. False with `error` before learn(), or when the
    // vector's length is not the routes'. Thread-safe.
    bool classify_embedding(std::vector<float> embedding, SemanticDecision& out, std::string& error) const;

    // Whether the routes' centroids are known (always, for a router built with an embedder).
    bool learned() const { return learned_.load(std::memory_order_acquire); }
    // Every route's utterances, in route order: what learn() takes the vectors of.
    const std::vector<std::string>& utterances() const { return utterances_; }
    // The centroids from the utterances' vectors, in utterances() order. The first call that
    // succeeds sets them; later calls change nothing. Thread-safe.
    bool learn(const std::vector<std::vector<float>>& vectors, std::string& error);

private:
    struct Centroid {
        std::string label;
        std::vector<float> vector;
        double threshold;
    };
    // The centroids from each utterance's vector, which `vector_of(i, out, error)` gives for the
    // i-th of utterances(); false with `error` when one fails or the lengths differ.
    template <typename VectorOf>
    bool build(VectorOf vector_of, std::vector<Centroid>& out, std::string& error) const;

    std::shared_ptr<const Embedder> embedder_;  // for requests: cached, with CACHE_EMBEDDINGS; null: pool
    std::vector<SemanticRoute> routes_;         // labels, thresholds and how many utterances each has
    std::vector<std::string> utterances_;
    // Written once, before learned_ is set (in the constructor, or by learn() under the mutex),
    // and only read after it: readers take no lock.
    std::vector<Centroid> centroids_;
    std::string setup_error_;
    std::atomic<bool> learned_{false};
    std::mutex learning_;
};

}  // namespace sw::prompt
