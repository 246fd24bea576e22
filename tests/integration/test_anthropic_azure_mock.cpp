// test_anthropic_azure_mock.cpp — routed requests to the loopback mock's Anthropic and Azure
// dialects: answers, streams and tool calls translated to OpenAI's form, each error class, an
// error inside a stream, and the API key kept out of every result.
#include "mock_process.hpp"
#include "chunk_collector.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <map>

using sw::test::Chunks;
using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;  // one mock for the whole run; tests use distinct scenario keys
    return instance;
}

constexpr const char* kAnthropicKey = "sk-ant-canary-XYZ-0123456789";
constexpr const char* kAzureKey = "sk-canary-XYZ-azure-9876543210";

std::string settings_text(std::map<std::string, std::string> settings) {
    std::map<std::string, std::string> all = {{"timeout", "2000"}, {"maxRetries", "1"}, {"retryDelay", "10"}};
    for (auto& [k, v] : settings) all[k] = v;
    std::string text;
    for (auto& [k, v] : all) text += fmt::format(R"(,"{}":{})", k, v);
    return text + "}";
}

// An anthropic provider on the mock; `model` is NAME@SPEC, the scenario and its counter key.
std::string claude(const std::string& name, const std::string& model, std::map<std::string, std::string> settings = {}) {
    return fmt::format(R"({{"name":"{}","provider":"anthropic","modelName":"{}","apiBase":"{}","credentialsRef":"anthropic")",
                       name, model, mock().base()) +
           settings_text(std::move(settings));
}

// An azure provider on the mock; the deployment (modelName) is the scenario key.
std::string azure(const std::string& name, const std::string& deployment, std::map<std::string, std::string> settings = {}) {
    return fmt::format(R"({{"name":"{}","provider":"azure","modelName":"{}","apiBase":"{}","credentialsRef":"azure")", name,
                       deployment, mock().base()) +
           settings_text(std::move(settings));
}

// An OpenAI-compatible provider on the mock, as a fallback.
std::string openai(const std::string& name, const std::string& model) {
    return fmt::format(R"({{"name":"{}","provider":"custom","modelName":"{}","apiBase":"{}/v1"}})", name, model, mock().base());
}

std::string pool(const std::string& id, const std::string& provider, const std::string& fallback = "") {
    return fmt::format(R"({{"id":"{}","providers":[{}],"fallbackPoolIds":[{}]}})", id, provider,
                       fallback.empty() ? "" : "\"" + fallback + "\"");
}

std::shared_ptr<const sw::Config> config(const std::string& primary, const std::string& backup = "") {
    const std::string pools = backup.empty() ? pool("primary", primary) : pool("primary", primary, "backup") + "," + pool("backup", backup);
    const std::string text = R"({"credentialStores":{)"
                             R"("anthropic":{"type":"simple","source":"env","config":{"apiKeyVar":"ANTHROPIC_KEY"}},)"
                             R"("azure":{"type":"azure","source":"env","config":{"apiKeyVar":"AZURE_KEY"}}},)"
                             R"("pools":[)" + pools + R"(],"models":{"chat":{"primaryPoolId":"primary"}}})";
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test");
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

sw::RouterOptions options() {
    sw::RouterOptions o;
    o.env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "ANTHROPIC_KEY") return kAnthropicKey;
        if (name == "AZURE_KEY") return kAzureKey;
        return std::nullopt;
    };
    o.stream_idle_timeout = sw::Millis(300);
    return o;
}

sw::Router router(const std::string& primary, const std::string& backup = "") {
    return sw::Router(config(primary, backup), options());
}

// A system message too: the mock refuses "system" as a message role, as Anthropic does.
constexpr const char* kChat =
    R"({"model":"chat","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hello"}]})";
constexpr const char* kStream =
    R"({"model":"chat","stream":true,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hello"}]})";


// The last request headers the mock saw for a scenario key.
std::string last_header(const std::string& key, const std::string& name) {
    simdjson::dom::parser parser;
    const std::string stats = mock().last_headers_json();
    std::string_view value;
    if (parser.parse(stats)["last_headers"][key][name].get(value)) return {};
    return std::string(value);
}

// The arguments of every tool-call delta in a stream, joined.
std::string streamed_arguments(const std::vector<std::string>& chunks) {
    std::string arguments;
    simdjson::dom::parser parser;
    for (const std::string& chunk : chunks) {
        simdjson::dom::array calls;
        if (parser.parse(chunk)["choices"].at(0)["delta"]["tool_calls"].get(calls)) continue;
        for (simdjson::dom::element call : calls) {
            std::string_view fragment;
            if (!call["function"]["arguments"].get(fragment)) arguments += fragment;
        }
    }
    return arguments;
}

}  // namespace

