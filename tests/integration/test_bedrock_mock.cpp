// test_bedrock_mock.cpp — Bedrock providers routed over real HTTP to the mock's Bedrock dialect,
// which checks every SigV4 signature: answers, streams, tool calls, failover rules, canaries.
#include "mock_process.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <simdjson.h>

#include <map>
#include <mutex>

using sw::test::MockProcess;

namespace {

MockProcess& bedrock_mock() {
    static MockProcess instance;
    return instance;
}

// The mock verifies signatures made with this key pair (docs/mock-provider.md).
const std::map<std::string, std::string> kMockKeys = {{"AWS_ACCESS_KEY_ID", "AKIDMOCKBEDROCK"},
                                                      {"AWS_SECRET_ACCESS_KEY", "mock-bedrock-secret-access-key"}};

sw::EnvLookup lookup(std::map<std::string, std::string> env) {
    return [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

// A bedrock provider on the mock; `model` is NAME@SPEC, the scenario and its counter key.
std::string bedrock(const std::string& name, const std::string& model, int max_retries = 0) {
    return fmt::format(R"({{"name":"{}","provider":"bedrock","credentialsRef":"aws","apiBase":"{}","modelName":"{}",)"
                       R"("timeout":2000,"maxRetries":{},"retryDelay":10}})",
                       name, bedrock_mock().base(), model, max_retries);
}

// An OpenAI-compatible provider on the same mock, as the fallback.
std::string openai(const std::string& name, const std::string& model) {
    return fmt::format(R"({{"name":"{}","provider":"custom","apiBase":"{}/v1","modelName":"{}","timeout":2000}})", name,
                       bedrock_mock().base(), model);
}

// Pool "primary" with `primary`, falling back to pool "backup" with `backup` when given.
std::shared_ptr<const sw::Config> config(const std::string& primary, const std::string& backup = "",
                                         const std::string& store_extra = "") {
    std::string pools = fmt::format(R"({{"id":"primary","providers":[{}],"fallbackPoolIds":[{}]}})", primary,
                                    backup.empty() ? "" : R"("backup")");
    if (!backup.empty()) pools += fmt::format(R"(,{{"id":"backup","providers":[{}]}})", backup);
    const std::string text = fmt::format(
        R"({{"credentialStores":{{"aws":{{"type":"aws","source":"env","config":{{"region":"us-east-1",)"
        R"("accessKeyIdVar":"AWS_ACCESS_KEY_ID","secretAccessKeyVar":"AWS_SECRET_ACCESS_KEY"{}}}}}}},)"
        R"("pools":[{}],"models":{{"chat":{{"primaryPoolId":"primary"}}}}}})",
        store_extra, pools);
    sw::LoadOptions options;
    options.env = lookup({});
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

sw::RouterOptions options(const std::map<std::string, std::string>& env = kMockKeys) {
    sw::RouterOptions o;
    o.env = lookup(env);
    o.stream_idle_timeout = sw::Millis(500);
    return o;
}

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";
constexpr const char* kStream = R"({"model":"chat","stream":true,"messages":[{"role":"user","content":"hello"}]})";
constexpr const char* kTools =
    R"({"model":"chat","messages":[{"role":"user","content":"look it up"}],)"
    R"("tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}]})";

// The chunks a stream delivered, each parsed as JSON.
struct StreamLog {
    std::mutex mutex;
    std::vector<std::string> chunks;
    sw::ChunkCallback callback() {
        return [this](std::string_view c) {
            std::lock_guard<std::mutex> lock(mutex);
            chunks.emplace_back(c);
        };
    }
    // The deltas' content, and the tool-call arguments, joined.
    std::pair<std::string, std::string> joined() {
        std::string text, arguments;
        simdjson::dom::parser parser;
        for (const std::string& c : chunks) {
            simdjson::dom::element chunk = parser.parse(c);
            simdjson::dom::array choices;
            if (chunk["choices"].get(choices) || choices.size() == 0) continue;
            std::string_view s;
            if (!choices.at(0)["delta"]["content"].get(s)) text += s;
            if (!choices.at(0)["delta"]["tool_calls"].at(0)["function"]["arguments"].get(s)) arguments += s;
        }
        return {text, arguments};
    }
};

}  // namespace

