// heuristic.hpp — labelling a prompt code, complex, simple or general by its text alone: no
// model, no network, microseconds.
//
// Two rule sets (docs/prompt-routing.md):
// - `modelmuxer` reproduces ModelMuxer's heuristic router, for its users: code scores 0.3 per
//   code-pattern match plus 0.1 per programming keyword present; complexity 0.1 per analysis
//   keyword present; simplicity 0.2 per simple-question phrase present, and counts only for a
//   prompt (all messages joined) shorter than SIMPLE_QUERY_MAX_LENGTH in at most 2 messages.
//   Each score is capped at 1. Code wins at CODE_DETECTION_THRESHOLD, then complexity at
//   COMPLEXITY_THRESHOLD, then simplicity at 0.2 (ModelMuxer's code compares it with 0.2 and
//   never reads SIMPLE_QUERY_THRESHOLD), else general.
// - `standard`, the default, reads the last user message first and the conversation for
//   context, with weighted signals per label (code shape and density, stack traces, shell
//   commands; maths, constraints, scenarios and length; short factual questions in several
//   languages), and compares each score with its own threshold (heuristic_standard.cpp).
#pragma once

#include "prompt/prompt.hpp"

#include <memory>
#include <string>
#include <vector>

namespace sw::prompt {

enum class HeuristicRules { standard, modelmuxer };

struct HeuristicThresholds {
    double code = 0.2;     // CODE_DETECTION_THRESHOLD
    double complex = 0.2;  // COMPLEXITY_THRESHOLD
    double simple = 0.3;   // SIMPLE_QUERY_THRESHOLD (the standard rules)
    std::size_t simple_max_length = 100;  // SIMPLE_QUERY_MAX_LENGTH
};

// One label's score against its threshold, and the signals that made it.
struct LabelScore {
    std::string label;
    double score = 0;
    double threshold = 0;
    std::vector<std::string> signals;  // names of the signals that fired, for the explanation
};

struct HeuristicDecision {
    std::string label;            // code, complex, simple or general
    std::vector<LabelScore> scores;  // code, complex, simple, in precedence order
    std::string reason;           // one line: why this label
};

class Heuristic {
public:
    Heuristic(HeuristicRules rules, HeuristicThresholds thresholds);
    ~Heuristic();
    Heuristic(Heuristic&&) noexcept;
    Heuristic& operator=(Heuristic&&) noexcept;

    // Thread-safe; allocates only for the decision it returns.
    HeuristicDecision classify(const Prompt& prompt) const;

    struct Rules;  // the compiled patterns of one rule set

private:
    HeuristicThresholds thresholds_;
    std::unique_ptr<const Rules> rules_;
};

}  // namespace sw::prompt
