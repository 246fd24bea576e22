// test_mixed_protocols.cpp — one virtual model whose pools speak four protocols (OpenAI-compatible,
// Anthropic, Bedrock, Gemini): requests fail over across them, streaming included, over the mock,
// and no provider's key shows anywhere the caller can see.
#include "chunk_collector.hpp"
#include "mock_process.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

using sw::test::Chunks;
using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;
    return instance;
}

// Each protocol's key is a canary: none may reach a result, an error, a trace or a chunk.
const std::map<std::string, std::string> kKeys = {{"OPENAI_KEY", "sk-canary-mixed-openai-7c1d"},
                                                  {"ANTHROPIC_KEY", "sk-canary-mixed-anthropic-2b9e"},
                                                  {"GEMINI_KEY", "sk-canary-mixed-gemini-4f0a"},
                                                  {"AWS_SECRET", "sk-canary-mixed-aws-secret-8e3c"}};

struct Protocol {
    const char* kind;
    const char* store;
    const char* path_suffix;  // what apiBase needs on the mock
};
const std::map<std::string, Protocol> kProtocols = {{"openai", {"custom", "openai", "/v1"}},
                                                    {"anthropic", {"anthropic", "anthropic", ""}},
                                                    {"bedrock", {"bedrock", "aws", ""}},
                                                    {"gemini", {"google", "gemini", ""}}};

// A pool named after its protocol, with one provider of that protocol whose model is NAME@SPEC.
std::string pool(const std::string& protocol, const std::string& model, const std::string& fallback) {
    const Protocol& p = kProtocols.at(protocol);
    return fmt::format(R"({{"id":"{0}","providers":[{{"name":"{0}","provider":"{1}","credentialsRef":"{2}",)"
                       R"("apiBase":"{3}{4}","modelName":"{5}","timeout":2000,"maxRetries":0}}],"fallbackPoolIds":[{6}]}})",
                       protocol, p.kind, p.store, mock().base(), p.path_suffix, model,
                       fallback.empty() ? "" : "\"" + fallback + "\"");
}

// Pools in failover order, each `protocol=model`; the first is the model's primary pool.
sw::Router router(const std::vector<std::pair<std::string, std::string>>& chain) {
    std::string pools;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const std::string next = i + 1 < chain.size() ? chain[i + 1].first : "";
        pools += (i ? "," : "") + pool(chain[i].first, chain[i].second, next);
    }
    const std::string text = fmt::format(
        R"({{"credentialStores":{{)"
        R"("openai":{{"type":"simple","config":{{"apiKeyVar":"OPENAI_KEY"}}}},)"
        R"("anthropic":{{"type":"simple","config":{{"apiKeyVar":"ANTHROPIC_KEY"}}}},)"
        R"("gemini":{{"type":"simple","config":{{"apiKeyVar":"GEMINI_KEY"}}}},)"
        R"("aws":{{"type":"aws","config":{{"region":"us-east-1","accessKeyIdVar":"AWS_KEY_ID","secretAccessKeyVar":"AWS_SECRET"}}}}}},)"
        R"("pools":[{}],"models":{{"chat":{{"primaryPoolId":"{}"}}}}}})",
        pools, chain.front().first);
    auto env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "AWS_KEY_ID") return "AKIDMIXEDPROTOCOLS";
        auto it = kKeys.find(name);
        return it == kKeys.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    sw::LoadOptions load;
    load.env = env;
    auto loaded = sw::load_config_string(text, sw::ConfigFormat::json, "mixed", load);
    INFO(sw::format_diagnostics_text(loaded));
    REQUIRE(loaded.ok());
    sw::RouterOptions options;
    options.env = env;
    options.stream_idle_timeout = sw::Millis(500);
    return sw::Router(loaded.config, options);
}

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";
constexpr const char* kStream = R"({"model":"chat","stream":true,"messages":[{"role":"user","content":"hello"}]})";

// No key of any protocol in anything the caller can see.
void check_no_key(const sw::ChatResponse& r, Chunks& chunks) {
    const std::string seen = r.body + r.error + r.trace_json() + r.trace.message + chunks.joined();
    for (const auto& [name, key] : kKeys) {
        INFO(name);
        CHECK(seen.find(key) == std::string::npos);
    }
    CHECK(seen.find("sk-canary") == std::string::npos);
}

