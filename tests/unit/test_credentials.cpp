// test_credentials.cpp — resolving credential stores: env, file, inline; which stores are fetched.
#include "config_test_support.hpp"
#include "credentials/resolver.hpp"
#include "credentials/token_source.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {
const sw::CredentialStoreConfig& store(const sw::LoadResult& r, const char* name) {
    const auto* s = r.config->find_credential_store(name);
    REQUIRE(s);
    return *s;
}
}  // namespace

TEST_CASE("a simple store resolves its key from env, file or inline") {
    const auto key_file = std::filesystem::temp_directory_path() / "switch-test-key.txt";
    std::ofstream(key_file) << "sk-from-file-000000000\n";
    auto r = sw::test::load(R"({"credentialStores": {
        "e": {"type": "simple", "source": "env", "config": {"apiKeyVar": "MY_KEY"}},
        "f": {"type": "simple", "source": "file", "config": {"apiKeyFile": ")" + key_file.string() + R"("}},
        "i": {"type": "simple", "source": "inline", "config": {"apiKey": "sk-inline-000000000"}}}})");
    REQUIRE(r.ok());
    auto env = sw::test::options_with_env({{"MY_KEY", "sk-from-env-000000000"}}).env;
    CHECK(sw::credentials::resolve_api_key(store(r, "e"), env).value->reveal() == "sk-from-env-000000000");
    CHECK(sw::credentials::resolve_api_key(store(r, "f"), env).value->reveal() == "sk-from-file-000000000");
    CHECK(sw::credentials::resolve_api_key(store(r, "i"), env).value->reveal() == "sk-inline-000000000");
    std::filesystem::remove(key_file);

    auto missing = sw::credentials::resolve_api_key(store(r, "e"), sw::test::options_with_env().env);
    CHECK_FALSE(missing.ok());
    CHECK(missing.status == SW_ERR_NOT_FOUND);
    CHECK_THAT(missing.error, Catch::Contains("MY_KEY") && Catch::Contains("not set"));
}

TEST_CASE("a key with a line break is refused at resolution, without showing it") {
    auto r = sw::test::load(R"({"credentialStores": {"e": {"type": "simple", "config": {"apiKeyVar": "K"}}}})");
    REQUIRE(r.ok());
    auto bad = sw::credentials::resolve_api_key(store(r, "e"), sw::test::options_with_env({{"K", "sk-canary\r\nX: y"}}).env);
    CHECK_FALSE(bad.ok());
    CHECK(bad.error.find("sk-canary") == std::string::npos);
}

TEST_CASE("vault and aws-secrets parse, and are fetched over the network, never resolved locally") {
    auto r = sw::test::load(R"({"credentialStores": {
        "v": {"type": "simple", "source": "vault", "config": {"path": "secret/data/openai", "key": "api_key",
              "address": "https://vault.internal:8200", "namespace": "team", "caFile": "/etc/vault/ca.pem",
              "roleIdVar": "ROLE_ID", "secretIdFile": "/run/secret-id"}},
        "s": {"type": "azure", "source": "aws-secrets", "config": {"secretId": "prod/openai", "region": "eu-west-1",
              "endpoint": "http://127.0.0.1:4566"}}}})");
    INFO(sw::format_diagnostics_text(r));
    REQUIRE(r.ok());
    const auto& v = store(r, "v").external;
    CHECK(v.path == "secret/data/openai");
    CHECK(v.key == "api_key");
    CHECK(v.address == "https://vault.internal:8200");
    CHECK(v.vault_namespace == "team");
    CHECK(v.ca_file == "/etc/vault/ca.pem");
    CHECK(v.role_id.env_var == "ROLE_ID");
    CHECK(v.secret_id.file == "/run/secret-id");
    const auto& s = store(r, "s").external;
    CHECK(s.path == "prod/openai");
    CHECK(s.region == "eu-west-1");
    CHECK(s.endpoint == "http://127.0.0.1:4566");
    for (const char* name : {"v", "s"}) {
        CHECK(sw::credentials::fetched_remotely(store(r, name)));
        auto resolved = sw::credentials::resolve_api_key(store(r, name), sw::test::options_with_env().env);
        CHECK(resolved.status == SW_ERR_NOT_SUPPORTED);
        CHECK_THAT(resolved.error, Catch::Contains("fetched over the network"));
    }
}

