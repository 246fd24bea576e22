// answer_scores.cpp — penalties for what makes an answer worse or less sure.
#include "prompt/answer_scores.hpp"

#include "prompt/text_scan.hpp"

#include <algorithm>
#include <array>

namespace sw::prompt {

namespace {

// Openings of an answer that declines the task.
constexpr std::array<std::string_view, 8> kRefusals = {
    "i'm sorry, but", "i am sorry, but", "i can't help", "i cannot help", "i can't assist",
    "i cannot assist", "as an ai", "i'm unable to"};

// Words of an answer unsure of itself, each lowering confidence by 0.15.
constexpr std::array<std::string_view, 10> kHedges = {
    "i'm not sure", "i am not sure", "not certain", "i think", "i believe", "might be", "possibly",
    "probably", "it depends", "may not be accurate"};

}  // namespace

AnswerScores score_answer(std::string_view prompt, std::string_view answer, std::string_view finish_reason) {
    AnswerScores s;
    const std::string lower = lower_ascii(answer);
    const auto first = lower.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        s.quality = 0;
        s.confidence = 0;
        s.signals.emplace_back("empty answer");
        return s;
    }
    if (finish_reason == "length") {
        s.quality -= 0.5;
        s.signals.emplace_back("cut short (length)");
    } else if (finish_reason == "content_filter") {
        s.quality -= 0.6;
        s.signals.emplace_back("filtered");
    }
    const std::string_view opening = std::string_view(lower).substr(first, 80);
    if (std::any_of(kRefusals.begin(), kRefusals.end(), [&](std::string_view r) { return has_word(opening, r); })) {
        s.quality -= 0.6;
        s.signals.emplace_back("refusal");
    }
    // A long question answered in a few words was most likely not answered.
    if (prompt.size() >= 200 && answer.size() - first < 40) {
        s.quality -= 0.3;
        s.signals.emplace_back("too short for the question");
    }
    if (has_word(lower, "i don't know") || has_word(lower, "i do not know")) {
        s.confidence -= 0.5;
        s.signals.emplace_back("does not know");
    }
    for (std::string_view hedge : kHedges)
        if (has_word(lower, hedge)) {
            s.confidence -= 0.15;
            s.signals.emplace_back(std::string("hedge: ") + std::string(hedge));
        }
    s.quality = std::clamp(s.quality, 0.0, 1.0);
    s.confidence = std::clamp(s.confidence, 0.0, 1.0);
    return s;
}

}  // namespace sw::prompt
