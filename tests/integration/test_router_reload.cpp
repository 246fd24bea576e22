// test_router_reload.cpp — Router::reload over the loopback mock: new requests take the new
// configuration, requests in flight finish on the old one, and routing state is rebuilt.
#include "mock_process.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <future>
#include <map>
#include <stdexcept>
#include <thread>

using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;
    return instance;
}

// One pool "primary" with one provider `name` on the mock, whose model (and scenario key) is
// `model`, behind the credential store "key", which reads the variable `key_var`.
std::shared_ptr<const sw::Config> config(const std::string& name, const std::string& model,
                                         const std::string& key_var = "KEY_A", const std::string& breaker = "") {
    const std::string text = fmt::format(
        R"({{"credentialStores":{{"key":{{"type":"simple","source":"env","config":{{"apiKeyVar":"{}"}}}}}},)"
        R"("pools":[{{"id":"primary","providers":[{{"name":"{}","provider":"custom","modelName":"{}",)"
        R"("apiBase":"{}/v1","credentialsRef":"key","timeout":3000,"maxRetries":0}}]{}}}],)"
        R"("models":{{"chat":{{"primaryPoolId":"primary"}}}}}})",
        key_var, name, model, mock().base(), breaker.empty() ? "" : "," + breaker);
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "reload-test");
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

sw::RouterOptions options() {
    sw::RouterOptions o;
    o.env = [](const std::string& name) -> std::optional<std::string> {
        static const std::map<std::string, std::string> env = {{"KEY_A", "key-a"}, {"KEY_B", "key-b"}};
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    return o;
}

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";

// The Authorization header the mock last saw for a scenario key.
std::string last_authorization(const std::string& key) {
    simdjson::dom::parser parser;
    std::string_view value;
    if (parser.parse(mock().last_headers_json())["last_headers"][key]["authorization"].get(value)) return "";
    return std::string(value);
}

}  // namespace

TEST_CASE("reload: new requests use the new config while a request in flight finishes on the old") {
    sw::Router router(config("old", "reload-old@latency_ms=400"), options());
    std::shared_ptr<const sw::Config> before = router.config();
    std::future<sw::ChatResponse> in_flight = router.chat_async(kChat);
    // Let the slow request reach the mock before the configuration changes under it.
    for (int i = 0; i < 200 && mock().attempts("reload-old@latency_ms=400") == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(mock().attempts("reload-old@latency_ms=400") == 1);

    router.reload(config("new", "reload-new"));
    CHECK(router.config() != before);
    CHECK(before->pools.at(0).providers.at(0).name == "old");  // still valid: shared
    sw::ChatResponse fresh = router.chat(kChat);
    REQUIRE(fresh.ok());
    CHECK(fresh.trace.provider == "new");

    sw::ChatResponse old = in_flight.get();
    INFO(old.error);
    REQUIRE(old.ok());
    CHECK(old.trace.provider == "old");
    CHECK(old.text == "Hello from the mock (reload-old@latency_ms=400).");

    sw::RouterStatus status = router.status();
    REQUIRE(status.pools.size() == 1);
    REQUIRE(status.pools[0].providers.size() == 1);
    CHECK(status.pools[0].providers[0].name == "new");
}

TEST_CASE("reload: a provider that survives it keeps its breaker, a renamed one starts afresh") {
    const std::string breaker = R"("circuitBreaker":{"enabled":true,"failureThreshold":1,"resetTimeout":60000})";
    const std::string key = "reload-down@status=503";
    auto down = config("down", key, "KEY_A", breaker);
    sw::Router router(down, options());
    CHECK(router.chat(kChat).status == 502);
    REQUIRE(router.status().pools.at(0).providers.at(0).breaker == sw::BreakerState::open);
    CHECK(router.chat(kChat).status == 502);
    CHECK(mock().attempts(key) == 1);  // the open breaker kept the second request away

    router.reload(config("down", key, "KEY_B", breaker));  // the same pool id and provider name
    CHECK(router.status().pools.at(0).providers.at(0).breaker == sw::BreakerState::open);
    CHECK(router.status().pools.at(0).providers.at(0).open_remaining.count() > 50000);
    CHECK(router.chat(kChat).status == 502);
    CHECK(mock().attempts(key) == 1);  // still kept away

    router.reload(config("renamed", key, "KEY_A", breaker));  // another provider, by name
    CHECK(router.status().pools.at(0).providers.at(0).breaker == sw::BreakerState::closed);
    CHECK(router.chat(kChat).status == 502);
    CHECK(mock().attempts(key) == 2);
}

TEST_CASE("reload: credentials are resolved again from the new configuration") {
    const std::string key = "reload-credentials";
    sw::Router router(config("p", key, "KEY_A"), options());
    REQUIRE(router.chat(kChat).ok());
    CHECK(last_authorization(key) == "Bearer key-a");
    router.reload(config("p", key, "KEY_B"));  // same store name, another variable
    REQUIRE(router.chat(kChat).ok());
    CHECK(last_authorization(key) == "Bearer key-b");
}

TEST_CASE("reload: a null config is refused and the current one stays") {
    sw::Router router(config("kept", "reload-kept"), options());
    CHECK_THROWS_AS(router.reload(nullptr), std::invalid_argument);
    sw::ChatResponse r = router.chat(kChat);
    REQUIRE(r.ok());
    CHECK(r.trace.provider == "kept");
}
