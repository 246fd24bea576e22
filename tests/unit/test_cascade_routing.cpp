// test_cascade_routing.cpp — the cascade: steps cheapest first, each answer judged, escalation,
// a budget never exceeded (by estimate or by actual cost), the judge callback, and a stream that
// gets only the accepted answer, through the real request path on simulated time.
#include "sim_scenario.hpp"

#include <simdjson.h>

#include <stdexcept>

using namespace swtest;

namespace {

std::string chat(const std::string& text, const std::string& extra = "") {
    return fmt::format(R"({{"model":"auto"{},"messages":[{{"role":"user","content":"{}"}}]}})", extra, text);
}

// "strong" is listed first but costs ten times "cheap": the cascade asks "cheap" first.
std::vector<std::string> pools() {
    return {pool("strong", {provider("s", {{"maxRetries", "0"}, {"costPerToken", "0.00001"}})}),
            pool("cheap", {provider("c", {{"maxRetries", "0"}, {"costPerToken", "0.000001"}})})};
}

std::string cascade(const std::string& settings = "") {
    return R"({"auto":{"router":{"strategy":"cascade","cascade":{"steps":[{"pool":"strong"},{"pool":"cheap"}])" +
           settings + "}}}}";
}

// A whole answer with `content`, reporting `completion` tokens.
SimAnswer said(const std::string& content, int completion = 20, const std::string& finish = "stop") {
    return answer(200, R"({"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m",)"
                       R"("choices":[{"index":0,"message":{"role":"assistant","content":")" +
                           content + R"("},"finish_reason":")" + finish +
                           R"("}],"usage":{"prompt_tokens":10,"completion_tokens":)" + std::to_string(completion) +
                           "}}");
}

const sw::PromptRoute& route_of(const SimResult& r) {
    REQUIRE(r.response.trace.route);
    return *r.response.trace.route;
}

}  // namespace

TEST_CASE("cascade: the cheapest step first, a good answer is accepted, and nothing more is asked") {
    Scenario s(pools(), "", {}, {}, cascade());
    s.scripts["c"] = {said("Lima is the capital of Peru.")};
    SimResult r = s.chat(chat("What is the capital of Peru?"));
    REQUIRE(r.response.ok());
    CHECK(r.response.text == "Lima is the capital of Peru.");
    const sw::PromptRoute& route = route_of(r);
    CHECK(route.strategy == "cascade");
    REQUIRE(route.steps.size() == 1);
    CHECK(route.steps[0].pool == "cheap");
    CHECK(route.steps[0].accepted);
    CHECK(route.steps[0].quality == 1.0);
    CHECK(route.steps[0].confidence == 1.0);
    CHECK_THAT(route.steps[0].note, Catch::Contains("accepted by the built-in judge"));
    CHECK(route.target == "cheap");
    CHECK(route.steps[0].cost_usd == Approx(30 * 0.000001));
    CHECK(route.spent_usd == Approx(30 * 0.000001));
    REQUIRE(r.response.cost_usd);
    CHECK(*r.response.cost_usd == Approx(route.spent_usd));
    CHECK(route.budget_usd == 0.1);  // CASCADE_MAX_BUDGET's default
    CHECK(s.attempts("s") == 0);
    // The step went whole, and bounded: the request set no max_tokens.
    CHECK(s.io.sent.size() == 1);
    CHECK_THAT(s.io.sent[0].request.body, Catch::Contains(R"("stream":false)"));
    CHECK_THAT(s.io.sent[0].request.body, Catch::Contains(R"("max_tokens":4096)"));
    CHECK_THAT(r.response.trace_json(), Catch::Contains(R"("steps":[{"pool":"cheap")"));
}

TEST_CASE("cascade: a refusal, a hedge or a cut-short answer escalates to the next step") {
    Scenario s(pools(), "", {}, {}, cascade());
    s.scripts["c"] = {said("I'm sorry, but I can't help with that."), said("I think it might be Lima, possibly."),
                      said("Lima is", 20, "length")};
    s.scripts["s"] = {said("Lima.")};
    for (const char* why : {"refusal", "hedge: i think", "cut short (length)"}) {
        SimResult r = s.chat(chat("What is the capital of Peru?"));
        REQUIRE(r.response.ok());
        const sw::PromptRoute& route = route_of(r);
        REQUIRE(route.steps.size() == 2);
        CHECK_FALSE(route.steps[0].accepted);
        CHECK_THAT(route.steps[0].note, Catch::Contains("escalated by the built-in judge") && Catch::Contains(why));
        CHECK(route.steps[1].pool == "strong");
        CHECK(route.steps[1].accepted);
        CHECK(r.response.text == "Lima.");
        CHECK(route.spent_usd == Approx(30 * 0.000001 + 30 * 0.00001));
        CHECK(r.response.trace.attempts.size() == 2);  // both steps' attempts
    }
    CHECK(s.attempts("c") == 3);
    CHECK(s.attempts("s") == 3);
}

