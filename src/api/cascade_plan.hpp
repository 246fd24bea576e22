// cascade_plan.hpp — a cascade model's steps in the order they are tried, and its thresholds,
// resolved once per configuration.
#pragma once

#include <switch/config.hpp>

#include <string>
#include <vector>

namespace sw::api {

struct CascadePlan {
    std::string model;
    // Cheapest first: by what 1,000 input and 1,000 output tokens cost at each step's cheapest
    // priced provider; steps that cost the same keep the order configured.
    std::vector<const PoolConfig*> steps;
    double quality_threshold = 0.7;
    double confidence_threshold = 0.7;
    double max_budget = 0.1;  // USD, for all of a request's steps together
    bool judge_callback = false;
};

// `model` routes by cascade, in `config`, which the config check has validated.
CascadePlan make_cascade_plan(const ModelConfig& model, const Config& config);

}  // namespace sw::api
