// test_heuristic.cpp — reading a prompt, and both heuristic rule sets: ModelMuxer's documented
// behaviour at every threshold boundary, and the standard rules' labels and explanations.
#include "prompt/heuristic.hpp"

#include <catch2/catch.hpp>

#include <string>

using sw::prompt::Heuristic;
using sw::prompt::HeuristicRules;
using sw::prompt::HeuristicThresholds;
using sw::prompt::Prompt;

namespace {

Prompt user(std::string text) {
    Prompt p;
    p.messages.push_back({"user", std::move(text)});
    return p;
}

std::string label(HeuristicRules rules, const Prompt& p, HeuristicThresholds t = {}) {
    return Heuristic(rules, t).classify(p).label;
}

std::string muxer(const std::string& text, HeuristicThresholds t = {}) {
    return label(HeuristicRules::modelmuxer, user(text), t);
}

std::string standard(const std::string& text) { return label(HeuristicRules::standard, user(text)); }

double score_of(const sw::prompt::HeuristicDecision& d, const std::string& label) {
    for (const auto& s : d.scores)
        if (s.label == label) return s.score;
    FAIL("no score for " << label);
    return 0;
}

}  // namespace

TEST_CASE("prompt: string contents, text parts, and what is not a chat request") {
    Prompt p;
    std::string error;
    REQUIRE(sw::prompt::read_prompt(
        R"({"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":[)"
        R"({"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"here"}]},)"
        R"({"role":"assistant","content":null}]})",
        p, error));
    REQUIRE(p.messages.size() == 3);
    CHECK(p.messages[1].text == "look\nhere");  // the image is skipped
    CHECK(p.last_user() == "look\nhere");
    CHECK(p.joined() == "be brief look\nhere");
    CHECK(p.joined_length() == p.joined().size());
    CHECK_FALSE(sw::prompt::read_prompt("{", p, error));
    CHECK(error == "the request is not valid JSON");
    CHECK_FALSE(sw::prompt::read_prompt(R"({"model":"m"})", p, error));
    CHECK(error == "the request has no \"messages\" array");
    CHECK_FALSE(sw::prompt::read_prompt(R"({"messages":[{"content":"hi"}]})", p, error));
    CHECK(error == "a message has no \"role\"");
    CHECK_FALSE(sw::prompt::read_prompt(R"({"messages":[{"role":"user","content":7}]})", p, error));
}

TEST_CASE("modelmuxer rules: the guide's cases") {
    CHECK(muxer("```python\ndef add(a, b):\n    return a + b\n```") == "code");  // fenced Python
    CHECK(muxer("What is 2+2?") == "simple");
    CHECK(muxer("Write a short poem about autumn leaves") == "general");
}

TEST_CASE("modelmuxer rules: code at CODE_DETECTION_THRESHOLD, 0.3 a construct and 0.1 a keyword") {
    CHECK(muxer("a story about a python") == "general");        // one keyword: 0.1
    CHECK(muxer("a story about python and json") == "code");    // two keywords: 0.2, the threshold
    HeuristicThresholds strict;
    strict.code = 0.3;
    CHECK(muxer("a story about python and json", strict) == "general");  // 0.2 < 0.3
    CHECK(muxer("a story about `x`", strict) == "code");                 // one construct: 0.3
    const auto d = Heuristic(HeuristicRules::modelmuxer, {}).classify(user("`a` `b` `c` `d` python"));
    CHECK(score_of(d, "code") == 1.0);  // 4 x 0.3 + 0.1, capped at 1
}

TEST_CASE("modelmuxer rules: complexity at COMPLEXITY_THRESHOLD, 0.1 a keyword") {
    CHECK(muxer("please explain the plot of the film to my aunt") == "general");  // 0.1
    CHECK(muxer("please explain the design of this bridge to my aunt") == "complex");  // 0.2
    HeuristicThresholds strict;
    strict.complex = 0.3;
    CHECK(muxer("please explain the design of this bridge to my aunt", strict) == "general");
}

TEST_CASE("modelmuxer rules: simplicity needs a phrase, fewer than SIMPLE_QUERY_MAX_LENGTH characters, 2 messages") {
    const std::string question = "what is the tallest mountain";
    std::string at_limit = question + std::string(99 - question.size(), '.');  // 99 characters
    CHECK(at_limit.size() == 99);
    CHECK(muxer(at_limit) == "simple");
    CHECK(muxer(at_limit + ".") == "general");  // 100 characters: not below the limit
    HeuristicThresholds longer;
    longer.simple_max_length = 101;
    CHECK(muxer(at_limit + ".", longer) == "simple");

    Prompt two = user("what is the tallest mountain");
    two.messages.insert(two.messages.begin(), {"system", "be brief"});
    CHECK(label(HeuristicRules::modelmuxer, two) == "simple");
    Prompt three = two;
    three.messages.insert(three.messages.begin() + 1, {"assistant", "ok"});
    CHECK(label(HeuristicRules::modelmuxer, three) == "general");  // more than 2 messages
    // SIMPLE_QUERY_THRESHOLD does not move it: ModelMuxer compares with 0.2.
    HeuristicThresholds strict;
    strict.simple = 0.9;
    CHECK(muxer("what is the tallest mountain", strict) == "simple");
}

TEST_CASE("modelmuxer rules: code > complex > simple > general") {
    CHECK(muxer("explain this algorithm: `x = y`") == "code");    // code and complex: code
    CHECK(muxer("what is a detailed analysis") == "complex");     // complex and simple: complex
}

TEST_CASE("standard rules: each label, in English and in other languages") {
    CHECK(standard("how do I reverse a list in python") == "code");
    CHECK(standard("Traceback (most recent call last):\n  File \"app.py\", line 3\nKeyError: 'id'") == "code");
    CHECK(standard("kill port 3000") == "code");
    CHECK(standard("A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. "
                   "How much does the ball cost?") == "complex");
    CHECK(standard("Prove that there are infinitely many primes.") == "complex");
    CHECK(standard("What is the capital of Peru?") == "simple");
    CHECK(standard("¿Cuántas lunas tiene Marte?") == "simple");
    CHECK(standard("convert 72 fahrenheit to celsius") == "simple");
    CHECK(standard("write a haiku about recursion") == "general");
    CHECK(standard("any tips for my first time going to a music festival alone?") == "general");
}

TEST_CASE("standard rules: a short follow-up to code is code, unless it changes the subject") {
    Prompt p;
    p.messages = {{"user", "```js\nfetch(url).then(r => r.json())\n```\nwhy is this undefined?"},
                  {"assistant", "Because the promise is not awaited."},
                  {"user", "ok, now make it retry three times"}};
    CHECK(label(HeuristicRules::standard, p) == "code");
    p.messages.back().text = "thanks! unrelated: who painted Starry Night?";
    CHECK(label(HeuristicRules::standard, p) == "simple");
}

TEST_CASE("standard rules: every decision names its signals, and the thresholds move the cut-off") {
    const auto d = Heuristic(HeuristicRules::standard, {}).classify(user("how do I reverse a list in python"));
    REQUIRE(d.scores.size() == 3);
    CHECK(d.scores[0].label == "code");
    CHECK_FALSE(d.scores[0].signals.empty());
    CHECK_THAT(d.reason, Catch::StartsWith("code score"));
    HeuristicThresholds strict;
    strict.code = score_of(d, "code") + 0.01;
    CHECK(label(HeuristicRules::standard, user("how do I reverse a list in python"), strict) != "code");
}