std::vector<sw::ErrorClass> classes(const sw::ChatResponse& r) {
    std::vector<sw::ErrorClass> out;
    for (const auto& a : r.trace.attempts) out.push_back(a.error_class);
    return out;
}

}  // namespace

TEST_CASE("a stream fails over from OpenAI to Anthropic to Bedrock to Gemini before any content") {
    // Each failing upstream echoes its key in its error message, as some real providers do.
    sw::Router r = router({{"openai", "mx1-o@status=503,error_message=bad key sk-canary-mixed-openai-7c1d"},
                           {"anthropic", "mx1-a@status=529,error_message=overloaded sk-canary-mixed-anthropic-2b9e"},
                           {"bedrock", "mx1-b@malformed_at=1"},
                           {"gemini", "mx1-g@chunks=3"}});
    Chunks chunks;
    sw::ChatResponse response = r.chat_stream(kStream, chunks.callback());
    INFO(response.error);
    REQUIRE(response.ok());
    CHECK(response.trace.provider == "gemini");
    CHECK(response.trace.used_fallback);
    CHECK(classes(response) == std::vector<sw::ErrorClass>{sw::ErrorClass::transient, sw::ErrorClass::transient,
                                                           sw::ErrorClass::protocol, sw::ErrorClass::success});
    CHECK(response.text == "tok1 tok2 tok3 ");
    CHECK(response.finish_reason == "stop");
    // Every chunk the caller saw is an OpenAI chunk from the provider that served.
    REQUIRE_FALSE(chunks.items.empty());
    for (const auto& c : chunks.items) {
        CHECK_THAT(c, Catch::Contains(R"("object":"chat.completion.chunk")"));
        CHECK_THAT(c, !Catch::Contains("mx1-b") && !Catch::Contains("mx1-a") && !Catch::Contains("mx1-o"));
    }
    for (const char* key : {"mx1-o@status=503,error_message=bad key sk-canary-mixed-openai-7c1d",
                            "mx1-a@status=529,error_message=overloaded sk-canary-mixed-anthropic-2b9e", "mx1-b@malformed_at=1",
                            "mx1-g@chunks=3"})
        CHECK(mock().attempts(key) == 1);
    check_no_key(response, chunks);
}

TEST_CASE("a whole answer fails over from Gemini to Bedrock to Anthropic to OpenAI") {
    sw::Router r = router({{"gemini", "mx2-g@status=503"},
                           {"bedrock", "mx2-b@status=429"},
                           {"anthropic", "mx2-a@status=500"},
                           {"openai", "mx2-o"}});
    sw::ChatResponse response = r.chat(kChat);
    INFO(response.error);
    REQUIRE(response.ok());
    CHECK(response.trace.provider == "openai");
    CHECK(classes(response) == std::vector<sw::ErrorClass>{sw::ErrorClass::transient, sw::ErrorClass::rate_limited,
                                                           sw::ErrorClass::transient, sw::ErrorClass::success});
    CHECK_THAT(response.body, Catch::Contains(R"("object":"chat.completion")"));
    CHECK(response.text == "Hello from the mock (mx2-o).");
    Chunks none;
    check_no_key(response, none);
}

TEST_CASE("a stream that breaks after content ends with an explicit error, whichever protocol served") {
    for (const std::string protocol : {"openai", "anthropic", "bedrock", "gemini"}) {
        DYNAMIC_SECTION(protocol) {
            const std::string broken = "mx3-" + protocol + "@cut_after=2";
            const std::string spare = protocol == "openai" ? "anthropic" : "openai";
            sw::Router r = router({{protocol, broken}, {spare, "mx3-spare-" + protocol}});
            Chunks chunks;
            sw::ChatResponse response = r.chat_stream(kStream, chunks.callback());
            CHECK(response.status == 502);
            CHECK(response.trace.error == sw::RouteError::stream_interrupted);
            CHECK(mock().attempts("mx3-spare-" + protocol) == 0);  // content was delivered: no failover
            const auto content = std::count_if(chunks.items.begin(), chunks.items.end(), [](const std::string& c) {
                return c.find(R"("content":"tok)") != std::string::npos;
            });
            CHECK(content == 2);
            REQUIRE_FALSE(chunks.items.empty());
            CHECK_THAT(chunks.items.back(), Catch::StartsWith(R"({"error":{"type":"stream_interrupted")"));
            check_no_key(response, chunks);
        }
    }
}
