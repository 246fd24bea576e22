// semantic.cpp — centroids once, then one embedding and a dot product per route per request.
#include "prompt/semantic.hpp"

#include "prompt/embedding_cache.hpp"

#include <fmt/format.h>

#include <cmath>

namespace sw::prompt {

namespace {

// Eight partial sums, so that the compiler can vectorise the reduction (a single running sum
// must be added in order, one addition's latency at a time).
double dot(const std::vector<float>& a, const std::vector<float>& b) {
    float partial[8] = {};
    const std::size_t n = a.size(), whole = n - n % 8;
    for (std::size_t i = 0; i < whole; i += 8)
        for (std::size_t k = 0; k < 8; ++k) partial[k] += a[i + k] * b[i + k];
    double sum = 0;
    for (float p : partial) sum += p;
    for (std::size_t i = whole; i < n; ++i) sum += static_cast<double>(a[i]) * b[i];
    return sum;
}

void normalise(std::vector<float>& v) {
    const double norm = dot(v, v);
    if (norm <= 0) return;
    const auto scale = static_cast<float>(1.0 / std::sqrt(norm));
    for (float& x : v) x *= scale;
}

}  // namespace

SemanticRouter::SemanticRouter(const std::vector<SemanticRoute>& routes) : routes_(routes) {
    if (routes.empty()) setup_error_ = "the router has no routes";
    for (const SemanticRoute& route : routes_)
        utterances_.insert(utterances_.end(), route.utterances.begin(), route.utterances.end());
}

SemanticRouter::SemanticRouter(const std::vector<SemanticRoute>& routes, std::shared_ptr<const Embedder> embedder,
                               std::size_t cache_capacity)
    : SemanticRouter(routes) {
    embedder_ = cache_capacity ? std::make_shared<CachedEmbedder>(embedder, cache_capacity) : embedder;
    if (!setup_error_.empty()) return;
    // Not the cache: requests' embeddings go there.
    auto vector_of = [&](std::size_t i, std::vector<float>& out, std::string& error) {
        return embedder->embed(utterances_[i], out, error);
    };
    if (build(vector_of, centroids_, setup_error_)) learned_.store(true, std::memory_order_release);
}

template <typename VectorOf>
bool SemanticRouter::build(VectorOf vector_of, std::vector<Centroid>& out, std::string& error) const {
    std::vector<float> e;
    std::size_t next = 0;
    for (const SemanticRoute& route : routes_) {
        Centroid c{route.label, {}, route.threshold.value_or(0)};
        for (std::size_t k = 0; k < route.utterances.size(); ++k) {
            std::string why;
            if (!vector_of(next++, e, why)) {
                error = fmt::format("embedding route \"{}\"'s utterances: {}", route.label, why);
                return false;
            }
            normalise(e);  // each utterance counts the same, however its embedder scales it
            if (c.vector.empty()) c.vector.assign(e.size(), 0.0f);
            if (e.size() != c.vector.size() || (!out.empty() && e.size() != out[0].vector.size())) {
                error = fmt::format("the embedder answered vectors of different lengths ({} and {})", e.size(),
                                    c.vector.size());
                return false;
            }
            for (std::size_t i = 0; i < e.size(); ++i) c.vector[i] += e[i];
        }
        normalise(c.vector);
        out.push_back(std::move(c));
    }
    return true;
}

bool SemanticRouter::learn(const std::vector<std::vector<float>>& vectors, std::string& error) {
    std::lock_guard lock(learning_);
    if (learned()) return true;
    if (!setup_error_.empty()) {
        error = setup_error_;
        return false;
    }
    if (vectors.size() != utterances_.size()) {
        error = fmt::format("{} vectors for {} utterances", vectors.size(), utterances_.size());
        return false;
    }
    auto vector_of = [&](std::size_t i, std::vector<float>& out, std::string& why) {
        out = vectors[i];
        if (out.empty()) why = "an empty vector";
        return !out.empty();
    };
    std::vector<Centroid> centroids;
    if (!build(vector_of, centroids, error)) return false;
    centroids_ = std::move(centroids);
    learned_.store(true, std::memory_order_release);
    return true;
}

bool SemanticRouter::classify(std::string_view text, SemanticDecision& out, std::string& error) const {
    if (!learned()) {
        error = setup_error_;
        return false;
    }
    std::vector<float> e;
    if (!embedder_->embed(text, e, error)) return false;
    return classify_embedding(std::move(e), out, error);
}

bool SemanticRouter::classify_embedding(std::vector<float> e, SemanticDecision& out, std::string& error) const {
    if (!learned()) {
        error = setup_error_.empty() ? "the routes' utterances are not embedded yet" : setup_error_;
        return false;
    }
    if (e.size() != centroids_.front().vector.size()) {
        error = fmt::format("the embedder answered {} values for the request and {} for the routes", e.size(),
                            centroids_.front().vector.size());
        return false;
    }
    normalise(e);
    out.scores.clear();
    const Centroid* best = nullptr;
    double best_score = 0;
    for (const Centroid& c : centroids_) {
        const double similarity = dot(e, c.vector);
        out.scores.push_back({c.label, similarity, c.threshold, {}});
        if (similarity + 1e-9 >= c.threshold && (!best || similarity > best_score)) {
            best = &c;
            best_score = similarity;
        }
    }
    if (best) {
        out.label = best->label;
        out.reason = fmt::format("{} is the closest route, similarity {:.2f} (threshold {:.2f})", best->label,
                                 best_score, best->threshold);
    } else {
        out.label.clear();
        out.reason = "no route reached its similarity threshold";
    }
    return true;
}

}  // namespace sw::prompt
