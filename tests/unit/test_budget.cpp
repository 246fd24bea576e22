// test_budget.cpp — a request's budget: providers it cannot pay for are not tried, and a request
// that can pay for none says so.
#include "routing_fixtures.hpp"
#include "sim_scenario.hpp"

#include "api/generation.hpp"
#include "providers/adapter.hpp"

#include <catch2/catch.hpp>

using namespace swtest;

namespace {

sw::ProviderConfig priced(std::string name, std::optional<double> per_token) {
    auto p = no_retry(std::move(name));
    p.cost_per_token = per_token;
    return p;
}

sw::RequestOptions budget(double usd, std::uint64_t input = 100, std::uint64_t output = 100) {
    sw::RequestOptions o;
    o.max_cost_usd = usd;
    o.estimated_usage = {input, output};
    return o;
}

}  // namespace

TEST_CASE("budget: providers over it, or without a price, are not tried") {
    Harness h;
    // 200 estimated tokens: a costs 0.2, b 0.002, c has no price.
    h.config->pools.push_back(pool("P", {priced("a", 0.001), priced("b", 0.00001), priced("c", std::nullopt)},
                                   sw::Strategy::round_robin));
    h.build();
    ScriptedTransport t(*h.clock);
    for (int i = 0; i < 3; ++i) {
        auto r = route(h, t, h.core->begin("m", budget(0.01)));
        REQUIRE(r.ok);
        CHECK(r.provider == "b");
    }
    CHECK(t.providers_called() == std::vector<std::string>{"b", "b", "b"});
    // Without a budget, round robin uses all three.
    for (int i = 0; i < 3; ++i) route(h, t, h.core->begin("m"));
    CHECK(t.calls.size() == 6);
}

TEST_CASE("budget: a fallback pool that fits serves when the primary does not") {
    Harness h;
    h.config->pools.push_back(pool("P", {priced("a", 0.001)}, sw::Strategy::round_robin, {"Q"}));
    h.config->pools.push_back(pool("Q", {priced("b", 0.00001)}));
    h.build();
    ScriptedTransport t(*h.clock);
    auto r = route(h, t, h.core->begin("m", budget(0.01)));
    REQUIRE(r.ok);
    CHECK(r.provider == "b");
    CHECK(r.used_fallback);
}

TEST_CASE("budget: with no provider that fits, the request is rejected and names each one") {
    Harness h;
    h.config->pools.push_back(pool("P", {priced("a", 0.001), priced("c", std::nullopt)}));
    h.build();
    ScriptedTransport t(*h.clock);
    auto r = route(h, t, h.core->begin("m", budget(0.01)));
    CHECK_FALSE(r.ok);
    CHECK(r.error == sw::RouteError::rejected);
    CHECK(r.error_class == sw::ErrorClass::invalid_request);
    CHECK(r.message == "no provider for \"m\" fits the budget of 0.01 USD: P/a (estimated 0.2 USD), P/c (price unknown)");
    CHECK(t.calls.empty());
}

TEST_CASE("budget: when what it can pay for fails, the error says what the budget left out") {
    Harness h;
    h.config->pools.push_back(pool("P", {priced("a", 0.001), priced("b", 0.00001)}));
    h.build();
    ScriptedTransport t(*h.clock);
    t.script("b", {http(503)});
    auto r = route(h, t, h.core->begin("m", budget(0.01)));
    CHECK(r.error == sw::RouteError::exhausted);
    CHECK_THAT(r.message, Catch::EndsWith("; not tried, over the budget of 0.01 USD: P/a (estimated 0.2 USD)"));
}

TEST_CASE("budget: the estimate counts the prompt and max_tokens, or a 1,000-token answer") {
    Scenario s({pool("primary", {provider("a", {{"costPerToken", "0.00001"}})})});
    sw::ChatOptions opts;
    opts.max_cost_usd = 0.005;  // 500 tokens
    auto with = [&](const std::string& extra) {
        return s.chat(R"({"model":"chat","messages":[{"role":"user","content":"hi"}])" + extra + "}", opts);
    };
    CHECK(with(R"(,"max_tokens":100)").response.ok());
    SimResult big = with(R"(,"max_tokens":1000)");
    CHECK(big.response.status == 400);
    CHECK_THAT(big.response.error, Catch::StartsWith("no provider for \"chat\" fits the budget of 0.005 USD"));
    CHECK(with("").response.status == 400);  // no max_tokens: 1,000 assumed
    CHECK(s.attempts("a") == 1);
}

