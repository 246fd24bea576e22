// test_prompt_routing.cpp — models that route by prompt: their configuration (both forms, and
// every error), and each label sent to its pool through the real request path, with failover.
#include "config_test_support.hpp"
#include "sim_scenario.hpp"

#include "prompt/prompt_router.hpp"

#include <simdjson.h>

using namespace swtest;
using sw::test::diagnostic_at;

namespace {

std::string chat(const std::string& text, const std::string& model = "auto") {
    return fmt::format(R"({{"model":"{}","messages":[{{"role":"user","content":"{}"}}]}})", model, text);
}

// Pools "strong", "cheap" and "backup" (strong falls back to backup), over the scenario's upstreams.
std::vector<std::string> pools() {
    return {pool("strong", {provider("s", {{"maxRetries", "0"}})}, {"backup"}), pool("cheap", {provider("c")}),
            pool("backup", {provider("b")})};
}

const std::string kRoutes =
    R"({"auto":{"router":{"strategy":"heuristic","routes":{"code":[{"pool":"strong"}],"complex":[{"pool":"strong"}],)"
    R"("simple":[{"pool":"cheap"}],"general":[{"pool":"cheap"}]}}}})";

std::string config_with(const std::string& models, const std::string& extra = "") {
    return R"({"pools":[{"id":"p","providers":[{"name":"a","provider":"custom","modelName":"m","apiBase":"https://a.example.invalid/v1"}]},)"
           R"({"id":"q","providers":[{"name":"b","provider":"custom","modelName":"m","apiBase":"https://b.example.invalid/v1"}]}],)"
           R"("models":)" + models + extra + "}";
}

// The model "auto" of a config that must load, with its router.
const sw::ModelConfig& routed_auto(const sw::LoadResult& r) {
    INFO(sw::format_diagnostics_text(r));
    REQUIRE(r.ok());
    const sw::ModelConfig* m = r.config->find_model("auto");
    REQUIRE(m);
    REQUIRE(m->router);
    return *m;
}

}  // namespace

TEST_CASE("prompt routing: each label goes to its pool, and the trace explains the decision") {
    Scenario s(pools(), "", {}, {}, kRoutes);
    SimResult code = s.chat(chat("how do I reverse a list in python"));
    REQUIRE(code.response.ok());
    CHECK(code.response.trace.pool_id == "strong");
    CHECK(code.response.trace.model == "auto");
    REQUIRE(code.response.trace.route);
    const sw::PromptRoute& route = *code.response.trace.route;
    CHECK(route.strategy == "heuristic");
    CHECK(route.rules == "standard");
    CHECK(route.label == "code");
    CHECK(route.target == "strong");
    REQUIRE(route.scores.size() == 3);
    CHECK(route.scores[0].label == "code");
    CHECK(route.scores[0].score >= route.scores[0].threshold);
    CHECK_THAT(route.reason, Catch::Contains("sent to its target, pool \"strong\""));

    SimResult simple = s.chat(chat("What is the capital of Peru?"));
    CHECK(simple.response.trace.pool_id == "cheap");
    CHECK(simple.response.trace.route->label == "simple");
    CHECK(s.attempts("s") == 1);
    CHECK(s.attempts("c") == 1);

    // The trace's JSON carries the route object, for C and Python.
    simdjson::dom::parser parser;
    const std::string json = simple.response.trace_json();
    std::string_view label, target;
    REQUIRE_FALSE(parser.parse(json)["route"]["label"].get(label));
    REQUIRE_FALSE(parser.parse(json)["route"]["target"].get(target));
    CHECK(label == "simple");
    CHECK(target == "cheap");
}

TEST_CASE("prompt routing: the target pool's machinery serves it, fallback chain included") {
    Scenario s(pools(), "", {}, {}, kRoutes);
    s.scripts["s"] = {error_answer(503)};
    SimResult r = s.chat(chat("Traceback (most recent call last): KeyError: 'id'"));
    REQUIRE(r.response.ok());
    CHECK(r.response.trace.route->target == "strong");
    CHECK(r.response.trace.pool_id == "backup");  // strong's fallback
    CHECK(r.response.trace.used_fallback);
    CHECK(s.attempts("s") == 1);
    CHECK(s.attempts("b") == 1);
}