TEST_CASE("anthropic: an answer in OpenAI's form, with the key and version headers sent", "[anthropic]") {
    const std::string key = "a-ok";
    sw::ChatResponse r = router(claude("claude", key)).chat(kChat);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.text == "Hello from the mock (a-ok).");
    CHECK(r.finish_reason == "stop");
    CHECK(r.usage.output_tokens == 7);
    CHECK(r.usage.input_tokens > 0);
    CHECK_THAT(r.body, Catch::Contains(R"("object":"chat.completion")"));
    CHECK_THAT(r.body, Catch::Contains(R"("model":"a-ok")"));
    CHECK(mock().attempts(key) == 1);
    CHECK(last_header(key, "x-api-key") == kAnthropicKey);
    CHECK(last_header(key, "anthropic-version") == "2023-06-01");
    CHECK(last_header(key, "authorization").empty());
}

TEST_CASE("anthropic: a stream in OpenAI chunks, ending with the finish reason and usage", "[anthropic][stream]") {
    Chunks chunks;
    sw::ChatResponse r = router(claude("claude", "a-stream@chunks=3")).chat_stream(kStream, chunks.callback());
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.text == "tok1 tok2 tok3 ");
    CHECK(r.finish_reason == "stop");
    CHECK(r.usage.output_tokens == 3);
    REQUIRE(chunks.items.size() == 5);  // the opening chunk, three deltas, the finish
    CHECK_THAT(chunks.items.front(), Catch::Contains(R"("object":"chat.completion.chunk")"));
    CHECK_THAT(chunks.items.front(), Catch::Contains(R"("delta":{"role":"assistant","content":""})"));
    CHECK_THAT(chunks.items.at(1), Catch::Contains(R"("delta":{"content":"tok1 "})"));
    CHECK_THAT(chunks.items.back(), Catch::Contains(R"("finish_reason":"stop")"));
    CHECK_THAT(chunks.items.back(), Catch::Contains(R"("completion_tokens":3)"));
}

TEST_CASE("anthropic: tool calls, whole and streamed", "[anthropic][tools]") {
    const std::string request =
        R"({"model":"chat","messages":[{"role":"user","content":"weather?"}],)"
        R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],)"
        R"("tool_choice":"required")";
    SECTION("whole: the text, then the call") {
        sw::ChatResponse r = router(claude("claude", "a-tool@tool_call=get_weather")).chat(request + "}");
        INFO(r.error);
        REQUIRE(r.ok());
        CHECK(r.finish_reason == "tool_calls");
        CHECK(r.text == "Hello from the mock (a-tool@tool_call=get_weather).");
        CHECK_THAT(r.body, Catch::Contains(R"("tool_calls":[{"id":"toolu_mock_)"));
        CHECK_THAT(r.body, Catch::Contains(R"("function":{"name":"get_weather","arguments":"{\"query\":\"mock\"}"})"));
    }
    SECTION("streamed: the arguments arrive in fragments that join to the whole input") {
        Chunks chunks;
        sw::ChatResponse r = router(claude("claude", "a-tool-stream@tool_call=get_weather,chunks=3"))
                                 .chat_stream(request + R"(,"stream":true})", chunks.callback());
        INFO(r.error);
        REQUIRE(r.ok());
        CHECK(r.finish_reason == "tool_calls");
        CHECK(r.text == "tok1 tok2 tok3 ");
        CHECK_THAT(chunks.joined(), Catch::Contains(R"("tool_calls":[{"index":0,"id":"toolu_mock_)"));
        CHECK(streamed_arguments(chunks.items) == R"({"query":"mock"})");
    }
}

TEST_CASE("anthropic: each error class does what the contract says", "[anthropic][errors]") {
    SECTION("529 overloaded_error is transient: retried on the same provider") {
        const std::string key = "a-529@status=529,fail_first=1";
        sw::ChatResponse r = router(claude("claude", key)).chat(kChat);
        REQUIRE(r.ok());
        CHECK(mock().attempts(key) == 2);
        CHECK(r.trace.attempts.at(0).http_status == 529);
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::transient);
        CHECK(r.trace.attempts.at(0).error_code == "overloaded_error");
    }
    SECTION("429 rate_limit_error fails over at once") {
        const std::string key = "a-429@status=429,retry_after=30";
        sw::ChatResponse r = router(claude("claude", key), openai("b", "a-429-backup")).chat(kChat);
        REQUIRE(r.ok());
        CHECK(r.trace.provider == "b");
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::rate_limited);
        CHECK(mock().attempts(key) == 1);
    }
    SECTION("prompt is too long: context_window, one attempt, no failover") {
        const std::string key = "a-context@context_length";
        sw::ChatResponse r = router(claude("claude", key), openai("b", "a-context-backup")).chat(kChat);
        CHECK(r.status == 400);
        CHECK(r.error_class == sw::ErrorClass::context_window);
        CHECK(mock().attempts(key) == 1);
        CHECK(mock().attempts("a-context-backup") == 0);
    }
    SECTION("a content-filter rejection returns Anthropic's reason") {
        sw::ChatResponse r = router(claude("claude", "a-policy@content_policy")).chat(kChat);
        CHECK(r.status == 400);
        CHECK(r.error_class == sw::ErrorClass::content_policy);
        CHECK_THAT(r.error, Catch::Contains("content filtering policy"));
    }
    SECTION("a low credit balance is quota: failover") {
        sw::ChatResponse r = router(claude("claude", "a-quota@quota"), openai("b", "a-quota-backup")).chat(kChat);
        REQUIRE(r.ok());
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::quota);
        CHECK(r.trace.provider == "b");
    }
    SECTION("without a key the mock refuses with Anthropic's 401: auth") {
        const std::string keyless = fmt::format(R"({{"name":"claude","provider":"anthropic","modelName":"a-nokey","apiBase":"{}"}})",
                                                mock().base());
        sw::ChatResponse r = router(keyless).chat(kChat);
        CHECK_FALSE(r.ok());
        CHECK(r.trace.attempts.at(0).http_status == 401);
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::auth);
        CHECK(r.trace.attempts.at(0).error_code == "authentication_error");
    }
}

