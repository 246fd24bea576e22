// test_google_mock.cpp — Gemini, Vertex AI and OAuth token stores over real HTTP to the loopback
// mock: translation, streaming, tool calls, Google's errors, the service-account JWT exchange,
// token caching and refresh, token endpoint failures, and secrets that never leak.
#include "chunk_collector.hpp"
#include "mock_process.hpp"
#include "../unit/rsa_test_key.hpp"

#include <switch/config_loader.hpp>
#include <switch/testing/fake_clock.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>

using sw::test::MockProcess;

namespace {

// The public half of the test key, for the mock to verify assertion signatures with.
std::string public_key_file() {
    static const std::string path = [] {
        const auto file = std::filesystem::temp_directory_path() / fmt::format("switch-test-jwt-{}.pem", ::getpid());
        std::ofstream(file) << sw::test::RsaTestKey::shared().public_pem;
        return file.string();
    }();
    return path;
}

MockProcess& mock() {
    static MockProcess instance({"--jwt-public-key", public_key_file()});
    return instance;
}

using Env = std::map<std::string, std::string>;

sw::EnvLookup lookup(Env env) {
    return [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

// A config from its parts: stores (JSON members), pools (JSON array items); model "chat" uses
// pool "primary".
std::shared_ptr<const sw::Config> config(const std::string& stores, const std::string& pools) {
    const std::string text =
        fmt::format(R"({{"credentialStores":{{{}}},"pools":[{}],"models":{{"chat":{{"primaryPoolId":"primary"}}}}}})", stores, pools);
    sw::LoadOptions options;
    options.env = lookup({});
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

std::string pool(const std::string& id, const std::vector<std::string>& providers, const std::string& fallback = "") {
    std::string list;
    for (const auto& p : providers) list += (list.empty() ? "" : ",") + p;
    return fmt::format(R"({{"id":"{}","routingStrategy":"round_robin","providers":[{}],"fallbackPoolIds":[{}]}})", id, list,
                       fallback.empty() ? "" : "\"" + fallback + "\"");
}

// A provider of `kind` on the mock. `settings` (key -> JSON value) override the defaults.
std::string provider(const std::string& name, const std::string& kind, const std::string& model,
                     const std::string& store, std::map<std::string, std::string> settings = {}) {
    std::map<std::string, std::string> all = {
        {"timeout", "2000"}, {"maxRetries", "1"}, {"retryDelay", "10"},
        {"apiBase", "\"" + (kind == "openai" ? mock().base() + "/v1" : mock().base()) + "\""}};
    if (!store.empty()) all["credentialsRef"] = "\"" + store + "\"";
    for (auto& [k, v] : settings) all[k] = v;
    std::string text = fmt::format(R"({{"name":"{}","provider":"{}","modelName":"{}")", name, kind, model);
    for (auto& [k, v] : all) text += fmt::format(R"(,"{}":{})", k, v);
    return text + "}";
}

// A backup pool on the OpenAI dialect, which needs no credentials. `model` is a plain name.
std::string backup(const std::string& model) {
    return pool("backup", {fmt::format(R"({{"name":"b","provider":"custom","modelName":"{}","apiBase":"{}/v1"}})", model,
                                       mock().base())});
}

const std::string kGeminiStore = R"("gemini":{"type":"simple","config":{"apiKeyVar":"GEMINI_KEY"}})";
const std::string kGeminiKey = "sk-canary-gemini-5e4d3c2b1a";

sw::RouterOptions options(Env env, std::shared_ptr<sw::Clock> clock = nullptr) {
    sw::RouterOptions o;
    o.env = lookup(std::move(env));
    o.clock = std::move(clock);
    o.stream_idle_timeout = sw::Millis(500);
    return o;
}

// A google store whose service account posts its assertion to the mock's /token/NAME@SPEC.
std::string google_store(const std::string& token_name, const std::string& extra = "") {
    return fmt::format(R"("g":{{"type":"google","config":{{"serviceAccountKeyVar":"SA","location":"europe-west4",)"
                       R"("tokenUri":"{}/token/{}"{}}}}})",
                       mock().base(), token_name, extra.empty() ? "" : "," + extra);
}

Env service_account_env(const std::string& private_pem = sw::test::RsaTestKey::shared().private_pem) {
    std::string document = sw::test::service_account_json("https://oauth2.googleapis.com/token");
    // A different key, when asked for, replaces the shared one inside the document.
    if (private_pem != sw::test::RsaTestKey::shared().private_pem) {
        const std::string shared = sw::test::json_escape_pem(sw::test::RsaTestKey::shared().private_pem);
        document.replace(document.find(shared), shared.size(), sw::test::json_escape_pem(private_pem));
    }
    return {{"SA", document}};
}

// An oauth store on the mock's token endpoint; the client secret is a canary.
const std::string kClientSecret = "cs-canary-oauth-9a8b7c6d5e";
std::string oauth_store(const std::string& token_name) {
    return fmt::format(R"("o":{{"type":"oauth","config":{{"tokenUrl":"{}/token/{}","clientId":"router",)"
                       R"("clientSecretVar":"CLIENT_SECRET","scope":"llm"}}}})",
                       mock().base(), token_name);
}

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";
constexpr const char* kStream = R"({"model":"chat","stream":true,"messages":[{"role":"user","content":"hello"}]})";
constexpr const char* kTools =
    R"({"model":"chat","messages":[{"role":"user","content":"find it"}],"tools":[{"type":"function","function":)"
    R"({"name":"search","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}}]})";

