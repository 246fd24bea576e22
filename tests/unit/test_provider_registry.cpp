// test_provider_registry.cpp — the provider specs and the adapters attached to them, and the
// attempt's response stamp: translated answers take their id and created time from it.
#include "config_test_support.hpp"
#include "providers/adapter.hpp"
#include "providers/registry.hpp"
#include "providers/specs.hpp"

#include <switch/clock.hpp>

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <set>
#include <string>

using namespace sw::providers;

namespace {

// A stamp from a seeded random source and a fixed time, as the caller draws one per attempt.
ResponseStamp fixed_stamp(std::uint64_t seed) {
    sw::SplitMixRandom random(seed);
    return ResponseStamp::draw(std::chrono::system_clock::from_time_t(1700000000), random);
}

sw::ProviderConfig provider_of(std::string_view type) {
    sw::ProviderConfig p;
    p.name = "p";
    p.type = std::string(type);
    p.api_base = "https://example.com";
    p.model_name = "m";
    return p;
}

struct Head {
    std::string id;
    std::int64_t created = 0;
};

Head head_of(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(json.data(), json.size()).value();
    return Head{std::string(std::string_view(doc["id"])), std::int64_t(doc["created"])};
}

}  // namespace

TEST_CASE("every provider spec has a unique name and an adapter", "[registry]") {
    std::set<std::string_view> names;
    for (const ProviderSpec& spec : provider_specs()) {
        INFO(spec.name);
        CHECK(names.insert(spec.name).second);
        CHECK(find_provider_spec(spec.name) == &spec);
        CHECK(protocol_entry(spec.protocol).protocol == spec.protocol);
        CHECK(&adapter_for(spec.name) == &protocol_entry(spec.protocol).adapter());
        CHECK_FALSE(spec.credential_types.empty());
    }
    CHECK(find_provider_spec("nonesuch") == nullptr);
    CHECK(&adapter_for("nonesuch") == &openai_adapter());
    CHECK(adapter_for("bedrock").stream_framing() == StreamFraming::aws_event_stream);
    CHECK(adapter_for("anthropic").stream_framing() == StreamFraming::sse);
}

TEST_CASE("the config loader takes provider names and defaults from the specs", "[registry][config]") {
    for (const ProviderSpec& spec : provider_specs()) {
        INFO(spec.name);
        const std::string text = R"({"pools":[{"id":"p","providers":[{"name":"a","provider":")" + std::string(spec.name) +
                                 R"(","modelName":"m","apiBase":"https://example.com"}]}],"models":{"m":{"primaryPoolId":"p"}}})";
        const sw::LoadResult result = sw::test::load(text);
        REQUIRE(result.config);
        const sw::ProviderConfig& p = result.config->pools.at(0).providers.at(0);
        CHECK(p.type == spec.name);
        CHECK(p.api_version == spec.api_version);
    }
    const sw::LoadResult typo = sw::test::load(
        R"({"pools":[{"id":"p","providers":[{"name":"a","provider":"grok","modelName":"m"}]}],"models":{"m":{"primaryPoolId":"p"}}})");
    const sw::Diagnostic* d = sw::test::diagnostic_at(typo, "pools[0].providers[0].provider");
    REQUIRE(d);
    CHECK(d->suggestion.find("\"groq\"") != std::string::npos);
}

TEST_CASE("a response stamp is drawn from the random source and the wall-clock time", "[registry]") {
    const ResponseStamp a = fixed_stamp(7), b = fixed_stamp(7), c = fixed_stamp(8);
    CHECK(a.created == 1700000000);
    CHECK(a.id("chatcmpl-") == b.id("chatcmpl-"));
    CHECK(a.id("chatcmpl-") != c.id("chatcmpl-"));
    CHECK(a.id("x-").size() == 2 + 24);
}

TEST_CASE("translated answers take their id and created time from the attempt's stamp", "[registry]") {
    const ResponseStamp stamp = fixed_stamp(42);
    const sw::ProviderConfig bedrock = provider_of("bedrock"), anthropic = provider_of("anthropic"),
                             google = provider_of("google");

    SECTION("whole answers") {
        const ParsedResponse converse = adapter_for(bedrock).parse_response_from(
            {bedrock, stamp}, Endpoint::chat_completions, 200,
            R"({"output":{"message":{"role":"assistant","content":[{"text":"x"}]}},"stopReason":"end_turn",)"
            R"("usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3}})");
        REQUIRE(converse.parsed);
        Head h = head_of(converse.body);
        CHECK(h.id == stamp.id("chatcmpl-bedrock-"));
        CHECK(h.created == stamp.created);

        const ParsedResponse messages = adapter_for(anthropic).parse_response_from(
            {anthropic, stamp}, Endpoint::chat_completions, 200,
            R"({"id":"msg_1","type":"message","model":"c","content":[{"type":"text","text":"x"}],"stop_reason":"end_turn",)"
            R"("usage":{"input_tokens":1,"output_tokens":2}})");
        REQUIRE(messages.parsed);
        h = head_of(messages.body);
        CHECK(h.id == "msg_1");  // Anthropic's own id
        CHECK(h.created == stamp.created);

        const ParsedResponse gemini = adapter_for(google).parse_response_from(
            {google, stamp}, Endpoint::chat_completions, 200,
            R"({"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":"STOP","index":0}],)"
            R"("modelVersion":"g"})");
        REQUIRE(gemini.parsed);
        h = head_of(gemini.body);
        CHECK(h.id == "chatcmpl-gemini-" + std::to_string(stamp.created));  // no responseId
        CHECK(h.created == stamp.created);
    }

    SECTION("streams") {
        const sw::credentials::CredentialView none;
        auto chunk_of = [&](const sw::ProviderConfig& p, std::string_view type, std::string_view data) {
            const AttemptContext context{p, nullptr, none, std::chrono::system_clock::now(), stamp};
            auto decoder = adapter_for(p).open_stream(context);
            return decoder->next(type, data).translated;
        };
        Head h = head_of(chunk_of(bedrock, "messageStart", R"({"role":"assistant"})"));
        CHECK(h.id == stamp.id("chatcmpl-bedrock-"));
        CHECK(h.created == stamp.created);
        h = head_of(chunk_of(anthropic, "message_start",
                             R"({"type":"message_start","message":{"id":"msg_1","model":"c","usage":{"input_tokens":1}}})"));
        CHECK(h.id == "msg_1");
        CHECK(h.created == stamp.created);
        h = head_of(chunk_of(google, "message",
                             R"({"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"index":0}],"modelVersion":"g"})"));
        CHECK(h.id == "chatcmpl-gemini-" + std::to_string(stamp.created));
        CHECK(h.created == stamp.created);
    }
}