TEST_CASE("budget: the request's own max_cost_usd member, the tighter of it and the options, never sent upstream") {
    // About 30 + 100 estimated tokens: a costs about 0.13 USD, b about 0.0013.
    Scenario s({pool("primary", {provider("a", {{"costPerToken", "0.001"}}), provider("b", {{"costPerToken", "0.00001"}})})});
    auto request = [](const std::string& budget) {
        return R"({"model":"chat","messages":[{"role":"user","content":"hi"}],"max_tokens":100,"max_cost_usd":)" +
               budget + "}";
    };
    auto over = [](std::optional<double> usd) {
        sw::ChatOptions o;
        o.max_cost_usd = usd;
        return o;
    };
    for (int i = 0; i < 2; ++i) {  // round robin would reach a on one of them without the budget
        SimResult r = s.chat(request("0.01"));
        REQUIRE(r.response.ok());
        CHECK(r.response.trace.provider == "b");
    }
    CHECK(s.attempts("a") == 0);
    for (const auto& sent : s.io.sent) CHECK(sent.request.body.find("max_cost_usd") == std::string::npos);

    // Both set: the tighter one holds, whichever carries it.
    CHECK(s.chat(request("1"), over(0.01)).response.trace.provider == "b");
    CHECK(s.chat(request("1"), over(0.01)).response.trace.provider == "b");
    SimResult tight = s.chat(request("0.0001"), over(1));
    CHECK(tight.response.status == 400);
    CHECK_THAT(tight.response.error, Catch::StartsWith("no provider for \"chat\" fits the budget of 0.0001 USD"));
    // null is no budget of the request's own; the options' still holds.
    CHECK(s.chat(request("null"), over(0.01)).response.trace.provider == "b");
    CHECK(s.attempts("a") == 0);
}

TEST_CASE("budget: a max_cost_usd member that is not a number of USD is the request's error") {
    using sw::providers::check_request;
    using sw::providers::Endpoint;
    auto check = [](const std::string& budget) {
        return check_request(Endpoint::chat_completions,
                             R"({"model":"m","messages":[{"role":"user","content":"hi"}],"max_cost_usd":)" + budget + "}");
    };
    CHECK(check("0.5").max_cost_usd == 0.5);
    CHECK(check("0").max_cost_usd == 0.0);
    CHECK(check("2").max_cost_usd == 2.0);
    CHECK_FALSE(check("null").max_cost_usd);
    CHECK(check("null").error.empty());
    for (const char* bad : {"-1", "\"0.5\"", "2e9", "true", "[1]"}) {
        INFO(bad);
        CHECK(check(bad).error == "\"max_cost_usd\" must be a number of USD from 0 to 1e9, or null");
    }
}

TEST_CASE("budget: an attempt a windowed budget refuses passes its provider over, with no mark against it") {
    // docs/budgets.md: the driver reserves after selection; a refusal is AttemptLoop::refuse_over_budget.
    Harness h;
    h.config->pools.push_back(pool("P", {priced("a", 0.001), priced("b", 0.00001)}));
    h.build();
    sw::AttemptLoop loop = h.core->begin("m");
    auto first = loop.next(h.now());
    REQUIRE(first.kind == sw::AttemptLoop::Action::Kind::attempt);
    const std::string passed = first.attempt.provider->name;
    loop.refuse_over_budget(h.now());
    auto second = loop.next(h.now());
    REQUIRE(second.kind == sw::AttemptLoop::Action::Kind::attempt);
    CHECK(second.attempt.provider->name != passed);  // the request goes on without it
    loop.refuse_over_budget(h.now());
    CHECK(loop.next(h.now()).kind == sw::AttemptLoop::Action::Kind::done);
    const sw::RouteResult& r = loop.result();
    CHECK(r.error == sw::RouteError::exhausted);
    CHECK(r.error_class == sw::ErrorClass::rate_limited);  // a 429 for the caller
    REQUIRE(r.attempts.size() == 2);
    for (const sw::AttemptRecord& a : r.attempts) {
        CHECK(a.http_status == 429);
        CHECK(a.error_code == "budget_exceeded");
    }
    // Neither provider holds a slot, cools down or counts a failure: the next request is served.
    for (const char* name : {"a", "b"}) {
        CHECK(h.state("P", name).in_flight() == 0);
        CHECK(h.state("P", name).healthy(h.now()));
        CHECK(h.state("P", name).ready_at(h.now(), 0) <= h.now());
    }
    ScriptedTransport t(*h.clock);
    CHECK(route(h, t, h.core->begin("m")).ok);
}

TEST_CASE("budget: an embeddings request's estimate counts its input alone") {
    using sw::providers::Endpoint;
    const auto check = sw::providers::check_request(Endpoint::embeddings, R"({"model":"e","input":"some text"})");
    REQUIRE(check.error.empty());
    CHECK(check.max_tokens == std::optional<std::uint64_t>(0));
    const sw::TokenUsage estimate = sw::api::estimated_usage(check);
    CHECK(estimate.input_tokens == check.prompt_tokens);
    CHECK(estimate.output_tokens == 0);
    // A chat request without max_tokens is still estimated at a 1,000-token answer.
    const auto chat = sw::providers::check_request(Endpoint::chat_completions,
                                                   R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
    CHECK(sw::api::estimated_usage(chat).output_tokens == 1000);
}
