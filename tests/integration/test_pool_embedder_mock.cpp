// test_pool_embedder_mock.cpp — a semantic model whose embedder is a pool, over real HTTP to the
// loopback mock: the routes' utterances and the prompt are embedded in one batch through the
// pool, then the request goes to its route's pool; later requests embed only their prompt; and a
// router destroyed mid-embedding still ends the request once.
#include "mock_process.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <atomic>
#include <future>

using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;
    return instance;
}

// The mock answers every text with the same vector, so each route is as close as the next and
// the first route that reaches its threshold (code) wins: what is tested here is the wire.
std::shared_ptr<const sw::Config> config(const std::string& embed_model) {
    const std::string text = fmt::format(
        R"({{"pools":[{{"id":"embed","providers":[{{"name":"e","provider":"custom","modelName":"{1}",)"
        R"("apiBase":"{0}/v1","maxRetries":0}}]}},)"
        R"({{"id":"chat","providers":[{{"name":"c","provider":"custom","modelName":"pool-embedder-chat",)"
        R"("apiBase":"{0}/v1"}}]}}],)"
        R"("models":{{"auto":{{"router":{{"strategy":"semantic","semantic":{{"embedder":"pool","pool":"embed",)"
        R"("defaultRoutes":false,"routes":{{"code":{{"utterances":["fix my code","write a function"]}},)"
        R"("simple":{{"utterances":["hello"]}}}}}},"routes":{{"code":[{{"pool":"chat"}}],"general":[{{"pool":"chat"}}]}}}}}}}}}})",
        mock().base(), embed_model);
    auto result = sw::load_config_string(text, sw::ConfigFormat::json);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

constexpr const char* kAsk = R"({"model":"auto","messages":[{"role":"user","content":"Why does my loop never end?"}]})";

}  // namespace

TEST_CASE("pool embedder over the mock: one batch with the utterances, then the prompt alone") {
    sw::Router router(config("pool-embedder-embed"));
    const sw::ChatResponse first = router.chat(kAsk);
    REQUIRE(first.ok());
    REQUIRE(first.trace.route);
    CHECK(first.trace.route->embedder == "pool");
    CHECK(first.trace.route->fallback.empty());
    CHECK(first.trace.route->label == "code");
    CHECK(first.trace.pool_id == "chat");
    CHECK(router.chat(kAsk).ok());
    CHECK(mock().attempts("pool-embedder-embed") == 2);
    CHECK(mock().attempts("pool-embedder-chat") == 2);
}

TEST_CASE("pool embedder over the mock: an embeddings pool that fails leaves the decision to the heuristic") {
    sw::Router router(config("pool-embedder-down@status=503"));
    const sw::ChatResponse r = router.chat(kAsk);
    REQUIRE(r.ok());
    REQUIRE(r.trace.route);
    CHECK_THAT(r.trace.route->fallback, Catch::StartsWith("the pool embedder failed (pool \"embed\" answered 502"));
    CHECK(r.trace.pool_id == "chat");
}

TEST_CASE("pool embedder over the mock: a router destroyed while the prompt is embedded ends the request, once") {
    std::atomic<int> done{0};
    std::promise<sw::ChatResponse> got;
    {
        sw::Router router(config("pool-embedder-slow@latency_ms=5000"));
        router.chat_async(kAsk, [&](sw::ChatResponse r) {
            if (done++ == 0) got.set_value(std::move(r));
        });
        REQUIRE(mock().wait_for_attempts("pool-embedder-slow@latency_ms=5000", 1));
    }
    const sw::ChatResponse r = got.get_future().get();
    CHECK(done == 1);
    CHECK(r.status == 499);
    CHECK(r.error_class == sw::ErrorClass::cancelled);
    CHECK(mock().attempts("pool-embedder-chat") == 0);
}
