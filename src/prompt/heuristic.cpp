// heuristic.cpp — the decision both rule sets share: code > complex > simple > general, each at
// its threshold.
#include "prompt/heuristic.hpp"

#include "prompt/heuristic_rules.hpp"

#include <fmt/format.h>

namespace sw::prompt {

Heuristic::Heuristic(HeuristicRules rules, HeuristicThresholds thresholds)
    : thresholds_(thresholds),
      rules_(rules == HeuristicRules::modelmuxer ? modelmuxer_rules() : standard_rules()) {}

Heuristic::~Heuristic() = default;
Heuristic::Heuristic(Heuristic&&) noexcept = default;
Heuristic& Heuristic::operator=(Heuristic&&) noexcept = default;

HeuristicDecision Heuristic::classify(const Prompt& prompt) const {
    HeuristicDecision d;
    d.scores.resize(3);
    LabelScore& code = d.scores[0];
    LabelScore& complex = d.scores[1];
    LabelScore& simple = d.scores[2];
    code.label = "code";
    code.threshold = thresholds_.code;
    complex.label = "complex";
    complex.threshold = thresholds_.complex;
    simple.label = "simple";
    simple.threshold = thresholds_.simple;
    rules_->score(prompt, thresholds_, code, complex, simple);
    for (const LabelScore* s : {&code, &complex, &simple}) {
        if (s->score + 1e-9 >= s->threshold && s->score > 0) {
            d.label = s->label;
            d.reason = fmt::format("{} score {:.2f} reached its threshold {:.2f}", s->label, s->score, s->threshold);
            return d;
        }
    }
    d.label = "general";
    d.reason = "no score reached its threshold";
    return d;
}

}  // namespace sw::prompt