using sw::test::Chunks;

// The value of a header the mock last saw for a scenario key.
std::string last_header(const std::string& key, const std::string& header) {
    simdjson::dom::parser parser;
    simdjson::dom::element stats = parser.parse(mock().last_headers_json());
    std::string_view value;
    if (stats["last_headers"][key][header].get(value)) return {};
    return std::string(value);
}

}  // namespace

TEST_CASE("Gemini: an answer over the mock, with the key in x-goog-api-key") {
    sw::Router router(config(kGeminiStore, pool("primary", {provider("g", "google", "g-basic", "gemini")})),
                      options({{"GEMINI_KEY", kGeminiKey}}));
    sw::ChatResponse r = router.chat(kChat);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.text == "Hello from the mock (g-basic).");
    CHECK(r.finish_reason == "stop");
    CHECK(r.usage.output_tokens == 7);
    CHECK_THAT(r.body, Catch::Contains(R"("object":"chat.completion")") && Catch::Contains(R"("model":"g-basic")"));
    CHECK(last_header("g-basic", "x-goog-api-key") == kGeminiKey);  // and the mock refuses ?key= outright
    CHECK(last_header("g-basic", "authorization").empty());
}

TEST_CASE("Gemini: a stream is translated chunk by chunk and ends at its finish reason") {
    sw::Router router(config(kGeminiStore, pool("primary", {provider("g", "google", "g-stream@chunks=4", "gemini")})),
                      options({{"GEMINI_KEY", kGeminiKey}}));
    Chunks chunks;
    sw::ChatResponse r = router.chat_stream(kStream, chunks.callback());
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.text == "tok1 tok2 tok3 tok4 ");
    CHECK(r.finish_reason == "stop");
    CHECK(r.usage.output_tokens == 4);
    REQUIRE(chunks.items.size() == 5);
    for (const auto& c : chunks.items) CHECK_THAT(c, Catch::Contains(R"("object":"chat.completion.chunk")"));
    CHECK_THAT(chunks.items.front(), Catch::Contains(R"("delta":{"role":"assistant","content":"tok1 "})"));
    CHECK_THAT(chunks.items.back(), Catch::Contains(R"("finish_reason":"stop")") && Catch::Contains(R"("usage":)"));
}