TEST_CASE("anthropic: an error event inside the stream", "[anthropic][stream][errors]") {
    SECTION("before any content: failover, and the caller sees only the fallback's stream") {
        const std::string key = "a-sse-error@stream_error_at=1";
        Chunks chunks;
        sw::ChatResponse r = router(claude("claude", key, {{"maxRetries", "0"}}), openai("b", "a-sse-error-backup"))
                                 .chat_stream(kStream, chunks.callback());
        INFO(r.error);
        REQUIRE(r.ok());
        CHECK(r.trace.used_fallback);
        // An overloaded_error event is what a 529 is: transient (retried when maxRetries allows).
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::transient);
        CHECK(r.trace.attempts.at(0).error_code == "overloaded_error");
        CHECK(mock().attempts(key) == 1);
        CHECK(chunks.joined().find("a-sse-error@") == std::string::npos);  // nothing from the failed attempt
        CHECK(r.text == "tok1 tok2 tok3 tok4 tok5 ");
    }
    SECTION("after content: an explicit error, never a truncated success") {
        const std::string key = "a-sse-error-late@stream_error_at=3";
        Chunks chunks;
        sw::ChatResponse r = router(claude("claude", key), openai("b", "a-sse-error-late-backup"))
                                 .chat_stream(kStream, chunks.callback());
        CHECK(r.status == 502);
        CHECK(r.trace.error == sw::RouteError::stream_interrupted);
        CHECK(mock().attempts("a-sse-error-late-backup") == 0);
        REQUIRE(chunks.items.size() == 4);  // the opening chunk, two deltas, the error
        CHECK_THAT(chunks.items.back(), Catch::StartsWith(R"({"error":{"type":"stream_interrupted")"));
    }
}

TEST_CASE("anthropic: a malformed or unfinished stream fails over before content", "[anthropic][stream]") {
    SECTION("a malformed event") {
        sw::ChatResponse r = router(claude("claude", "a-malformed@malformed_at=1", {{"maxRetries", "0"}}), openai("b", "a-malformed-ok"))
                                 .chat_stream(kStream, Chunks().callback());
        REQUIRE(r.ok());
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::protocol);
    }
    SECTION("without message_stop the finish reason still completes it") {
        sw::ChatResponse r = router(claude("claude", "a-nodone@no_done")).chat_stream(kStream, Chunks().callback());
        REQUIRE(r.ok());
        CHECK(r.finish_reason == "stop");
    }
}

