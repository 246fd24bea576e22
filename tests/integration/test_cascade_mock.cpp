// test_cascade_mock.cpp — a cascade model over real HTTP to the loopback mock: a failed step
// escalates to the next, the request reports one request_finished; and a router destroyed while a
// step is in flight still ends the request, once.
#include "mock_process.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <atomic>
#include <future>
#include <mutex>

using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;
    return instance;
}

// A cascade of "cheap" (mock scenario `cheap`) then "strong", which answers well.
std::shared_ptr<const sw::Config> config(const std::string& cheap) {
    const std::string text = fmt::format(
        R"({{"pools":[{{"id":"strong","providers":[{{"name":"s","provider":"custom","modelName":"cascade-strong",)"
        R"("apiBase":"{0}/v1","costPerToken":0.00001,"maxRetries":0}}]}},)"
        R"({{"id":"cheap","providers":[{{"name":"c","provider":"custom","modelName":"{1}",)"
        R"("apiBase":"{0}/v1","costPerToken":0.000001,"maxRetries":0,"timeout":10000}}]}}],)"
        R"("models":{{"auto":{{"router":{{"strategy":"cascade","cascade":{{"steps":[{{"pool":"strong"}},{{"pool":"cheap"}}]}}}}}}}}}})",
        mock().base(), cheap);
    auto result = sw::load_config_string(text, sw::ConfigFormat::json);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

constexpr const char* kAsk = R"({"model":"auto","messages":[{"role":"user","content":"What is the capital of Peru?"}]})";

class FinishedCounter : public sw::RouterObserver {
public:
    void on_attempt_started(const sw::AttemptStartedEvent&) override { ++attempts; }
    void on_request_finished(const sw::RequestFinishedEvent&) override { ++finished; }
    std::atomic<int> attempts{0};
    std::atomic<int> finished{0};
};

}  // namespace

TEST_CASE("cascade over the mock: a failed step escalates, and the request finishes once") {
    auto counter = std::make_shared<FinishedCounter>();
    sw::RouterOptions options;
    options.observers.push_back(counter);
    sw::Router router(config("cascade-cheap-down@status=503"), options);
    const sw::ChatResponse r = router.chat(kAsk);
    REQUIRE(r.ok());
    REQUIRE(r.trace.route);
    const sw::PromptRoute& route = *r.trace.route;
    REQUIRE(route.steps.size() == 2);
    CHECK(route.steps[0].pool == "cheap");
    CHECK(route.steps[0].status == 502);
    CHECK(route.steps[1].pool == "strong");
    CHECK(route.steps[1].accepted);
    CHECK_THAT(r.text, Catch::Contains("cascade-strong"));
    CHECK(r.trace.attempts.size() == 2);
    CHECK(counter->attempts == 2);
    CHECK(counter->finished == 1);
}

TEST_CASE("cascade over the mock: a router destroyed during a step ends the request, once") {
    std::atomic<int> done{0};
    std::promise<sw::ChatResponse> got;
    {
        sw::Router router(config("cascade-cheap-slow@latency_ms=5000"));
        router.chat_async(kAsk, [&](sw::ChatResponse r) {
            if (done++ == 0) got.set_value(std::move(r));
        });
        REQUIRE(mock().wait_for_attempts("cascade-cheap-slow@latency_ms=5000", 1));
    }
    const sw::ChatResponse r = got.get_future().get();
    CHECK(done == 1);
    CHECK(r.status == 499);
    CHECK(r.error_class == sw::ErrorClass::cancelled);
}

TEST_CASE("cascade over the mock: an embeddings request goes to the cheapest step, unjudged") {
    sw::Router router(config("cascade-cheap-embed"));
    const sw::ChatResponse r = router.embeddings(R"({"model":"auto","input":"hello"})");
    REQUIRE(r.ok());
    CHECK(r.trace.pool_id == "cheap");
    CHECK_FALSE(r.trace.route);
    CHECK(mock().attempts("cascade-cheap-embed") == 1);
}
