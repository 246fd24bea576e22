// heuristic_modelmuxer.cpp — ModelMuxer's heuristic router, reproduced from its documented
// behaviour (heuristic.hpp): the weights, caps, thresholds, the simple-query limits and the
// precedence are ModelMuxer's. The vocabularies below are libswitch's own lists of the same
// kinds (code constructs, programming keywords, analysis words, simple-question phrases), so a
// borderline prompt can score differently from ModelMuxer's exact word lists.
#include "prompt/heuristic_rules.hpp"
#include "prompt/text_scan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace sw::prompt {

namespace {

// Code constructs; every match counts 0.3. Case-insensitive.
constexpr std::array kCodePatterns = {
    R"((?s)```.*?```)",                                    // a fenced block
    R"(`[^`\n]+`)",                                        // inline code
    R"(\b(?:def|fn|func)\s+\w+\s*\()",                    // a Python, Rust or Go function
    R"(\bfunction\s*\w*\s*\()",                           // a JavaScript function
    R"(\b(?:class|struct|interface)\s+\w+\s*[:({<])",      // a type definition
    R"(\b(?:public|private|protected)\s+[\w<>\[\]]+\s+\w+\s*\()",  // a Java or C# method
    R"((?m)^\s*(?:import|from|using|package)\s+[\w.]+)",  // an import line
    R"(#include\s*[<"][\w./]+[>"])",                      // a C or C++ include
    R"(\$\w+\s*=)",                                        // a shell or PHP assignment
    R"(\b(?:select\s+[\w*,\s]+\s+from|insert\s+into|create\s+table)\b)",  // SQL
    R"(<(\w+)[^>]*>[^<]*</\w+>)",                           // an HTML or XML element
    R"(\{\s*"\w+"\s*:)",                                   // a JSON object
};

// Programming keywords; each one present counts 0.1.
constexpr std::array kProgrammingKeywords = {
    "function", "class", "method", "def", "return", "import", "const", "var", "let", "async", "await",
    "lambda", "null", "void", "boolean", "integer", "string", "array", "struct", "enum", "exception",
    "compile", "compiler", "variable", "loop", "recursion", "pointer", "python", "javascript",
    "typescript", "java", "c++", "rust", "golang", "sql", "html", "css", "json", "regex", "bash",
};

// Words of analysis; each one present counts 0.1.
constexpr std::array kComplexityKeywords = {
    "analyze", "analyse", "analysis", "explain", "reasoning", "complex", "complicated", "algorithm",
    "optimize", "optimise", "architecture", "design", "performance", "scalability", "trade-off",
    "tradeoff", "compare", "comparison", "evaluate", "critique", "detailed", "comprehensive", "in-depth",
    "step-by-step", "methodology", "strategy", "implications", "pros and cons", "troubleshoot",
};

// Phrases of a simple question; each one present (anywhere, even inside a word) counts 0.2.
constexpr std::array kSimplePhrases = {
    "what is", "what's", "who is", "who was", "when is", "when was", "where is", "how many", "how much",
    "define", "definition", "meaning of", "translate", "convert", "capital of", "tell me",
};

struct ModelMuxerRules final : Heuristic::Rules {
    std::vector<std::unique_ptr<re2::RE2>> code_patterns;

    ModelMuxerRules() {
        re2::RE2::Options options;
        options.set_case_sensitive(false);
        options.set_log_errors(false);
        for (const char* p : kCodePatterns) code_patterns.push_back(std::make_unique<re2::RE2>(p, options));
    }

    void score(const Prompt& prompt, const HeuristicThresholds& t, LabelScore& code, LabelScore& complex,
               LabelScore& simple) const override {
        const std::string text = prompt.joined();
        const std::string lower = lower_ascii(text);
        int construct_hits = 0;
        for (std::size_t i = 0; i < code_patterns.size(); ++i)
            if (int n = count_matches(text, *code_patterns[i]); n > 0) {
                construct_hits += n;
                code.signals.push_back(fmt::format("code pattern {} x{}", i + 1, n));
            }
        int keyword_hits = 0;
        for (const char* k : kProgrammingKeywords)
            if (has_word(lower, k)) {
                ++keyword_hits;
                code.signals.emplace_back(k);
            }
        code.score = std::min(1.0, construct_hits * 0.3 + keyword_hits * 0.1);

        int complexity_hits = 0;
        for (const char* k : kComplexityKeywords)
            if (has_word(lower, k)) {
                ++complexity_hits;
                complex.signals.emplace_back(k);
            }
        complex.score = std::min(1.0, complexity_hits * 0.1);

        int simple_hits = 0;
        for (const char* p : kSimplePhrases)
            if (lower.find(p) != std::string::npos) {
                ++simple_hits;
                simple.signals.emplace_back(p);
            }
        simple.score = std::min(1.0, simple_hits * 0.2);
        // ModelMuxer compares simplicity with 0.2, whatever SIMPLE_QUERY_THRESHOLD says.
        simple.threshold = 0.2;
        // Simplicity counts only for a short prompt of at most 2 messages.
        if (text.size() >= t.simple_max_length || prompt.messages.size() > 2) {
            simple.signals.push_back(fmt::format("not short: {} characters in {} messages", text.size(),
                                                 prompt.messages.size()));
            simple.score = 0;
        }
    }
};

}  // namespace

std::unique_ptr<const Heuristic::Rules> modelmuxer_rules() { return std::make_unique<ModelMuxerRules>(); }

}  // namespace sw::prompt