TEST_CASE("anthropic and azure: the key never appears in a result, error or trace", "[anthropic][azure][canary]") {
    // The mock echoes the key's start in its error message, as a careless upstream might.
    const std::string anthropic_key = std::string("a-canary@status=401,error_message=invalid x-api-key ") + std::string(kAnthropicKey).substr(0, 16);
    const std::string azure_key = std::string("z-canary@status=401,error_message=bad key ") + std::string(kAzureKey).substr(0, 16);
    for (const std::string& primary : {claude("claude", anthropic_key, {{"maxRetries", "0"}}), azure("azure", azure_key, {{"maxRetries", "0"}})}) {
        sw::ChatResponse r = router(primary).chat(kChat);
        CHECK_FALSE(r.ok());
        const std::string everything = r.body + r.error + r.trace_json() + r.trace.message;
        CHECK(everything.find("canary-XYZ") == std::string::npos);
        for (const auto& a : r.trace.attempts) CHECK(a.error_code.find("canary") == std::string::npos);
    }
    // They were really sent, in their headers.
    CHECK(last_header(anthropic_key, "x-api-key") == kAnthropicKey);
    CHECK(last_header(azure_key, "api-key") == kAzureKey);
}

TEST_CASE("azure: deployment URL, api-key header, and OpenAI's answers", "[azure]") {
    const std::string key = "z-ok";
    sw::ChatResponse r = router(azure("azure", key)).chat(kChat);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.text == "Hello from the mock (z-ok).");
    CHECK(mock().attempts(key) == 1);
    CHECK(last_header(key, "api-key") == kAzureKey);
    CHECK(last_header(key, "authorization").empty());

    Chunks chunks;
    sw::ChatResponse s = router(azure("azure", "z-stream@chunks=2")).chat_stream(kStream, chunks.callback());
    REQUIRE(s.ok());
    CHECK(s.text == "tok1 tok2 ");

    sw::ChatResponse e = router(azure("azure", "z-emb")).embeddings(R"({"model":"chat","input":"hello"})");
    REQUIRE(e.ok());
    CHECK_THAT(e.body, Catch::Contains(R"("object":"list")"));
}

TEST_CASE("azure: errors", "[azure][errors]") {
    SECTION("a content-filter 400 is content_policy, with Azure's reason") {
        const std::string key = "z-filter@content_policy";
        sw::ChatResponse r = router(azure("azure", key), openai("b", "z-filter-backup")).chat(kChat);
        CHECK(r.status == 400);
        CHECK(r.error_class == sw::ErrorClass::content_policy);
        CHECK_THAT(r.error, Catch::Contains("content management policy"));
        CHECK(mock().attempts(key) == 1);
        CHECK(mock().attempts("z-filter-backup") == 0);
    }
    SECTION("a 503 is retried, then the fallback serves") {
        const std::string key = "z-503@status=503";
        sw::ChatResponse r = router(azure("azure", key), openai("b", "z-503-backup")).chat(kChat);
        REQUIRE(r.ok());
        CHECK(mock().attempts(key) == 2);
        CHECK(r.trace.used_fallback);
    }
    SECTION("a 404 (Azure's answer to an unknown deployment) is not_found: failover") {
        const std::string key = "z-404@status=404";
        sw::ChatResponse r = router(azure("azure", key), openai("b", "z-404-backup")).chat(kChat);
        REQUIRE(r.ok());
        CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::not_found);
    }
}

TEST_CASE("anthropic: a request Anthropic cannot express is not sent, and the caller is told why", "[anthropic][errors]") {
    const std::string request = R"({"model":"chat","n":2,"messages":[{"role":"user","content":"hello"}]})";
    SECTION("alone: the error names the feature") {
        sw::ChatResponse r = router(claude("claude", "a-n2")).chat(request);
        CHECK_FALSE(r.ok());
        CHECK_THAT(r.error, Catch::Contains(R"(provider "claude": n is not supported by Anthropic)"));
        CHECK(r.trace.attempts.at(0).error_code == "unsupported_request");
        CHECK(mock().attempts("a-n2") == 0);
    }
    SECTION("with a fallback that can: it serves") {
        sw::ChatResponse r = router(claude("claude", "a-n2"), openai("b", "a-n2-backup")).chat(request);
        REQUIRE(r.ok());
        CHECK(r.trace.provider == "b");
        CHECK(mock().attempts("a-n2") == 0);
    }
}