TEST_CASE("bedrock: a signed Converse call answers in OpenAI's form", "[bedrock]") {
    const std::string model = "anthropic.claude-3-5-sonnet-20241022-v2:0";
    sw::Router router(config(bedrock("b", model)), options());
    sw::ChatResponse r = router.chat(kChat);
    INFO(r.error);
    REQUIRE(r.ok());  // the mock checked the signature against the wire bytes
    CHECK(r.text == "Hello from the mock (" + model + ").");
    CHECK(r.finish_reason == "stop");
    CHECK(r.usage.output_tokens == 7);
    simdjson::dom::parser parser;
    simdjson::dom::element body = parser.parse(r.body);
    CHECK(std::string_view(body["object"]) == "chat.completion");
    CHECK(std::string_view(body["model"]) == model);
    CHECK(std::string_view(body["choices"].at(0)["message"]["content"]) == r.text);
    CHECK(r.trace.provider == "b");
    CHECK(bedrock_mock().attempts(model) == 1);
}

TEST_CASE("bedrock: ConverseStream is decoded into OpenAI chunks", "[bedrock]") {
    sw::Router router(config(bedrock("b", "stream-ok@chunks=4")), options());
    StreamLog log;
    sw::ChatResponse r = router.chat_stream(kStream, log.callback());
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.text == "tok1 tok2 tok3 tok4 ");
    CHECK(r.finish_reason == "stop");
    CHECK(r.usage.output_tokens == 4);
    CHECK(log.joined().first == r.text);
    CHECK_THAT(log.chunks.front(), Catch::Contains(R"("role":"assistant")"));
    CHECK_THAT(log.chunks.back(), Catch::Contains(R"("usage":{"prompt_tokens":)"));
    for (const std::string& c : log.chunks) CHECK_THAT(c, Catch::Contains(R"("object":"chat.completion.chunk")"));
}

TEST_CASE("bedrock: tool calls, whole and streamed", "[bedrock]") {
    sw::Router router(config(bedrock("b", "tools@tool_call=lookup")), options());
    sw::ChatResponse r = router.chat(kTools);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.finish_reason == "tool_calls");
    simdjson::dom::parser parser;
    simdjson::dom::element call = parser.parse(r.body)["choices"].at(0)["message"]["tool_calls"].at(0);
    CHECK(std::string_view(call["function"]["name"]) == "lookup");
    CHECK(std::string_view(call["function"]["arguments"]) == R"({"query":"mock"})");

    std::string stream_request = kTools;
    stream_request.insert(1, R"("stream":true,)");
    StreamLog log;
    sw::ChatResponse s = router.chat_stream(stream_request, log.callback());
    REQUIRE(s.ok());
    CHECK(s.finish_reason == "tool_calls");
    CHECK(log.joined().second == R"({"query":"mock"})");
}

TEST_CASE("bedrock: throttling fails over at once to the fallback", "[bedrock]") {
    const std::string key = "throttled@status=429";
    sw::Router router(config(bedrock("b", key, 2), openai("o", "after-throttle")), options());
    sw::ChatResponse r = router.chat(kChat);
    REQUIRE(r.ok());
    CHECK(r.trace.used_fallback);
    CHECK(r.trace.provider == "o");
    REQUIRE(r.trace.attempts.size() == 2);
    CHECK(r.trace.attempts[0].http_status == 429);
    CHECK(r.trace.attempts[0].error_class == sw::ErrorClass::rate_limited);
    CHECK(r.trace.attempts[0].error_code == "rate_limit_exceeded");
    CHECK(bedrock_mock().attempts(key) == 1);
}

TEST_CASE("bedrock: a prompt over the context window is not failed over", "[bedrock]") {
    const std::string key = "too-long@context_length";
    sw::Router router(config(bedrock("b", key, 2), openai("o", "never-context")), options());
    sw::ChatResponse r = router.chat(kChat);
    CHECK(r.status == 400);
    CHECK(r.error_class == sw::ErrorClass::context_window);
    REQUIRE(r.trace.attempts.size() == 1);
    CHECK(r.trace.attempts[0].error_code == "context_length_exceeded");
    CHECK(bedrock_mock().attempts(key) == 1);
    CHECK(bedrock_mock().attempts("never-context") == 0);
}

