// test_metrics.cpp — the metrics a router counts from its events: exact counts from a scripted
// run on simulated time, the GenAI histograms' buckets, bounded labels, the text format's
// escaping, and counting from several threads at once.
#include "sim_scenario.hpp"

#include "observe/metrics.hpp"

#include <thread>

using namespace swtest;

namespace {

// The text's lines that start with `prefix`.
std::vector<std::string> lines_of(const std::string& text, const std::string& prefix) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(at, end - at);
        if (line.rfind(prefix, 0) == 0) out.push_back(std::move(line));
        at = end + 1;
    }
    return out;
}

struct Counted {
    std::atomic<std::uint64_t> n{0};
};

}  // namespace

TEST_CASE("metrics: a retried, failed-over request, counted exactly") {
    auto metrics = std::make_shared<sw::observe::Metrics>();
    metrics->set_providers({{{"primary", "a"}, {"openai", "gpt-a"}}, {{"backup", "b"}, {"aws.bedrock", "claude-b"}}});
    sw::RouterOptions options;
    options.observers.push_back(metrics);
    Scenario s({pool("primary", {provider("a", {{"maxRetries", "1"}, {"costPerToken", "0.001"}})}, {"backup"}),
                pool("backup", {provider("b", {{"costPerToken", "0.001"}})})},
               "", {}, options);
    s.scripts["a"] = {error_answer(503)};
    SimResult r = s.chat(R"({"model":"chat","messages":[{"role":"user","content":"hi"}]})");
    REQUIRE(r.response.ok());
    const std::string text = metrics->text();
    INFO(text);
    CHECK(lines_of(text, "switch_requests_total{") ==
          std::vector<std::string>{R"(switch_requests_total{model="chat",pool="backup",provider="b",outcome="success"} 1)"});
    CHECK(lines_of(text, "switch_attempts_total{") ==
          std::vector<std::string>{R"(switch_attempts_total{pool="backup",provider="b",outcome="success"} 1)",
                                   R"(switch_attempts_total{pool="primary",provider="a",outcome="transient"} 2)"});
    CHECK(lines_of(text, "switch_retries_total{") ==
          std::vector<std::string>{R"(switch_retries_total{pool="primary",provider="a"} 1)"});
    CHECK(lines_of(text, "switch_fallbacks_total{") ==
          std::vector<std::string>{R"(switch_fallbacks_total{model="chat",pool="backup"} 1)"});
    // ok_answer reports 3 prompt and 7 completion tokens: 10 at 0.001 USD each.
    CHECK(lines_of(text, "switch_cost_usd_total{") ==
          std::vector<std::string>{R"(switch_cost_usd_total{model="chat",pool="backup",provider="b"} 0.01)"});
    // The GenAI token histogram: 3 input tokens fall in the bucket of 4, 7 output in that of 16.
    const std::string genai =
        R"(gen_ai_operation_name="chat",gen_ai_provider_name="aws.bedrock",gen_ai_request_model="chat",)";
    const auto input = lines_of(text, "gen_ai_client_token_usage_bucket{" + genai + R"(gen_ai_token_type="input")");
    REQUIRE(input.size() == 15);
    CHECK(input[0] == "gen_ai_client_token_usage_bucket{" + genai +
                          R"(gen_ai_token_type="input",pool="backup",provider="b",le="1"} 0)");
    CHECK(input[1] == "gen_ai_client_token_usage_bucket{" + genai +
                          R"(gen_ai_token_type="input",pool="backup",provider="b",le="4"} 1)");
    CHECK(input[14] == "gen_ai_client_token_usage_bucket{" + genai +
                           R"(gen_ai_token_type="input",pool="backup",provider="b",le="+Inf"} 1)");
    CHECK(lines_of(text, "gen_ai_client_token_usage_sum{" + genai + R"(gen_ai_token_type="output")") ==
          std::vector<std::string>{"gen_ai_client_token_usage_sum{" + genai +
                                   R"(gen_ai_token_type="output",pool="backup",provider="b"} 7)"});
    // The request's duration on simulated time: two 5 ms failures, a 10 ms retry delay, 5 ms served.
    const auto duration = lines_of(text, "gen_ai_client_operation_duration_seconds_count{");
    REQUIRE(duration.size() == 1);
    CHECK_THAT(duration[0], Catch::EndsWith("} 1"));
    CHECK(lines_of(text, "# TYPE gen_ai_client_operation_duration_seconds histogram").size() == 1);
    CHECK(lines_of(text, "switch_metrics_series_dropped_total 0").size() == 1);
    // Not streamed: no time to first token.
    CHECK(lines_of(text, "gen_ai_server_time_to_first_token_seconds_count").empty());
}