TEST_CASE("prompt routing: a label without a target goes to the default label's, then to primaryPoolId") {
    const std::string models =
        R"({"auto":{"primaryPoolId":"backup","router":{"routes":{"code":[{"pool":"strong"}],"general":[{"pool":"cheap"}]}}},)"
        R"("auto2":{"primaryPoolId":"backup","router":{"routes":{"code":[{"pool":"strong"}]},"defaultLabel":"code"}},)"
        R"("auto3":{"primaryPoolId":"backup","router":{"routes":{"code":[{"pool":"strong"}]}}}})";
    Scenario s(pools(), "", {}, {}, models);
    SimResult r = s.chat(chat("What is the capital of Peru?"));
    CHECK(r.response.trace.route->label == "simple");
    CHECK(r.response.trace.pool_id == "cheap");
    CHECK_THAT(r.response.trace.route->reason, Catch::Contains("the default label \"general\"'s target"));
    CHECK(s.chat(chat("What is the capital of Peru?", "auto2")).response.trace.pool_id == "strong");
    SimResult primary = s.chat(chat("What is the capital of Peru?", "auto3"));
    CHECK(primary.response.trace.pool_id == "backup");
    CHECK_THAT(primary.response.trace.route->reason, Catch::Contains("the model's primary pool \"backup\""));
}

TEST_CASE("prompt routing: the modelmuxer rules, with the thresholds of the environment") {
    const std::string models =
        R"({"auto":{"router":{"rules":"modelmuxer","routes":{"code":[{"pool":"strong"}],"simple":[{"pool":"cheap"}],)"
        R"("general":[{"pool":"backup"}]}}}})";
    const std::string prompt = chat("a story about python and json");  // two keywords: code 0.2
    Scenario defaults(pools(), "", {}, {}, models);
    SimResult r = defaults.chat(prompt);
    CHECK(r.response.trace.route->rules == "modelmuxer");
    CHECK(r.response.trace.route->label == "code");
    CHECK(r.response.trace.pool_id == "strong");
    Scenario strict(pools(), "", {{"CODE_DETECTION_THRESHOLD", "0.3"}}, {}, models);
    SimResult g = strict.chat(prompt);
    CHECK(g.response.trace.route->label == "general");
    CHECK(g.response.trace.route->scores[0].threshold == 0.3);
    CHECK(g.response.trace.pool_id == "backup");
}

TEST_CASE("prompt routing config: a router model needs no primaryPoolId, and is read with its routes") {
    auto r = sw::test::load(config_with(
        R"({"auto":{"router":{"strategy":"heuristic","rules":"modelmuxer","routes":{"code":[{"pool":"p"}],)"
        R"("general":[{"pool":"q"}]},"defaultLabel":"general"}}})"));
    const sw::ModelConfig& m = routed_auto(r);
    CHECK(m.router->rules == "modelmuxer");
    CHECK(m.router->routes.size() == 2);
    CHECK(m.primary_pool_id.empty());
}

TEST_CASE("prompt routing config: each mistake has its path, its reason and a suggestion") {
    auto unknown_label = sw::test::load(config_with(R"({"auto":{"router":{"routes":{"cod":[{"pool":"p"}],"general":[{"pool":"q"}]}}}})"));
    CHECK_FALSE(unknown_label.ok());
    const sw::Diagnostic* d = diagnostic_at(unknown_label, "models.auto.router.routes.cod");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("unknown label \"cod\""));
    CHECK_THAT(d->suggestion, Catch::Contains("\"code\""));

    auto unknown_pool = sw::test::load(config_with(R"({"auto":{"router":{"routes":{"general":[{"pool":"qq"}]}}}})"));
    d = diagnostic_at(unknown_pool, "models.auto.router.routes.general[0].pool");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("unknown pool \"qq\""));

    auto cascade = sw::test::load(config_with(R"({"auto":{"router":{"strategy":"cascade","routes":{"general":[{"pool":"q"}]}}}})"));
    d = diagnostic_at(cascade, "models.auto.router");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("cascade step \"q\" has no price"));
    CHECK_THAT(d->suggestion, Catch::Contains("costPerToken"));

    auto rules = sw::test::load(config_with(R"({"auto":{"router":{"rules":"standrd","routes":{"general":[{"pool":"q"}]}}}})"));
    d = diagnostic_at(rules, "models.auto.router.rules");
    REQUIRE(d);
    CHECK_THAT(d->suggestion, Catch::Contains("\"standard\""));

    auto nowhere = sw::test::load(config_with(R"({"auto":{"router":{"routes":{"code":[{"pool":"p"}]}}}})"));
    d = diagnostic_at(nowhere, "models.auto.router");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("the default label \"general\" has no target"));

    auto empty = sw::test::load(config_with(R"({"auto":{"router":{}}})"));
    d = diagnostic_at(empty, "models.auto.router");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("routes by prompt but no label has a target"));

    auto pref_label = sw::test::load(config_with(R"({})", R"(,"routing_preferences":{"simpel":[{"pool":"q"}]})"));
    d = diagnostic_at(pref_label, "routing_preferences.simpel");
    REQUIRE(d);
    CHECK_THAT(d->suggestion, Catch::Contains("\"simple\""));
}

