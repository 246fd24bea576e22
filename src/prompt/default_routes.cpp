// default_routes.cpp — the shipped routes, and their thresholds.
#include "prompt/default_routes.hpp"

namespace sw::prompt {

namespace {

SemanticRoute shipped_route(std::string label, const std::vector<std::string_view>& utterances, double threshold) {
    SemanticRoute route;
    route.label = std::move(label);
    route.utterances.assign(utterances.begin(), utterances.end());
    route.threshold = threshold;
    return route;
}

}  // namespace

const std::vector<SemanticRoute>& default_semantic_routes() {
    // The built-in embedder's cosines with these centroids: see benchmarks/README.md
    // ("Prompt routing accuracy") for how the thresholds were chosen on the tune split.
    static const std::vector<SemanticRoute> routes = {
        shipped_route("code", shipped::code, 0.05),
        shipped_route("complex", shipped::complex, 0.05),
        shipped_route("simple", shipped::simple, 0.05),
        shipped_route("general", shipped::general, 0.05),
    };
    return routes;
}

}  // namespace sw::prompt