TEST_CASE("vault and aws-secrets settings that cannot work are refused at load, with a path and a fix") {
    struct Case {
        const char* config;
        const char* path;
        const char* message;
    };
    for (const Case& c : std::vector<Case>{
             {R"({"type": "aws", "source": "vault", "config": {"path": "secret/aws"}})", "credentialStores.x.source",
              "not the credentials of a store of type aws"},
             {R"({"type": "simple", "source": "vault", "config": {"path": "secret/a", "roleId": "r",
                  "secretId": "sid-canary"}})",
              "credentialStores.x.config.secretId", "must not be written in the config"},
             {R"({"type": "simple", "source": "vault", "config": {"path": "secret/a", "roleId": "r"}})",
              "credentialStores.x.config", "needs both roleId and secretId"},
             {R"({"type": "simple", "source": "vault", "config": {"path": "/secret/a"}})",
              "credentialStores.x.config.path", "mount first, with no leading /"},
             {R"({"type": "simple", "source": "vault", "config": {"path": "secret/a", "address": "vault:8200"}})",
              "credentialStores.x.config.address", ""},
             {R"({"type": "simple", "source": "aws-secrets", "config": {"secretId": "a", "endpoint": "ftp://x"}})",
              "credentialStores.x.config.endpoint", ""}}) {
        INFO(c.config);
        auto r = sw::test::load(std::string(R"({"credentialStores": {"x": )") + c.config + "}}");
        CHECK_FALSE(r.ok());
        bool found = false;
        for (const auto& d : r.diagnostics)
            if (d.path == c.path && d.message.find(c.message) != std::string::npos) found = true;
        INFO(sw::format_diagnostics_text(r));
        CHECK(found);
        CHECK(sw::format_diagnostics_text(r).find("sid-canary") == std::string::npos);
    }
}

TEST_CASE("aws stores resolve static keys, and the instance profile is fetched instead") {
    auto r = sw::test::load(R"({"credentialStores": {
        "keys": {"type": "aws", "source": "env", "config": {"regionVar": "AWS_REGION", "accessKeyIdVar": "AWS_ACCESS_KEY_ID",
                 "secretAccessKeyVar": "AWS_SECRET_ACCESS_KEY", "sessionTokenVar": "AWS_SESSION_TOKEN"}},
        "instance": {"type": "aws", "source": "env", "config": {"regionVar": "AWS_REGION", "useInstanceProfile": true}}}})");
    REQUIRE(r.ok());
    auto env = sw::test::options_with_env({{"AWS_REGION", "us-east-1"}, {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                                           {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                                           {"AWS_SESSION_TOKEN", "token"}})
                   .env;
    auto keys = sw::credentials::resolve_aws(store(r, "keys"), env);
    REQUIRE(keys.ok());
    CHECK(keys.value->region == "us-east-1");
    CHECK(keys.value->access_key_id.reveal() == "AKIDEXAMPLE");
    CHECK(keys.value->session_token.reveal() == "token");
    CHECK_FALSE(sw::credentials::fetched_remotely(store(r, "keys")));
    CHECK(sw::credentials::fetched_remotely(store(r, "instance")));
    auto instance = sw::credentials::resolve_aws(store(r, "instance"), env);
    CHECK(instance.status == SW_ERR_NOT_SUPPORTED);
    CHECK_THAT(instance.error, Catch::Contains("metadata service"));
}

TEST_CASE("google stores read the service-account JSON and never echo it") {
    auto r = sw::test::load(R"({"credentialStores": {"g": {"type": "google", "source": "env",
        "config": {"projectIdVar": "GOOGLE_PROJECT_ID", "serviceAccountKeyVar": "GOOGLE_SERVICE_ACCOUNT_KEY"}}}})");
    REQUIRE(r.ok());
    const std::string account = R"({"type": "service_account", "project_id": "from-json", "client_email": "x@y.iam",
        "private_key": "-----BEGIN PRIVATE KEY-----\ncanary\n-----END PRIVATE KEY-----\n", "token_uri": "http://127.0.0.1:1/token"})";
    auto ok = sw::credentials::resolve_google(
        store(r, "g"), sw::test::options_with_env({{"GOOGLE_SERVICE_ACCOUNT_KEY", account}, {"GOOGLE_PROJECT_ID", "proj"}}).env);
    REQUIRE(ok.ok());
    CHECK(ok.value->project_id == "proj");
    CHECK(ok.value->client_email == "x@y.iam");
    CHECK(ok.value->token_uri == "http://127.0.0.1:1/token");
    auto bad = sw::credentials::resolve_google(
        store(r, "g"), sw::test::options_with_env({{"GOOGLE_SERVICE_ACCOUNT_KEY", R"({"private_key": "canary"})"}}).env);
    CHECK_FALSE(bad.ok());
    CHECK(bad.error.find("canary") == std::string::npos);
}