TEST_CASE("prompt routing config: a semantic router's mistakes have their path, reason and suggestion") {
    auto semantic = [](const std::string& router) {
        return sw::test::load(config_with(R"({"auto":{"router":{"strategy":"semantic",)" + router +
                                          R"(,"routes":{"general":[{"pool":"q"}]}}}})"));
    };
    auto no_utterances = semantic(R"("semantic":{"routes":{"legal":{"utterances":[]}}})");
    const sw::Diagnostic* d = diagnostic_at(no_utterances, "models.auto.router.semantic.routes.legal.utterances");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("at least one example utterance"));

    auto blank = semantic(R"("semantic":{"routes":{"legal":{"utterances":["my lease", "  "]}}})");
    d = diagnostic_at(blank, "models.auto.router.semantic.routes.legal.utterances[1]");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("an utterance is empty"));

    auto threshold = semantic(R"("semantic":{"routes":{"legal":{"utterances":["my lease"],"threshold":1.5}}})");
    CHECK(diagnostic_at(threshold, "models.auto.router.semantic.routes.legal.threshold"));

    auto typo = semantic(R"("semantic":{"embedder":"bultin"})");
    d = diagnostic_at(typo, "models.auto.router.semantic.embedder");
    REQUIRE(d);
    CHECK_THAT(d->suggestion, Catch::Contains("\"builtin\""));

    auto pool = semantic(R"("semantic":{"embedder":"pool"})");
    d = diagnostic_at(pool, "models.auto.router.semantic");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("the pool embedder needs the pool to embed through"));
    auto unknown_pool = semantic(R"("semantic":{"embedder":"pool","pool":"pp"})");
    d = diagnostic_at(unknown_pool, "models.auto.router.semantic.pool");
    REQUIRE(d);
    CHECK(d->message == "unknown pool \"pp\"");
    CHECK_THAT(d->suggestion, Catch::Contains("\"p\""));
    CHECK(semantic(R"("semantic":{"embedder":"pool","pool":"p"})").ok());
    auto unread_pool = semantic(R"("semantic":{"embedder":"builtin","pool":"p"})");
    d = diagnostic_at(unread_pool, "models.auto.router.semantic.pool");
    REQUIRE(d);
    CHECK(d->severity == sw::Severity::warning);

    auto bare = semantic(R"("semantic":{"defaultRoutes":false})");
    d = diagnostic_at(bare, "models.auto.router.semantic");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("needs routes of its own"));

    auto weights = sw::test::load(config_with(
        R"({"auto":{"router":{"strategy":"hybrid","hybrid":{"heuristic":0,"semantic":0},"routes":{"general":[{"pool":"q"}]}}}})"));
    d = diagnostic_at(weights, "models.auto.router.hybrid");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("add up to 0"));

    auto unread = sw::test::load(config_with(
        R"({"auto":{"router":{"semantic":{"embedder":"builtin"},"routes":{"general":[{"pool":"q"}]}}}})"));
    d = diagnostic_at(unread, "models.auto.router.semantic");
    REQUIRE(d);
    CHECK(d->severity == sw::Severity::warning);
    CHECK_THAT(d->message, Catch::Contains("does not read its semantic settings"));

    // A semantic route's label may be routed; a heuristic router does not know it.
    auto legal = sw::test::load(config_with(R"({"auto":{"router":{"strategy":"semantic",)"
                                            R"("semantic":{"routes":{"legal":{"utterances":["my lease"]}}},)"
                                            R"("routes":{"legal":[{"pool":"p"}],"general":[{"pool":"q"}]}}}})"));
    CHECK(routed_auto(legal).router->semantic.routes.size() == 1);
    auto heuristic_legal = sw::test::load(config_with(
        R"({"auto":{"router":{"routes":{"legal":[{"pool":"p"}],"general":[{"pool":"q"}]}}}})"));
    CHECK(diagnostic_at(heuristic_legal, "models.auto.router.routes.legal"));
}

