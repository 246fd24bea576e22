// test_azure_adapter.cpp — the Azure OpenAI adapter: deployment URLs, the api-key header, the
// apiVersion setting, and Azure's content-filter answers (tests/data/azure/).
#include "adapter_test_support.hpp"
#include "config_test_support.hpp"

#include "providers/adapter.hpp"
#include "providers/openai/azure.hpp"

#include <switch/config_loader.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

namespace {

using namespace sw::providers;
using swtest::outcome_of;
using swtest::read_fixture;

sw::ProviderConfig deployment(std::string name = "gpt-4o-prod") {
    sw::ProviderConfig p;
    p.name = "azure";
    p.type = "azure";
    p.api_base = "https://contoso.openai.azure.com";
    p.model_name = std::move(name);
    p.api_version = "2024-10-21";
    return p;
}

sw::credentials::CredentialView key(std::string_view secret) {
    sw::credentials::CredentialView view;
    view.kind = sw::credentials::CredentialView::Kind::api_key;
    view.secret = secret;
    return view;
}


}  // namespace

TEST_CASE("azure deployment URLs", "[azure][url]") {
    using azure::deployment_url;
    const std::string chat = "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21";
    CHECK(deployment_url("https://contoso.openai.azure.com", "gpt-4o-prod", Endpoint::chat_completions, "2024-10-21") == chat);
    CHECK(deployment_url("https://contoso.openai.azure.com/", "gpt-4o-prod", Endpoint::chat_completions, "2024-10-21") == chat);
    CHECK(deployment_url("https://contoso.openai.azure.com/openai/", "gpt-4o-prod", Endpoint::chat_completions, "2024-10-21") == chat);
    CHECK(deployment_url("https://contoso.openai.azure.com", "ada", Endpoint::embeddings, "2024-12-01-preview") ==
          "https://contoso.openai.azure.com/openai/deployments/ada/embeddings?api-version=2024-12-01-preview");
    // A deployment name cannot add a path segment or a query.
    CHECK(deployment_url("http://gw", "a/b?c#d e%", Endpoint::chat_completions, "v") ==
          "http://gw/openai/deployments/a%2Fb%3Fc%23d%20e%25/chat/completions?api-version=v");
    CHECK(deployment_url("http://gw", "dep@status=503,fail_first=1", Endpoint::chat_completions, "v") ==
          "http://gw/openai/deployments/dep@status=503,fail_first=1/chat/completions?api-version=v");
}

TEST_CASE("azure headers: api-key for a key, a bearer token for an oauth token, configured ones replace", "[azure][headers]") {
    sw::ProviderConfig p = deployment();
    CHECK(azure::request_headers(p, key("azure-key")) ==
          std::vector<std::string>{"Content-Type: application/json", "api-key: azure-key"});
    sw::credentials::CredentialView token;
    token.kind = sw::credentials::CredentialView::Kind::bearer_token;
    token.secret = "entra-token";
    CHECK(azure::request_headers(p, token) ==
          std::vector<std::string>{"Content-Type: application/json", "Authorization: Bearer entra-token"});
    CHECK(azure::request_headers(p, {}) == std::vector<std::string>{"Content-Type: application/json"});
    p.headers = {{"API-Key", "from-config"}};
    CHECK(azure::request_headers(p, key("azure-key")) ==
          std::vector<std::string>{"Content-Type: application/json", "API-Key: from-config"});
}

TEST_CASE("azure adapter: OpenAI's body on the deployment URL, the key only in its header", "[azure][adapter][canary]") {
    const Adapter& adapter = adapter_for("azure");
    const std::string canary = "sk-canary-XYZ-azure";
    sw::ProviderConfig p = deployment();
    p.api_version.clear();  // a config built in code: the kind's default applies
    const AttemptContext context{p, nullptr, key(canary), std::chrono::system_clock::now()};
    std::string error;
    auto prepared = adapter.prepare(Endpoint::chat_completions,
                                    R"({"model":"chat","messages":[{"role":"user","content":"hi"}],"temperature":0})",
                                    context, error);
    REQUIRE(prepared);
    CHECK(prepared->url == "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21");
    CHECK(prepared->body == R"({"model":"gpt-4o-prod","messages":[{"role":"user","content":"hi"}],"temperature":0})");
    CHECK(std::count(prepared->headers.begin(), prepared->headers.end(), "api-key: " + canary) == 1);
    CHECK(prepared->url.find(canary) == std::string::npos);
    CHECK(prepared->body.find(canary) == std::string::npos);
    for (const std::string& h : prepared->headers) CHECK_FALSE(h.starts_with("Authorization"));

    auto embeddings = adapter.prepare(Endpoint::embeddings, R"({"model":"chat","input":"x"})", context, error);
    REQUIRE(embeddings);
    CHECK_THAT(embeddings->url, Catch::EndsWith("/openai/deployments/gpt-4o-prod/embeddings?api-version=2024-10-21"));
    CHECK_FALSE(adapter.prepare(Endpoint::chat_completions, R"({"model":"chat"})", context, error));
    CHECK(error == "messages is required");
}

