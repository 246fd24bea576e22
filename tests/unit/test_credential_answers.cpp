// test_credential_answers.cpp — reading Vault, Secrets Manager and instance-metadata answers
// (credentials/secret_answers.hpp): the values picked, and errors that never quote a value.
#include "credentials/secret_answers.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace sw::credentials;

TEST_CASE("the KV v2 read path puts data/ after the mount") {
    sw::ExternalSecretRef ref;
    ref.path = "secret/openai";
    CHECK(kv2_api_path(ref) == "secret/data/openai");
    ref.path = "secret/team/openai";
    CHECK(kv2_api_path(ref) == "secret/data/team/openai");
    ref.path = "secret/data/openai";  // already the API's form
    CHECK(kv2_api_path(ref) == "secret/data/openai");
    ref.path = "team/openai";
    ref.mount = "kv/prod";  // a mount with a slash in it
    CHECK(kv2_api_path(ref) == "kv/prod/data/team/openai");
}

TEST_CASE("a Vault answer gives the key asked for, or the only field") {
    const std::string body = R"({"data":{"data":{"api_key":"sk-canary-1","org":"o"},"metadata":{"version":2}}})";
    std::string error;
    auto value = vault_secret_value(body, "api_key", error);
    REQUIRE(value);
    CHECK(value->reveal() == "sk-canary-1");
    CHECK_FALSE(vault_secret_value(body, "", error));  // two fields: which one?
    CHECK_THAT(error, Catch::Contains("2 fields") && Catch::Contains("config.key"));
    CHECK_FALSE(vault_secret_value(body, "missing", error));
    CHECK_THAT(error, Catch::Contains("no field \"missing\""));
    auto only = vault_secret_value(R"({"data":{"data":{"k":"sk-canary-2"}}})", "", error);
    REQUIRE(only);
    CHECK(only->reveal() == "sk-canary-2");
    // KV version 1 answers have no data.data.
    CHECK_FALSE(vault_secret_value(R"({"data":{"api_key":"sk-canary-3"}})", "api_key", error));
    CHECK_THAT(error, Catch::Contains("KV version 2"));
    // A value that could split a header is refused without being quoted.
    CHECK_FALSE(vault_secret_value(R"({"data":{"data":{"k":"sk-canary-4\r\nX: y"}}})", "k", error));
    CHECK(error.find("canary") == std::string::npos);
    CHECK_FALSE(vault_secret_value(R"({"data":{"data":{"k":7}}})", "k", error));
    CHECK_THAT(error, Catch::Contains("not a string"));
}

TEST_CASE("an AppRole login answer gives its client token") {
    std::string error;
    auto token = vault_client_token(R"({"auth":{"client_token":"s.canary","policies":["p"]}})", error);
    REQUIRE(token);
    CHECK(token->reveal() == "s.canary");
    CHECK_FALSE(vault_client_token(R"({"errors":["invalid role or secret ID"]})", error));
    CHECK_THAT(error, Catch::Contains("auth.client_token"));
}

TEST_CASE("a GetSecretValue answer gives the whole string, or a key of its JSON") {
    std::string error;
    auto plain = aws_secret_value(R"({"ARN":"arn","Name":"n","SecretString":"sk-canary-plain"})", "", error);
    REQUIRE(plain);
    CHECK(plain->reveal() == "sk-canary-plain");
    const std::string json = R"({"SecretString":"{\"api_key\":\"sk-canary-json\",\"n\":1}"})";
    auto keyed = aws_secret_value(json, "api_key", error);
    REQUIRE(keyed);
    CHECK(keyed->reveal() == "sk-canary-json");
    CHECK_FALSE(aws_secret_value(json, "n", error));
    CHECK_THAT(error, Catch::Contains("not a string"));
    CHECK_FALSE(aws_secret_value(R"({"SecretString":"sk-canary-plain"})", "api_key", error));
    CHECK_THAT(error, Catch::Contains("not a JSON object"));
    CHECK(error.find("canary") == std::string::npos);
    CHECK_FALSE(aws_secret_value(R"({"SecretBinary":"AAEC"})", "", error));
    CHECK_THAT(error, Catch::Contains("binary"));
    CHECK(aws_error_type(R"({"__type":"ResourceNotFoundException","message":"m"})") == "ResourceNotFoundException");
    CHECK(aws_error_type(R"({"__type":"com.amazon.coral#AccessDeniedException"})") == "AccessDeniedException");
    CHECK(aws_error_type("not json").empty());
}

TEST_CASE("instance credentials: keys, session token and expiration") {
    std::string error;
    auto c = instance_credentials(R"({"Code":"Success","AccessKeyId":"AKID","SecretAccessKey":"secret-canary",)"
                                  R"("Token":"token-canary","Expiration":"2026-12-07T13:45:00Z"})",
                                  "us-west-2", error);
    REQUIRE(c);
    CHECK(c->keys.region == "us-west-2");
    CHECK(c->keys.access_key_id.reveal() == "AKID");
    CHECK(c->keys.secret_access_key.reveal() == "secret-canary");
    CHECK(c->keys.session_token.reveal() == "token-canary");
    REQUIRE(c->expiration);
    using namespace std::chrono;
    CHECK(*c->expiration == sys_days(year(2026) / 12 / 7) + hours(13) + minutes(45));
    CHECK_FALSE(instance_credentials(R"({"Code":"AssumeRoleUnauthorizedAccess","AccessKeyId":"A","SecretAccessKey":"s"})",
                                     "", error));
    CHECK_THAT(error, Catch::Contains("not Success"));
    CHECK_FALSE(instance_credentials(R"({"AccessKeyId":"A"})", "", error));
    CHECK_THAT(error, Catch::Contains("SecretAccessKey"));
    CHECK_FALSE(instance_credentials(R"({"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"soon"})", "", error));
    CHECK_THAT(error, Catch::Contains("Expiration"));
}

TEST_CASE("UTC timestamps as the metadata service writes them") {
    using namespace std::chrono;
    CHECK(parse_utc_timestamp("2026-01-02T03:04:05Z") == sys_days(year(2026) / 1 / 2) + hours(3) + minutes(4) + seconds(5));
    CHECK(parse_utc_timestamp("2026-01-02T03:04:05.123Z") == sys_days(year(2026) / 1 / 2) + hours(3) + minutes(4) + seconds(5));
    CHECK(parse_utc_timestamp("2026-01-02T03:04:05+00:00").has_value());
    CHECK_FALSE(parse_utc_timestamp("2026-02-30T03:04:05Z"));
    CHECK_FALSE(parse_utc_timestamp("2026-01-02T03:04:05+02:00"));
    CHECK_FALSE(parse_utc_timestamp("2026-01-02 03:04:05Z"));
    CHECK_FALSE(parse_utc_timestamp(""));
}