TEST_CASE("bedrock: a bad CRC before any content fails over, and after content it ends the stream plainly", "[bedrock]") {
    sw::Router router(config(bedrock("b", "crc-first@chunks=3,malformed_at=1"), openai("o", "after-crc")), options());
    StreamLog log;
    sw::ChatResponse r = router.chat_stream(kStream, log.callback());
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.trace.used_fallback);
    CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::protocol);
    CHECK(r.text == "tok1 tok2 tok3 tok4 tok5 ");  // the fallback's answer alone
    CHECK(log.joined().first == r.text);

    sw::Router late(config(bedrock("b", "crc-late@chunks=3,malformed_at=2"), openai("o", "never-late")), options());
    StreamLog late_log;
    sw::ChatResponse broken = late.chat_stream(kStream, late_log.callback());
    CHECK(broken.status == 502);
    CHECK_THAT(late_log.chunks.back(), Catch::Contains("stream_interrupted"));
    CHECK(late_log.joined().first == "tok1 ");
    CHECK(bedrock_mock().attempts("never-late") == 0);
}

TEST_CASE("bedrock: an exception event before content fails over, and a stream without metadata still completes", "[bedrock]") {
    sw::Router router(config(bedrock("b", "exception@stream_error_at=1,error_type=throttlingException"),
                             openai("o", "after-exception")),
                      options());
    StreamLog log;
    sw::ChatResponse r = router.chat_stream(kStream, log.callback());
    REQUIRE(r.ok());
    CHECK(r.trace.used_fallback);
    CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::protocol);
    CHECK(r.trace.attempts.at(0).error_code == "rate_limit_exceeded");

    sw::Router quiet(config(bedrock("b", "no-metadata@chunks=2,no_done")), options());
    sw::ChatResponse done = quiet.chat_stream(kStream, [](std::string_view) {});
    REQUIRE(done.ok());
    CHECK(done.text == "tok1 tok2 ");
    CHECK(done.finish_reason == "stop");
}

TEST_CASE("bedrock: a wrong secret is an auth failure, and the request fails over", "[bedrock]") {
    auto env = kMockKeys;
    env["AWS_SECRET_ACCESS_KEY"] = "not-the-mock-secret";
    const std::string key = "wrong-secret";
    sw::Router router(config(bedrock("b", key), openai("o", "after-wrong-secret")), options(env));
    sw::ChatResponse r = router.chat(kChat);
    REQUIRE(r.ok());
    CHECK(r.trace.attempts.at(0).http_status == 403);
    CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::auth);
    CHECK(bedrock_mock().attempts(key) == 1);
}

TEST_CASE("bedrock canary: the secret key is never sent, the session token only in its header, and neither in any output",
          "[bedrock][canary]") {
    const std::string secret = "sk-canary-aws-secret-7f3a9c2e41d0b8a6";
    const std::string token = "sk-canary-aws-session-token-0c1d2e3f4a5b";
    const std::map<std::string, std::string> env = {
        {"AWS_ACCESS_KEY_ID", "AKIDCANARY"}, {"AWS_SECRET_ACCESS_KEY", secret}, {"AWS_SESSION_TOKEN", token}};
    const std::string store_extra = R"(,"sessionTokenVar":"AWS_SESSION_TOKEN")";
    // The provider's error message quotes the token, as a careless upstream might.
    const std::string leaky = "canary-leak@status=403,error_message=The security token " + token + " is invalid";
    auto cfg = config(bedrock("b", leaky), bedrock("ok", "canary-ok"), store_extra);

    sw::Router router(cfg, options(env));
    StreamLog log;
    sw::ChatResponse ok = router.chat(kChat);
    REQUIRE(ok.ok());
    const std::string headers = bedrock_mock().last_headers_json();
    CHECK_THAT(headers, Catch::Contains(token));          // the token was sent, in x-amz-security-token
    CHECK(headers.find(secret) == std::string::npos);      // the secret never travels
    sw::ChatResponse streamed = router.chat_stream(kStream, log.callback());
    REQUIRE(streamed.ok());

    sw::Router failing(config(bedrock("b", leaky), "", store_extra), options(env));
    sw::ChatResponse failed = failing.chat(kChat);
    CHECK_FALSE(failed.ok());
    std::string everything = ok.body + ok.error + ok.trace_json() + ok.trace.message + streamed.trace_json() +
                             failed.body + failed.error + failed.trace_json() + failed.trace.message;
    for (const auto& c : log.chunks) everything += c;
    for (const auto& a : failed.trace.attempts) everything += a.error_code;
    CHECK(everything.find("sk-canary") == std::string::npos);
}
