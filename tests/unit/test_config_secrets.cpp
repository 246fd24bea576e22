// test_config_secrets.cpp — a canary key never appears in diagnostics, text or JSON.
#include "config_test_support.hpp"

#include <catch2/catch.hpp>

namespace {
constexpr const char* kCanary = "sk-canary-7f3a9c2e41d0b8a6";
}

TEST_CASE("a canary secret never appears in any diagnostic") {
    // The canary sits where secrets live, and every one of those places also holds a mistake,
    // so that the loader has a reason to talk about it.
    const std::string config = std::string(R"({
      "credentialStores": {
        "inline": {"type": "simple", "source": "inline", "config": {"apiKey": ")") + kCanary + R"(\r\n"}},
        "wrong": {"type": "simple", "source": "env", "config": {"apiKey": ")" + kCanary + R"("}},
        "both": {"type": "azure", "source": "inline", "config": {"apiKey": ")" + kCanary + R"(", "apiKeyVar": "X"}},
        "expanded": {"type": "simple", "source": "inline", "config": {"apiKey": "${CANARY_WITH_CRLF}"}},
        "google": {"type": "google", "source": "inline", "config": {"serviceAccountKey": ")" + kCanary + R"(", "bogus": 1}}
      },
      "pools": [{"id": "p", "providers": [{"name": "a", "provider": "openai", "credentialsRef": "inline", "modelName": "m",
        "headers": {"Authorization": "Bearer )" + kCanary + R"(\n", "X-Key": "${CANARY_WITH_CRLF}",
                    "Bad Name": ")" + kCanary + R"("},
        "apiBase": "https://)" + kCanary + R"(@example.com/v1",
        "providerParams": {"token": "${UNSET_SECRET_VAR}"}}]}]
    })";
    auto result = sw::test::load(config, {{"CANARY_WITH_CRLF", std::string(kCanary) + "\r\nX: 1"}});
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.error_count() >= 6);
    const std::string text = sw::format_diagnostics_text(result);
    const std::string json = sw::format_diagnostics_json(result);
    INFO(text);
    CHECK(text.find(kCanary) == std::string::npos);
    CHECK(json.find(kCanary) == std::string::npos);
    CHECK(text.find("canary") == std::string::npos);
}

TEST_CASE("a loaded secret is held as a Secret, redacted when mentioned") {
    auto result = sw::test::load(std::string(R"({"credentialStores": {"k": {"type": "simple", "source": "inline",
                                   "config": {"apiKey": ")") + kCanary + R"("}}}})");
    REQUIRE(result.ok());
    const auto& key = std::get<sw::SimpleCredentials>(result.config->credential_stores.at(0).details).api_key;
    CHECK(key.inline_value.reveal() == kCanary);
    CHECK(key.inline_value.redacted() == "sk-…b8a6");
}
