// test_google_config.cpp — google credential stores at load time: tokenUri, inline service
// accounts checked without ever being echoed, and the project a vertex provider needs.
#include "config_test_support.hpp"
#include "credentials/resolver.hpp"
#include "rsa_test_key.hpp"

#include <catch2/catch.hpp>

namespace {

// A config with one google store whose config is `store_config`, and a vertex provider on it.
std::string vertex_config(const std::string& store_config, const std::string& provider_extra = "") {
    return R"({"credentialStores": {"g": {"type": "google", "source": "inline", "config": )" + store_config +
           R"(}}, "pools": [{"id": "p", "providers": [{"name": "v", "provider": "vertex", "credentialsRef": "g",
           "modelName": "gemini-2.0-flash")" +
           provider_extra + R"(}]}], "models": {"m": {"primaryPoolId": "p"}}})";
}

std::string inline_key(const std::string& document) {
    std::string escaped;
    for (char c : document) {
        if (c == '"' || c == '\\') escaped += '\\';
        escaped += c;
    }
    return R"({"location": "us-central1", "serviceAccountKey": ")" + escaped + "\"";
}

std::string all_text(const sw::LoadResult& r) { return sw::format_diagnostics_text(r); }

}  // namespace

TEST_CASE("a valid inline service account loads, and tokenUri overrides its token_uri") {
    const std::string document = sw::test::service_account_json("https://oauth2.googleapis.com/token");
    auto r = sw::test::load(vertex_config(inline_key(document) + R"(, "tokenUri": "http://127.0.0.1:8/token"})"));
    INFO(all_text(r));
    REQUIRE(r.ok());
    const auto* store = r.config->find_credential_store("g");
    REQUIRE(store);
    CHECK(std::get<sw::GoogleCredentials>(store->details).token_uri == "http://127.0.0.1:8/token");
    auto account = sw::credentials::resolve_google(*store, sw::test::options_with_env().env);
    REQUIRE(account.ok());
    CHECK(account.value->token_uri == "http://127.0.0.1:8/token");
    CHECK(account.value->private_key_id == "test-key-1");
    CHECK(account.value->project_id == "test-project");
}

TEST_CASE("a broken inline service account is reported at load time, never quoted") {
    const std::string pem = sw::test::RsaTestKey::shared().private_pem;
    struct Case {
        const char* what;
        std::string document;
        const char* message;
    };
    const Case cases[] = {
        {"not JSON", "canary-not-json", "is not a service-account JSON document"},
        {"no client_email", R"({"private_key":"canary","token_uri":"https://t"})", "is not a service-account JSON document"},
        {"a private key that is not PEM",
         R"({"client_email":"a@b","private_key":"canary-key","token_uri":"https://oauth2.googleapis.com/token"})",
         "not an unencrypted PEM RSA private key"},
        {"a token_uri that is not http(s)",
         sw::test::service_account_json("file:///etc/passwd"), "token_uri"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        auto r = sw::test::load(vertex_config(inline_key(c.document) + "}"));
        CHECK_FALSE(r.ok());
        const sw::Diagnostic* d = sw::test::diagnostic_at(r, "credentialStores.g.config.serviceAccountKey");
        REQUIRE(d);
        CHECK_THAT(d->message, Catch::Contains(c.message));
        CHECK(all_text(r).find("canary") == std::string::npos);
        CHECK(all_text(r).find("BEGIN") == std::string::npos);
    }
}

TEST_CASE("tokenUri must be an http or https URL") {
    const std::string document = sw::test::service_account_json("https://oauth2.googleapis.com/token");
    auto r = sw::test::load(vertex_config(inline_key(document) + R"(, "tokenUri": "ftp://example.com/token"})"));
    CHECK_FALSE(r.ok());
    CHECK(sw::test::diagnostic_at(r, "credentialStores.g.config.tokenUri"));
}

TEST_CASE("a vertex provider needs a project: from projectId or the document") {
    const std::string without_project = sw::test::service_account_json("https://oauth2.googleapis.com/token", "");
    auto missing = sw::test::load(vertex_config(inline_key(without_project) + "}"));
    CHECK_FALSE(missing.ok());
    const sw::Diagnostic* d = sw::test::diagnostic_at(missing, "pools[0].providers[0].credentialsRef");
    REQUIRE(d);
    CHECK_THAT(d->message, Catch::Contains("no project"));

    auto given = sw::test::load(vertex_config(inline_key(without_project) + R"(, "projectId": "p"})"));
    INFO(all_text(given));
    CHECK(given.ok());

    // From the environment the document is read at first use, so loading cannot know yet.
    auto from_env = sw::test::load(R"({"credentialStores": {"g": {"type": "google", "config": {"serviceAccountKeyVar": "SA",
        "location": "us-central1"}}}, "pools": [{"id": "p", "providers": [{"name": "v", "provider": "vertex",
        "credentialsRef": "g", "modelName": "gemini"}]}], "models": {"m": {"primaryPoolId": "p"}}})");
    INFO(all_text(from_env));
    CHECK(from_env.ok());
}