TEST_CASE("prompt routing config: ModelMuxer's form routes model \"auto\" by routing_preferences") {
    const std::string yaml = R"(
providers:
  openai:
    api_key: sk-test-not-real
    models: [gpt-4o, gpt-4o-mini]
routing:
  default_strategy: hybrid
  strategies:
    heuristic:
      rules: modelmuxer
routing_preferences:
  code:
    - provider: openai
      model: gpt-4o
  general:
    - provider: openai
      model: gpt-4o-mini
)";
    auto r = sw::test::load(yaml);
    const sw::ModelConfig& m = routed_auto(r);
    CHECK(m.router->rules == "modelmuxer");
    CHECK(m.router->strategy == "hybrid");
    CHECK(m.router->hybrid.heuristic == 0.5);
    CHECK(m.router->hybrid.semantic == 0.5);
    CHECK(m.router->routes.empty());  // it reads routing_preferences
    CHECK_FALSE(diagnostic_at(r, "routing.default_strategy"));
    sw::prompt::PromptRouter router(m, *r.config, {});
    sw::prompt::Prompt p;
    p.messages.push_back({"user", "```python\nprint(1)\n```"});
    const sw::PromptRoute route = router.route(p);
    CHECK(route.strategy == "hybrid");
    CHECK(route.target == "openai/gpt-4o");

    // A cascade must price its steps: without models.yaml prices, "auto" cannot be one.
    std::string cascade = yaml;
    cascade.replace(cascade.find("default_strategy: hybrid"), 24, "default_strategy: cascade");
    auto c = sw::test::load(cascade);
    const sw::Diagnostic* d = diagnostic_at(c, "routing_preferences.router");
    REQUIRE(d);
    CHECK(d->severity == sw::Severity::error);
    CHECK_THAT(d->message, Catch::Contains("cascade step \"openai/gpt-4o\" has no price"));
    // With prices, it is one, cheapest first.
    auto priced = sw::test::load(cascade + R"(
models:
  openai:
    gpt-4o: {pricing: {input: 0.005, output: 0.015}}
    gpt-4o-mini: {pricing: {input: 0.00015, output: 0.0006}}
)");
    CHECK(routed_auto(priced).router->strategy == "cascade");

    // A disabled router has no vote.
    std::string no_semantic = yaml;
    no_semantic.replace(no_semantic.find("    heuristic:\n"), 15, "    semantic:\n      enabled: false\n    heuristic:\n");
    auto n = sw::test::load(no_semantic);
    CHECK(routed_auto(n).router->hybrid.semantic == 0);
    CHECK(routed_auto(n).router->hybrid.heuristic == 0.5);
}

TEST_CASE("prompt routing: labels of your own come first, and route like the heuristic's") {
    const std::string models =
        R"({"auto":{"router":{"labels":{"legal":{"patterns":["\\blease\\b","\\blandlord\\b","\\bdeposit\\b"],)"
        R"("minMatches":2}},"routes":{"legal":[{"pool":"strong"}],"code":[{"pool":"strong"}],)"
        R"("general":[{"pool":"cheap"}]}}}})";
    Scenario s(pools(), "", {}, {}, models);
    SimResult legal = s.chat(chat("My landlord kept my deposit after the lease ended"));
    REQUIRE(legal.response.ok());
    const sw::PromptRoute& route = *legal.response.trace.route;
    CHECK(route.label == "legal");
    CHECK(route.target == "strong");
    REQUIRE(route.scores.size() == 1);  // the heuristic was not needed
    CHECK(route.scores[0].score == 3);
    CHECK(route.scores[0].threshold == 2);
    CHECK(route.scores[0].signals == std::vector<std::string>{"pattern 1", "pattern 2", "pattern 3"});
    CHECK_THAT(route.reason, Catch::StartsWith("legal matched 3 of its patterns (at least 2)"));

    // One match is not enough: the heuristic decides, and the trace shows both.
    SimResult other = s.chat(chat("write a short poem about my landlord"));
    CHECK(other.response.trace.route->label == "general");
    CHECK(other.response.trace.pool_id == "cheap");
    REQUIRE(other.response.trace.route->scores.size() == 4);
    CHECK(other.response.trace.route->scores[0].label == "legal");
    CHECK(other.response.trace.route->scores[0].score == 1);
}