TEST_CASE("metrics: a stream's time to first token, and a failed request's error type") {
    auto metrics = std::make_shared<sw::observe::Metrics>();
    sw::RouterOptions options;
    options.observers.push_back(metrics);
    Scenario s({pool("primary", {provider("a", {{"maxRetries", "0"}})}), pool("down", {provider("d", {{"maxRetries", "0"}})})},
               "", {}, options, R"({"chat":{"primaryPoolId":"primary"},"broken":{"primaryPoolId":"down"}})");
    s.scripts["a"] = {stream_answer(3, 30ms)};
    s.scripts["d"] = {error_answer(503)};
    REQUIRE(s.chat(R"({"model":"chat","stream":true,"messages":[{"role":"user","content":"hi"}]})").response.ok());
    REQUIRE(s.chat(R"({"model":"broken","messages":[{"role":"user","content":"hi"}]})").response.status == 502);
    REQUIRE(s.chat(R"({"model":"nobody-configured-this","messages":[{"role":"user","content":"hi"}]})").response.status ==
            404);
    const std::string text = metrics->text();
    INFO(text);
    // 30 ms to the first token: above the 0.02 bucket, within 0.04.
    const auto ttft = lines_of(text, "gen_ai_server_time_to_first_token_seconds_bucket{");
    REQUIRE(ttft.size() == 17);
    CHECK_THAT(ttft[3], Catch::EndsWith(R"(le="0.02"} 0)"));
    CHECK_THAT(ttft[4], Catch::EndsWith(R"(le="0.04"} 1)"));
    CHECK(lines_of(text, "gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name=\"chat\",gen_ai_request_"
                         "model=\"broken\",error_type=\"transient\",pool=\"down\",provider=\"d\"} 1")
              .size() == 1);
    // The unconfigured model is counted, without its name.
    CHECK(lines_of(text, R"(switch_requests_total{outcome="not_found"} 1)").size() == 1);
    CHECK(text.find("nobody-configured-this") == std::string::npos);
}

TEST_CASE("metrics: breakers, cooldowns and route labels, with label values escaped") {
    sw::observe::Metrics m;
    m.on_breaker_transition({{}, "p", "a", sw::BreakerState::closed, sw::BreakerState::open, sw::Millis(1000), false, false});
    m.on_breaker_transition({{}, "p", "a", sw::BreakerState::open, sw::BreakerState::half_open, {}, false, false});
    m.on_cooldown({{}, "p", "a", sw::Millis(500)});
    m.on_route_decision({{}, 1, "au\"to\\", "p", "co\nde"});
    m.on_route_decision({{}, 2, "ghost", "", "code"});  // an unknown model: not counted
    const std::string text = m.text();
    INFO(text);
    CHECK(lines_of(text, "switch_breaker_state{") == std::vector<std::string>{R"(switch_breaker_state{pool="p",provider="a"} 1)"});
    CHECK(lines_of(text, "switch_breaker_transitions_total{") ==
          std::vector<std::string>{R"(switch_breaker_transitions_total{pool="p",provider="a",to="half_open"} 1)",
                                   R"(switch_breaker_transitions_total{pool="p",provider="a",to="open"} 1)"});
    CHECK(lines_of(text, "switch_cooldowns_total{") == std::vector<std::string>{R"(switch_cooldowns_total{pool="p",provider="a"} 1)"});
    CHECK(lines_of(text, "switch_route_decisions_total{") ==
          std::vector<std::string>{R"(switch_route_decisions_total{model="au\"to\\",label="co\nde"} 1)"});
    const std::string json = m.json();
    CHECK_THAT(json, Catch::Contains(R"({"labels":{"pool":"p","provider":"a"},"value":1})"));
}

TEST_CASE("metrics: a full series table counts new label sets in its overflow series") {
    sw::observe::SeriesTable<Counted, 4> table;
    for (const char* v : {"a", "b", "c", "d", "e", "f"}) table.at({v}).n.fetch_add(1);
    table.at({"a"}).n.fetch_add(1);  // still found
    CHECK(table.dropped() == 2);
    std::uint64_t total = 0, overflow = 0;
    table.for_each([&](const auto& s) {
        total += s.value.n.load();
        if (s.labels.empty()) overflow = s.value.n.load();
    });
    CHECK(total == 7);
    CHECK(overflow == 2);
}

TEST_CASE("metrics: counted from several threads at once, nothing is lost") {
    sw::observe::Metrics m;
    const sw::AttemptRecord a{"p", "a", 200, sw::TransportError::none, sw::ErrorClass::success, "", {}, {}, {}, {}};
    const sw::AttemptRecord b{"p", "b", 503, sw::TransportError::none, sw::ErrorClass::transient, "", {}, {}, {}, {}};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5000; ++i) m.on_attempt_finished({{}, 1, "m", (i + t) % 2 ? a : b, {}});
        });
    for (auto& t : threads) t.join();
    const std::string text = m.text();
    CHECK(lines_of(text, "switch_attempts_total{") ==
          std::vector<std::string>{R"(switch_attempts_total{pool="p",provider="a",outcome="success"} 10000)",
                                   R"(switch_attempts_total{pool="p",provider="b",outcome="transient"} 10000)"});
}

TEST_CASE("metrics: an attempt a budget passed over is counted apart, not as an attempt sent") {
    sw::observe::Metrics m;
    sw::AttemptRecord refused{"p", "a", 429, sw::TransportError::none, sw::ErrorClass::rate_limited,
                              std::string(sw::kBudgetExceeded), {}, {}, {}, {}};
    const sw::AttemptRecord served{"p", "b", 200, sw::TransportError::none, sw::ErrorClass::success, "", {}, {}, {}, {}};
    m.on_attempt_finished({{}, 1, "chat", refused, {}});
    m.on_attempt_finished({{}, 1, "chat", refused, {}});
    m.on_attempt_finished({{}, 1, "chat", served, {}});
    const std::string text = m.text();
    INFO(text);
    CHECK(lines_of(text, "switch_budget_refusals_total{") ==
          std::vector<std::string>{R"(switch_budget_refusals_total{model="chat"} 2)"});
    CHECK(lines_of(text, "switch_attempts_total{") ==
          std::vector<std::string>{R"(switch_attempts_total{pool="p",provider="b",outcome="success"} 1)"});
}
