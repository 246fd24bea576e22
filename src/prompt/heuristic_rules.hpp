// heuristic_rules.hpp — the interface between the heuristic and its two rule sets.
#pragma once

#include "prompt/heuristic.hpp"

namespace sw::prompt {

// A rule set scores a prompt for code, complexity and simplicity. Each LabelScore arrives with
// its label and the configured threshold set; the rule set fills its score and signals (and may
// replace a threshold its rules define otherwise).
struct Heuristic::Rules {
    virtual ~Rules() = default;
    virtual void score(const Prompt& prompt, const HeuristicThresholds& thresholds, LabelScore& code,
                       LabelScore& complex, LabelScore& simple) const = 0;
};

std::unique_ptr<const Heuristic::Rules> modelmuxer_rules();
std::unique_ptr<const Heuristic::Rules> standard_rules();

}  // namespace sw::prompt