TEST_CASE("Gemini: function calls come back as tool calls, whole and streamed") {
    sw::Router router(config(kGeminiStore, pool("primary", {provider("g", "google", "g-tool@tool_call=search", "gemini")})),
                      options({{"GEMINI_KEY", kGeminiKey}}));
    sw::ChatResponse r = router.chat(kTools);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.finish_reason == "tool_calls");
    CHECK_THAT(r.body, Catch::Contains(R"("tool_calls":[{"id":"call_0","type":"function","function":{"name":"search",)"
                                       R"("arguments":"{\"query\":\"mock\",\"limit\":3}"}}])"));

    std::string streamed = kTools;
    streamed.insert(1, R"("stream":true,)");
    Chunks chunks;
    sw::ChatResponse s = router.chat_stream(streamed, chunks.callback());
    INFO(s.error);
    REQUIRE(s.ok());
    CHECK(s.finish_reason == "tool_calls");
    CHECK_THAT(chunks.items.back(), Catch::Contains(R"("tool_calls":[{"index":0,"id":"call_0")"));
}

TEST_CASE("Gemini: Google's errors take the routes their classes prescribe") {
    auto router_for = [](const std::string& model, std::map<std::string, std::string> settings = {}) {
        return std::make_unique<sw::Router>(
            config(kGeminiStore, pool("primary", {provider("g", "google", model, "gemini", settings)}, "backup") + "," +
                                     backup(model.substr(0, model.find('@')) + "-backup")),
            options({{"GEMINI_KEY", kGeminiKey}}));
    };
    SECTION("503 once: retried on the same provider") {
        auto router = router_for("ge-503@status=503,fail_first=1");
        sw::ChatResponse r = router->chat(kChat);
        REQUIRE(r.ok());
        CHECK(r.trace.provider == "g");
        CHECK(mock().attempts("ge-503@status=503,fail_first=1") == 2);
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::transient);
    }
    SECTION("429 RESOURCE_EXHAUSTED: rate limited, fails over at once") {
        auto router = router_for("ge-429@status=429");
        sw::ChatResponse r = router->chat(kChat);
        REQUIRE(r.ok());
        CHECK(r.trace.provider == "b");
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::rate_limited);
        CHECK(mock().attempts("ge-429@status=429") == 1);
    }
    SECTION("a daily quota: quota") {
        auto router = router_for("ge-quota@quota");
        sw::ChatResponse r = router->chat(kChat);
        REQUIRE(r.ok());
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::quota);
    }
    SECTION("an invalid API key (400 API_KEY_INVALID): auth, fails over") {
        auto router = router_for("ge-key@status=400,error_code=API_KEY_INVALID,error_message=API key not valid");
        sw::ChatResponse r = router->chat(kChat);
        REQUIRE(r.ok());
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::auth);
    }
    SECTION("the prompt is too long: context window, no failover") {
        auto router = router_for("ge-ctx@context_length");
        sw::ChatResponse r = router->chat(kChat);
        CHECK(r.status == 400);
        CHECK(r.error_class == sw::ErrorClass::context_window);
        CHECK(mock().attempts("ge-ctx-backup") == 0);
    }
    SECTION("a blocked prompt: content policy with Gemini's reason, no failover") {
        auto router = router_for("ge-blocked@content_policy");
        sw::ChatResponse r = router->chat(kChat);
        CHECK(r.status == 400);
        CHECK(r.error_class == sw::ErrorClass::content_policy);
        CHECK_THAT(r.error, Catch::Contains("blocked the prompt (SAFETY)"));
        CHECK(mock().attempts("ge-blocked-backup") == 0);
        Chunks chunks;
        sw::ChatResponse s = router->chat_stream(kStream, chunks.callback());
        CHECK(s.status == 400);
        CHECK(s.error_class == sw::ErrorClass::content_policy);
        CHECK(chunks.items.empty());
    }
    SECTION("a stream that breaks before any content fails over") {
        auto router = router_for("ge-cut@cut_after=0", {{"maxRetries", "0"}});
        Chunks chunks;
        sw::ChatResponse r = router->chat_stream(kStream, chunks.callback());
        REQUIRE(r.ok());
        CHECK(r.trace.provider == "b");
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::protocol);
    }
    SECTION("a malformed event is a protocol error") {
        auto router = router_for("ge-bad@malformed_at=1", {{"maxRetries", "0"}});
        Chunks chunks;
        sw::ChatResponse r = router->chat_stream(kStream, chunks.callback());
        REQUIRE(r.ok());
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::protocol);
    }
    SECTION("a body that is not Gemini's JSON is a protocol error") {
        auto router = router_for("ge-garbage@garbage", {{"maxRetries", "0"}});
        sw::ChatResponse r = router->chat(kChat);
        REQUIRE(r.ok());
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::protocol);
    }
}