TEST_CASE("prompt routing config: a label of your own is checked where it is written") {
    auto builtin = sw::test::load(config_with(
        R"({"auto":{"router":{"labels":{"code":{"patterns":["x"]}},"routes":{"general":[{"pool":"q"}]}}}})"));
    const sw::Diagnostic* d = diagnostic_at(builtin, "models.auto.router.labels.code");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("one of the heuristic's own labels"));

    auto regex = sw::test::load(config_with(
        R"({"auto":{"router":{"labels":{"legal":{"patterns":["ok","(unclosed"]}},"routes":{"general":[{"pool":"q"}]}}}})"));
    d = diagnostic_at(regex, "models.auto.router.labels.legal.patterns[1]");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::StartsWith("invalid regular expression"));

    auto empty = sw::test::load(config_with(
        R"({"auto":{"router":{"labels":{"legal":{"patterns":[]}},"routes":{"general":[{"pool":"q"}]}}}})"));
    CHECK(diagnostic_at(empty, "models.auto.router.labels.legal.patterns"));

    auto too_many = sw::test::load(config_with(
        R"({"auto":{"router":{"labels":{"legal":{"patterns":["a"],"minMatches":2}},"routes":{"general":[{"pool":"q"}]}}}})"));
    CHECK(diagnostic_at(too_many, "models.auto.router.labels.legal.minMatches"));

    // A route may name the model's own label, and routing_preferences a label of a router that
    // reads them; a label nobody declared stays unknown.
    auto ok = sw::test::load(config_with(
        R"({"auto":{"router":{"labels":{"legal":{"patterns":["lease"]}},"routes":{"legal":[{"pool":"p"}],)"
        R"("general":[{"pool":"q"}]}}},"shared":{"router":{"labels":{"medical":{"patterns":["dose"]}}}}})",
        R"(,"routing_preferences":{"medical":[{"pool":"p"}],"general":[{"pool":"q"}]})"));
    INFO(sw::format_diagnostics_text(ok));
    CHECK(ok.ok());
    auto undeclared = sw::test::load(config_with(
        R"({"auto":{"router":{"routes":{"legal":[{"pool":"p"}],"general":[{"pool":"q"}]}}}})"));
    CHECK(diagnostic_at(undeclared, "models.auto.router.routes.legal"));
}

TEST_CASE("prompt routing: the route carries the request's estimated cost at its target pool") {
    const std::vector<std::string> priced = {pool("strong", {provider("s", {{"costPerToken", "0.001"}}),
                                                             provider("t", {{"costPerToken", "0.002"}})}),
                                             pool("cheap", {provider("c")})};
    Scenario s(priced, "", {}, {}, kRoutes);
    const std::string request = chat("how do I reverse a list in python");
    SimResult code = s.chat(request);
    REQUIRE(code.response.trace.route->target == "strong");
    const sw::TokenUsage estimate = sw::api::estimated_usage(
        sw::providers::check_request(sw::providers::Endpoint::chat_completions, request));
    CHECK(estimate.output_tokens == 1000);  // no max_tokens
    REQUIRE(code.response.trace.route->estimated_cost_usd);
    CHECK(*code.response.trace.route->estimated_cost_usd == Approx(0.001 * static_cast<double>(estimate.total())));
    // The cheap pool has no price: no estimate, and the JSON says so.
    SimResult simple = s.chat(chat("What is the capital of Peru?"));
    CHECK_FALSE(simple.response.trace.route->estimated_cost_usd);
    CHECK_THAT(simple.response.trace_json(), Catch::Contains(R"("estimated_cost_usd":null)"));
}
