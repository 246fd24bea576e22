// test_provider_registry.cpp — the provider specs and the adapters attached to them.
#include "config_test_support.hpp"
#include "providers/adapter.hpp"
#include "providers/registry.hpp"
#include "providers/specs.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace sw::providers;

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