TEST_CASE("Gemini: a request Gemini cannot express fails over, and the caller reads why") {
    sw::Router router(config(kGeminiStore, pool("primary", {provider("g", "google", "g-never", "gemini")}, "backup") + "," +
                                               backup("g-never-backup")),
                      options({{"GEMINI_KEY", kGeminiKey}}));
    const char* request = R"({"model":"chat","messages":[{"role":"user","content":"x"}],"logit_bias":{"1":5}})";
    sw::ChatResponse r = router.chat(request);
    REQUIRE(r.ok());
    CHECK(r.trace.provider == "b");
    CHECK(mock().attempts("g-never") == 0);

    sw::Router alone(config(kGeminiStore, pool("primary", {provider("g", "google", "g-never", "gemini")})),
                     options({{"GEMINI_KEY", kGeminiKey}}));
    sw::ChatResponse failed = alone.chat(request);
    CHECK_FALSE(failed.ok());
    CHECK_THAT(failed.error, Catch::Contains("provider \"g\": \"logit_bias\" cannot be sent to Gemini"));
}

TEST_CASE("Gemini canary: the API key never reaches a URL, an error or a trace") {
    const std::string leaky = "ge-canary@status=401,error_message=API key " + kGeminiKey.substr(0, 16) + " not valid";
    sw::Router router(config(kGeminiStore, pool("primary", {provider("g", "google", leaky, "gemini", {{"maxRetries", "0"}})})),
                      options({{"GEMINI_KEY", kGeminiKey}}));
    sw::ChatResponse r = router.chat(kChat);
    CHECK_FALSE(r.ok());
    CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::auth);
    CHECK(last_header(leaky, "x-goog-api-key") == kGeminiKey);  // it was really sent, in the header
    const std::string everything = r.body + r.error + r.trace_json() + r.trace.message;
    CHECK(everything.find(kGeminiKey.substr(0, 16)) == std::string::npos);

    sw::Router keyless(config(kGeminiStore, pool("primary", {provider("g", "google", "ge-keyless", "gemini")})),
                       options({}));
    sw::ChatResponse missing = keyless.chat(kChat);
    CHECK_FALSE(missing.ok());
    CHECK_THAT(missing.error, Catch::Contains("GEMINI_KEY") && Catch::Contains("not set"));
}

TEST_CASE("Vertex AI: a signed assertion buys a token, which serves many requests") {
    sw::Router router(config(google_store("vx-cache"), pool("primary", {provider("v", "vertex", "vx-model", "g")})),
                      options(service_account_env()));
    for (int i = 0; i < 5; ++i) {
        sw::ChatResponse r = router.chat(kChat);
        INFO(r.error);
        REQUIRE(r.ok());
        CHECK(r.text == "Hello from the mock (vx-model).");
    }
    CHECK(mock().attempts("token/vx-cache") == 1);  // the mock checked the JWT's claims and signature
    CHECK(mock().attempts("vx-model") == 5);
    CHECK_THAT(last_header("vx-model", "authorization"), Catch::StartsWith("Bearer mock-token-"));
    CHECK(last_header("token/vx-cache", "content-type") == "application/x-www-form-urlencoded");

    Chunks chunks;
    sw::ChatResponse s = router.chat_stream(kStream, chunks.callback());
    REQUIRE(s.ok());
    CHECK(s.text == "tok1 tok2 tok3 tok4 tok5 ");
    CHECK(mock().attempts("token/vx-cache") == 1);
}

TEST_CASE("Vertex AI: the token is refreshed a minute before it expires") {
    auto clock = std::make_shared<sw::FakeClock>();
    sw::Router router(config(google_store("vx-refresh@expires_in=120"),
                             pool("primary", {provider("v", "vertex", "vx-refresh", "g")})),
                      options(service_account_env(), clock));
    REQUIRE(router.chat(kChat).ok());
    const std::string first = last_header("vx-refresh", "authorization");
    clock->advance(std::chrono::seconds(59));
    REQUIRE(router.chat(kChat).ok());
    CHECK(mock().attempts("token/vx-refresh@expires_in=120") == 1);
    clock->advance(std::chrono::seconds(2));  // 61 s: within the last minute of its 120
    REQUIRE(router.chat(kChat).ok());
    CHECK(mock().attempts("token/vx-refresh@expires_in=120") == 2);
    CHECK(last_header("vx-refresh", "authorization") != first);
}