TEST_CASE("cascade: a failed step escalates, when no answer is accepted, the last one is returned") {
    Scenario s(pools(), "", {}, {}, cascade());
    s.scripts["c"] = {error_answer(503)};
    s.scripts["s"] = {said("I'm not sure. I don't know.")};
    SimResult r = s.chat(chat("What is the capital of Peru?"));
    REQUIRE(r.response.ok());
    const sw::PromptRoute& route = route_of(r);
    REQUIRE(route.steps.size() == 2);
    CHECK(route.steps[0].status == 502);  // its pool was exhausted by the upstream's 503
    CHECK_THAT(route.steps[0].note, Catch::Contains("failed: ") && Catch::Contains("503"));
    CHECK_FALSE(route.steps[1].accepted);
    CHECK(route.target == "strong");
    CHECK_THAT(route.reason, Catch::Contains("no step reached the thresholds; the last answer, pool \"strong\"'s"));

    // Every step failing: the last failure, listing the steps.
    s.scripts["s"] = {error_answer(500)};
    SimResult f = s.chat(chat("What is the capital of Peru?"));
    CHECK(f.response.status == 502);
    CHECK_THAT(f.response.error, Catch::Contains("no step of cascade \"auto\" answered: cheap (failed"));
}

TEST_CASE("cascade: a step that could push spend over the budget is skipped, the budget is never exceeded") {
    // 0.0002 USD: "cheap" is bounded at about 0.0002 with 4096 tokens (prompt bytes + tokens at
    // 1e-6), so it gets what the budget pays for; "strong" at 1e-5 a token could not fit after it.
    Scenario s(pools(), "", {}, {}, cascade(R"(,"maxBudget":0.0002)"));
    s.scripts["c"] = {said("I'm sorry, but I can't help with that.", 20)};
    SimResult r = s.chat(chat("What is the capital of Peru?"));
    REQUIRE(r.response.ok());
    const sw::PromptRoute& route = route_of(r);
    REQUIRE(route.steps.size() == 2);
    REQUIRE(route.steps[0].estimated_cost_usd);
    CHECK(*route.steps[0].estimated_cost_usd <= 0.0002 + 1e-12);
    CHECK(route.steps[1].status == 0);
    CHECK_THAT(route.steps[1].note, Catch::Contains("skipped: it could cost"));
    CHECK(route.spent_usd <= 0.0002);
    CHECK(s.attempts("s") == 0);
    // The step's max_tokens is what the budget left pays for, so its actual cost stays inside.
    simdjson::dom::parser parser;
    std::int64_t max_tokens = 0;
    REQUIRE_FALSE(parser.parse(s.io.sent[0].request.body)["max_tokens"].get(max_tokens));
    const auto prompt_bound = static_cast<double>(chat("What is the capital of Peru?").size());
    CHECK(static_cast<double>(max_tokens) == std::floor((0.0002 - prompt_bound * 1e-6) / 1e-6));

    // A budget no step fits: nothing is sent, and the caller is told why.
    Scenario tiny(pools(), "", {}, {}, cascade(R"(,"maxBudget":0.00001)"));
    SimResult none = tiny.chat(chat("What is the capital of Peru?"));
    CHECK(none.response.status == 400);
    CHECK(none.response.trace.error == sw::RouteError::rejected);
    CHECK_THAT(none.response.error, Catch::Contains("no step of cascade \"auto\" fits the budget of 1e-05 USD"));
    CHECK(tiny.io.sent.empty());

    // The request's own budget counts too: the smaller one holds.
    sw::ChatOptions budget;
    budget.max_cost_usd = 0.00001;
    SimResult own = s.chat(chat("What is the capital of Peru?"), budget);
    CHECK(own.response.status == 400);
    CHECK(route_of(own).budget_usd == 0.00001);
}

TEST_CASE("cascade: with the request's max_tokens, a step is bounded by it and nothing is added") {
    Scenario s(pools(), "", {}, {}, cascade());
    SimResult r = s.chat(chat("What is the capital of Peru?", R"(,"max_tokens":50)"));
    REQUIRE(r.response.ok());
    CHECK_THAT(s.io.sent[0].request.body, Catch::Contains(R"("max_tokens":50)"));
    const std::string& body = s.io.sent[0].request.body;
    CHECK(body.find("max_tokens") == body.rfind("max_tokens"));  // once
}