TEST_CASE("azure content filter: a 400 is content_policy, a 200 is an answer that says so", "[azure][response]") {
    const Adapter& adapter = adapter_for("azure");
    const ParsedResponse rejected =
        adapter.parse_response(Endpoint::chat_completions, 400, read_fixture("azure", "content_filter_error.json"));
    CHECK(rejected.error_code == "content_filter");
    CHECK_THAT(rejected.error_message, Catch::StartsWith("The response was filtered"));
    CHECK(sw::classify(outcome_of(400, rejected)) == sw::ErrorClass::content_policy);

    const ParsedResponse filtered =
        adapter.parse_response(Endpoint::chat_completions, 200, read_fixture("azure", "content_filter_response.json"));
    REQUIRE(filtered.parsed);
    CHECK(filtered.finish_reason == "content_filter");
    CHECK(filtered.text == "The battle scene opens with");
    CHECK(filtered.usage.output_tokens == 6);

    // A completion the filter emptied is no answer: a content-policy rejection.
    const ParsedResponse emptied = adapter.parse_response(
        Endpoint::chat_completions, 200,
        R"({"id":"x","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,"finish_reason":"content_filter","message":{"role":"assistant","content":null}}],"usage":{"prompt_tokens":21,"completion_tokens":0,"total_tokens":21}})");
    CHECK_FALSE(emptied.parsed);
    CHECK(emptied.error_status == 400);
    CHECK(emptied.error_code == "content_filter");
    CHECK(sw::classify(outcome_of(emptied.error_status, emptied)) == sw::ErrorClass::content_policy);

    const ParsedResponse missing_version =
        adapter.parse_response(Endpoint::chat_completions, 404, R"({"error":{"code":"404","message":"Resource not found"}})");
    CHECK(sw::classify(outcome_of(404, missing_version)) == sw::ErrorClass::not_found);
}

TEST_CASE("apiVersion: defaults per kind, validated, and ignored with a warning elsewhere", "[azure][config]") {
    auto load = [](const std::string& provider) {
        const std::string text = R"({"credentialStores":{"k":{"type":"azure","source":"env","config":{"apiKeyVar":"K"}}},)"
                                 R"("pools":[{"id":"p","providers":[)" + provider + R"(]}],"models":{"m":{"primaryPoolId":"p"}}})";
        return sw::test::load(text);
    };
    auto first_provider = [](const sw::LoadResult& r) { return r.config->pools.at(0).providers.at(0); };

    auto azure_default = load(R"({"name":"a","provider":"azure","apiBase":"https://x.openai.azure.com","modelName":"d","credentialsRef":"k"})");
    REQUIRE(azure_default.ok());
    CHECK(first_provider(azure_default).api_version == "2024-10-21");

    auto azure_set = load(R"({"name":"a","provider":"azure","apiBase":"https://x.openai.azure.com","modelName":"d","credentialsRef":"k","apiVersion":"2025-04-01-preview"})");
    REQUIRE(azure_set.ok());
    CHECK(first_provider(azure_set).api_version == "2025-04-01-preview");

    auto anthropic_default = load(R"({"name":"a","provider":"anthropic","modelName":"claude"})");
    REQUIRE(anthropic_default.ok());
    CHECK(first_provider(anthropic_default).api_version == "2023-06-01");

    auto bad = load(R"({"name":"a","provider":"azure","apiBase":"https://x","modelName":"d","credentialsRef":"k","apiVersion":"2024&key=x"})");
    CHECK_FALSE(bad.ok());
    CHECK_THAT(sw::format_diagnostics_text(bad), Catch::Contains("pools[0].providers[0].apiVersion: error: must be 1 to 64 letters"));

    auto elsewhere = load(R"({"name":"a","provider":"openai","modelName":"gpt","apiVersion":"2024-10-21"})");
    REQUIRE(elsewhere.ok());
    CHECK(first_provider(elsewhere).api_version.empty());
    CHECK_THAT(sw::format_diagnostics_text(elsewhere), Catch::Contains("apiVersion: warning: ignored"));
}

TEST_CASE("azure stream: a filter verdict before any content is a content-policy error, after content an answer",
          "[azure][stream]") {
    const Adapter& adapter = adapter_for("azure");
    const sw::ProviderConfig p = deployment();
    const AttemptContext context{p, nullptr, key("k"), std::chrono::system_clock::now()};
    const std::string head = R"({"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,)";
    const std::string opening = head + R"("delta":{"role":"assistant","content":""},"finish_reason":null}]})";
    const std::string text = head + R"("delta":{"content":"The battle"},"finish_reason":null}]})";
    const std::string filtered = head + R"("delta":{},"finish_reason":"content_filter"}]})";
    // Azure's first chunk carries only the prompt's filter results.
    const std::string prompt_results = R"({"choices":[],"prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]})";

    auto before = adapter.open_stream(context);
    CHECK_FALSE(before->next("message", prompt_results).has_error);
    CHECK_FALSE(before->next("message", opening).has_error);
    const ParsedChunk verdict = before->next("message", filtered);
    CHECK(verdict.has_error);
    CHECK(verdict.error_status == 400);
    CHECK(verdict.error_code == "content_filter");

    auto after = adapter.open_stream(context);
    CHECK(after->next("message", text).has_content);
    const ParsedChunk finish = after->next("message", filtered);
    CHECK_FALSE(finish.has_error);
    CHECK(finish.finish_reason == "content_filter");
}