TEST_CASE("Vertex AI: concurrent requests wait for one exchange") {
    sw::Router router(config(google_store("vx-concurrent@latency_ms=300"),
                             pool("primary", {provider("v", "vertex", "vx-concurrent", "g")})),
                      options(service_account_env()));
    std::vector<std::future<sw::ChatResponse>> futures;
    for (int i = 0; i < 8; ++i) futures.push_back(router.chat_async(kChat));
    for (auto& f : futures) CHECK(f.get().ok());
    CHECK(mock().attempts("token/vx-concurrent@latency_ms=300") == 1);
    CHECK(mock().attempts("vx-concurrent") == 8);
}

TEST_CASE("Vertex AI: a failing token exchange fails over, names the store, and shows no key") {
    const std::string pem_line = sw::test::RsaTestKey::shared().private_pem.substr(40, 40);
    auto check_failure = [&](const std::string& token_name, const std::string& expected) {
        INFO(token_name);
        const std::string model = "vx-fail-" + token_name.substr(0, token_name.find('@'));
        sw::Router router(config(google_store(token_name), pool("primary", {provider("v", "vertex", model, "g")}, "backup") +
                                                               "," + backup(model + "-backup")),
                          options(service_account_env()));
        sw::ChatResponse r = router.chat(kChat);
        REQUIRE(r.ok());
        CHECK(r.trace.provider == "b");
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::auth);
        CHECK(mock().attempts(model) == 0);

        sw::Router alone(config(google_store(token_name), pool("primary", {provider("v", "vertex", model, "g")})),
                         options(service_account_env()));
        sw::ChatResponse failed = alone.chat(kChat);
        CHECK_FALSE(failed.ok());
        CHECK_THAT(failed.error, Catch::Contains("credential store \"g\"") && Catch::Contains(expected));
        const std::string everything = failed.error + failed.trace_json() + r.error + r.trace_json();
        CHECK(everything.find(pem_line) == std::string::npos);
        CHECK(everything.find("PRIVATE KEY") == std::string::npos);
        CHECK(everything.find("assertion") == std::string::npos);
    };
    check_failure("a@status=500", "HTTP 500");
    check_failure("b@status=401", "HTTP 401");
    check_failure("c@garbage", "not a JSON object");

    SECTION("an assertion signed by another key is refused by the token endpoint") {
        sw::Router router(config(google_store("vx-wrong-key"), pool("primary", {provider("v", "vertex", "vx-wrong", "g")})),
                          options(service_account_env(sw::test::RsaTestKey::generate().private_pem)));
        sw::ChatResponse r = router.chat(kChat);
        CHECK_FALSE(r.ok());
        CHECK_THAT(r.error, Catch::Contains("HTTP 400"));
        CHECK(mock().attempts("token/vx-wrong-key") == 1);
        CHECK(mock().attempts("vx-wrong") == 0);
    }
}

TEST_CASE("OAuth: the client-credentials token is fetched once and sent as a bearer token") {
    sw::Router router(config(oauth_store("oa-cache"), pool("primary", {provider("o", "openai", "oa-model", "o")})),
                      options({{"CLIENT_SECRET", kClientSecret}}));
    for (int i = 0; i < 5; ++i) REQUIRE(router.chat(kChat).ok());
    CHECK(mock().attempts("token/oa-cache") == 1);
    CHECK(mock().attempts("oa-model") == 5);
    CHECK_THAT(last_header("oa-model", "authorization"), Catch::StartsWith("Bearer mock-token-"));
}

