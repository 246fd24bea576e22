// default_routes.hpp — the semantic router's shipped routes for code, complex, simple and
// general: the tune split of the labelled prompt set (benchmarks/prompt_routing), with
// thresholds calibrated for the built-in embedder (docs/prompt-routing.md).
#pragma once

#include <switch/config.hpp>

#include <string_view>
#include <vector>

namespace sw::prompt {

namespace shipped {
extern const std::vector<std::string_view> code, complex, simple, general;  // default_routes_data.cpp
}

// The four routes, built once.
const std::vector<SemanticRoute>& default_semantic_routes();

}  // namespace sw::prompt