TEST_CASE("cascade: the thresholds are met at exactly their value, through a judge of your own") {
    double quality = 0.7;
    sw::RouterOptions options;
    options.judge = [&](std::string_view prompt, std::string_view answer) {
        CHECK(prompt == "What is the capital of Peru?");
        CHECK_FALSE(answer.empty());
        return sw::JudgeScores{quality, 0.7};
    };
    Scenario s(pools(), "", {}, options, cascade(R"(,"judge":"callback")"));
    SimResult at = s.chat(chat("What is the capital of Peru?"));
    REQUIRE(route_of(at).steps.size() == 1);
    CHECK(route_of(at).steps[0].accepted);
    CHECK_THAT(route_of(at).steps[0].note, Catch::Contains("accepted by the judge callback"));
    quality = 0.69;
    SimResult below = s.chat(chat("What is the capital of Peru?"));
    CHECK(route_of(below).steps.size() == 2);
    CHECK_FALSE(route_of(below).steps[0].accepted);

    // A failing judge never fails the request: the built-in one judges, and the trace says so.
    options.judge = [](std::string_view, std::string_view) -> sw::JudgeScores {
        throw std::runtime_error("judge model unavailable");
    };
    Scenario failing(pools(), "", {}, options, cascade(R"(,"judge":"callback")"));
    SimResult f = failing.chat(chat("What is the capital of Peru?"));
    REQUIRE(f.response.ok());
    CHECK_THAT(route_of(f).steps[0].note,
               Catch::Contains("the built-in judge (the judge callback failed: judge model unavailable)"));
}

TEST_CASE("cascade: a stream gets only the accepted answer, as chunks, after it is judged") {
    Scenario s(pools(), "", {}, {}, cascade());
    s.scripts["c"] = {said("I'm sorry, but I can't help with that.")};
    s.scripts["s"] = {said("Lima.")};
    SimResult r = s.chat(chat("What is the capital of Peru?", R"(,"stream":true,"stream_options":{"include_usage":true})"));
    REQUIRE(r.response.ok());
    REQUIRE(r.chunks.size() == 3);
    CHECK_THAT(r.chunks[0], Catch::Contains(R"("delta":{"role":"assistant","content":"Lima."})"));
    CHECK_THAT(r.chunks[0], Catch::Contains(R"("object":"chat.completion.chunk")"));
    CHECK_THAT(r.chunks[1], Catch::Contains(R"("finish_reason":"stop")"));
    CHECK_THAT(r.chunks[2], Catch::Contains(R"("usage":{"prompt_tokens":10,"completion_tokens":20)"));
    for (const auto& chunk : r.chunks) CHECK(chunk.find("sorry") == std::string::npos);
    // Each step went whole.
    for (const auto& sent : s.io.sent) CHECK_THAT(sent.request.body, Catch::Contains(R"("stream":false)"));
}

TEST_CASE("cascade config: steps must be served and priced, a judge callback must be given") {
    const std::string unpriced =
        R"({"pools":[{"id":"p","providers":[{"name":"a","provider":"custom","modelName":"m","apiBase":"https://a.example.invalid/v1"}]}],)"
        R"("models":{"auto":{"router":{"strategy":"cascade","cascade":{"steps":[{"pool":"p"},{"pool":"pp"}],"judge":"calback"}}}}})";
    auto r = sw::load_config_string(unpriced, sw::ConfigFormat::json);
    CHECK_FALSE(r.ok());
    const std::string text = sw::format_diagnostics_text(r);
    CHECK_THAT(text, Catch::Contains("models.auto.router.cascade.steps[1]: error: no pool serves this step"));
    CHECK_THAT(text, Catch::Contains("did you mean \"p\"?"));
    CHECK_THAT(text, Catch::Contains("models.auto.router.cascade.steps: error: cascade step \"p\" has no price"));
    CHECK_THAT(text, Catch::Contains("models.auto.router.cascade.judge: error: unknown judge \"calback\""));
    CHECK_THAT(text, Catch::Contains("did you mean \"callback\"?"));

    auto callback = sw::load_config_string(
        R"({"pools":[{"id":"p","providers":[{"name":"a","provider":"custom","modelName":"m","costPerToken":0.001,)"
        R"("apiBase":"https://a.example.invalid/v1"}]}],"models":{"auto":{"router":{"strategy":"cascade",)"
        R"("cascade":{"steps":[{"pool":"p"}],"judge":"callback"}}}}})",
        sw::ConfigFormat::json);
    INFO(sw::format_diagnostics_text(callback));
    REQUIRE(callback.ok());
    CHECK_THROWS_WITH(sw::Router(callback.config, {}),
                      Catch::Contains("model \"auto\" judges its cascade with a callback, and the router was given none"));
}
