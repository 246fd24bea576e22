// answer_scores.hpp — the cascade's built-in judge: how good and how sure an answer looks, from
// its text alone (no model, no network). docs/prompt-routing.md, "The cascade", lists the rules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sw::prompt {

struct AnswerScores {
    double quality = 1;
    double confidence = 1;
    std::vector<std::string> signals;  // what lowered them, for the explanation
};

// `prompt` is the request's last user message; `finish_reason` the answer's.
AnswerScores score_answer(std::string_view prompt, std::string_view answer, std::string_view finish_reason);

}  // namespace sw::prompt