TEST_CASE("OAuth: the token is refreshed after it expires, and cacheTtl caps how long it is kept") {
    auto clock = std::make_shared<sw::FakeClock>();
    sw::Router router(config(oauth_store("oa-refresh@expires_in=3600"),
                             pool("primary", {provider("o", "openai", "oa-refresh", "o")})),
                      options({{"CLIENT_SECRET", kClientSecret}}, clock));
    REQUIRE(router.chat(kChat).ok());
    const std::string first = last_header("oa-refresh", "authorization");
    clock->advance(std::chrono::seconds(3539));  // 3600 minus the minute of margin, minus one
    REQUIRE(router.chat(kChat).ok());
    CHECK(mock().attempts("token/oa-refresh@expires_in=3600") == 1);
    clock->advance(std::chrono::seconds(2));
    REQUIRE(router.chat(kChat).ok());
    CHECK(mock().attempts("token/oa-refresh@expires_in=3600") == 2);
    CHECK(last_header("oa-refresh", "authorization") != first);

    SECTION("a cacheTtl shorter than the token's life wins") {
        const std::string store = R"("o":{"type":"oauth","cacheTtl":10,"config":{"tokenUrl":")" + mock().base() +
                                  R"(/token/oa-ttl","clientId":"router","clientSecretVar":"CLIENT_SECRET"}})";
        auto ttl_clock = std::make_shared<sw::FakeClock>();
        sw::Router ttl(config(store, pool("primary", {provider("o", "openai", "oa-ttl", "o")})),
                       options({{"CLIENT_SECRET", kClientSecret}}, ttl_clock));
        REQUIRE(ttl.chat(kChat).ok());
        ttl_clock->advance(std::chrono::seconds(11));
        REQUIRE(ttl.chat(kChat).ok());
        CHECK(mock().attempts("token/oa-ttl") == 2);
    }
}

TEST_CASE("OAuth: concurrent requests share one exchange") {
    sw::Router router(config(oauth_store("oa-concurrent@latency_ms=300"),
                             pool("primary", {provider("o", "openai", "oa-concurrent", "o")})),
                      options({{"CLIENT_SECRET", kClientSecret}}));
    std::vector<std::future<sw::ChatResponse>> futures;
    for (int i = 0; i < 8; ++i) futures.push_back(router.chat_async(kChat));
    for (auto& f : futures) CHECK(f.get().ok());
    CHECK(mock().attempts("token/oa-concurrent@latency_ms=300") == 1);
}

TEST_CASE("OAuth: a failing token endpoint fails over with the store's name, never the client secret") {
    for (const auto& [token_name, expected] : std::vector<std::pair<std::string, std::string>>{
             {"oa-500@status=500", "HTTP 500"},
             {"oa-401@status=401,error_message=bad-secret-" + kClientSecret.substr(0, 12), "HTTP 401"},
             {"oa-garbage@garbage", "not a JSON object"}}) {
        // A hung exchange, bounded by the provider's timeout, runs on simulated time in
        // tests/unit/test_request_path.cpp.
        INFO(token_name);
        const std::string model = "oa-fail-" + token_name.substr(3, token_name.find('@') - 3);
        const std::map<std::string, std::string> timeout = {{"timeout", "500"}};
        sw::Router router(config(oauth_store(token_name), pool("primary", {provider("o", "openai", model, "o", timeout)},
                                                               "backup") + "," + backup(model + "-backup")),
                          options({{"CLIENT_SECRET", kClientSecret}}));
        sw::ChatResponse r = router.chat(kChat);
        REQUIRE(r.ok());
        CHECK(r.trace.provider == "b");
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::auth);

        sw::Router alone(config(oauth_store(token_name), pool("primary", {provider("o", "openai", model, "o", timeout)})),
                         options({{"CLIENT_SECRET", kClientSecret}}));
        sw::ChatResponse failed = alone.chat(kChat);
        CHECK_FALSE(failed.ok());
        CHECK_THAT(failed.error, Catch::Contains("credential store \"o\"") && Catch::Contains(expected));
        const std::string everything = failed.error + failed.trace_json() + failed.trace.message + r.error + r.trace_json();
        CHECK(everything.find(kClientSecret.substr(0, 12)) == std::string::npos);
        CHECK(mock().attempts(model) == 0);
    }
}
