// test_credentials.cpp — resolving credential stores: env, file, inline; unsupported sources.
#include "config_test_support.hpp"
#include "credentials/resolver.hpp"

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

TEST_CASE("vault and aws-secrets parse, and resolving them says they are not supported yet") {
    auto r = sw::test::load(R"({"credentialStores": {
        "v": {"type": "simple", "source": "vault", "config": {"path": "secret/data/openai", "key": "api_key"}},
        "s": {"type": "simple", "source": "aws-secrets", "config": {"secretId": "prod/openai"}}}})");
    REQUIRE(r.ok());
    CHECK(store(r, "v").external.path == "secret/data/openai");
    CHECK(store(r, "s").external.path == "prod/openai");
    for (const char* name : {"v", "s"}) {
        auto resolved = sw::credentials::resolve_api_key(store(r, name), sw::test::options_with_env().env);
        CHECK(resolved.status == SW_ERR_NOT_SUPPORTED);
        CHECK_THAT(resolved.error, Catch::Contains("not supported yet"));
    }
}

TEST_CASE("aws stores resolve static keys, and the instance profile is reported as unsupported") {
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
