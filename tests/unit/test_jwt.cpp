// test_jwt.cpp — RS256 service-account assertions: encoding, claims, a signature that verifies
// with the public key, and the token requests of google and oauth stores.
#include "config_test_support.hpp"
#include "credentials/credential_cache.hpp"
#include "credentials/jwt.hpp"
#include "rsa_test_key.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include <simdjson.h>

#include <catch2/catch.hpp>

#include <vector>

namespace {

using sw::credentials::GoogleServiceAccount;
using sw::test::RsaTestKey;

std::string base64url_decode(std::string_view in) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : in) {
        const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        const std::size_t v = alphabet.find(c);
        REQUIRE(v != std::string_view::npos);
        buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::vector<std::string> split_jwt(const std::string& jwt) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot; (dot = jwt.find('.', start)) != std::string::npos; start = dot + 1)
        parts.push_back(jwt.substr(start, dot - start));
    parts.push_back(jwt.substr(start));
    return parts;
}

// Verifies an RS256 signature over `signed_part` with a PEM public key, as Google's token
// endpoint does.
bool verify_rs256(const std::string& public_pem, const std::string& signed_part, const std::string& signature) {
    BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = key && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                                     reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    ERR_clear_error();
    return ok;
}

GoogleServiceAccount test_account() {
    GoogleServiceAccount account;
    account.client_email = "router@test-project.iam.gserviceaccount.com";
    account.private_key_id = "test-key-1";
    account.private_key = sw::Secret(RsaTestKey::shared().private_pem);
    return account;
}

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));

}  // namespace

TEST_CASE("base64url is RFC 4648's URL alphabet without padding") {
    using sw::credentials::base64url;
    CHECK(base64url("") == "");
    CHECK(base64url("f") == "Zg");
    CHECK(base64url("fo") == "Zm8");
    CHECK(base64url("foo") == "Zm9v");
    CHECK(base64url("foob") == "Zm9vYg");
    CHECK(base64url("\xfb\xff") == "-_8");  // '+' and '/' in the standard alphabet
    CHECK(base64url_decode(base64url("any \x01\x02 bytes\xff")) == "any \x01\x02 bytes\xff");
}

TEST_CASE("a service-account assertion carries Google's claims and verifies with the public key") {
    std::string error;
    auto jwt = sw::credentials::service_account_assertion(test_account(), "https://oauth2.googleapis.com/token", kNow,
                                                          "g", error);
    INFO(error);
    REQUIRE(jwt);
    const auto parts = split_jwt(*jwt);
    REQUIRE(parts.size() == 3);
    for (const auto& p : parts) CHECK(p.find_first_of("=+/") == std::string::npos);

    simdjson::dom::parser parser;
    simdjson::dom::element header = parser.parse(base64url_decode(parts[0]));
    CHECK(std::string_view(header["alg"]) == "RS256");
    CHECK(std::string_view(header["typ"]) == "JWT");
    CHECK(std::string_view(header["kid"]) == "test-key-1");

    simdjson::dom::parser claims_parser;
    simdjson::dom::element claims = claims_parser.parse(base64url_decode(parts[1]));
    CHECK(std::string_view(claims["iss"]) == "router@test-project.iam.gserviceaccount.com");
    CHECK(std::string_view(claims["scope"]) == "https://www.googleapis.com/auth/cloud-platform");
    CHECK(std::string_view(claims["aud"]) == "https://oauth2.googleapis.com/token");
    CHECK(std::int64_t(claims["iat"]) == 1700000000);
    CHECK(std::int64_t(claims["exp"]) == 1700003600);

    const std::string signed_part = parts[0] + "." + parts[1];
    const std::string signature = base64url_decode(parts[2]);
    CHECK(signature.size() == 256);  // a 2048-bit RSA signature
    CHECK(verify_rs256(RsaTestKey::shared().public_pem, signed_part, signature));

    SECTION("a changed claim no longer verifies") {
        std::string forged = sw::credentials::base64url(R"({"iss":"attacker@example.com"})");
        CHECK_FALSE(verify_rs256(RsaTestKey::shared().public_pem, parts[0] + "." + forged, signature));
    }
    SECTION("another key's public half does not verify it") {
        CHECK_FALSE(verify_rs256(RsaTestKey::generate().public_pem, signed_part, signature));
    }
}

TEST_CASE("without private_key_id the header has no kid") {
    GoogleServiceAccount account = test_account();
    account.private_key_id.clear();
    std::string error;
    auto jwt = sw::credentials::service_account_assertion(account, "http://127.0.0.1:1/token", kNow, "g", error);
    REQUIRE(jwt);
    CHECK(base64url_decode(split_jwt(*jwt)[0]) == R"({"alg":"RS256","typ":"JWT"})");
}

// A fresh RSA key with its modulus replaced by n + 1: it still parses, but the key pair is
// inconsistent (as in a corrupted key file). Made at test time: no private key lives in the
// repository.
std::string corrupted_rsa_pem() {
    EVP_PKEY* key = EVP_RSA_gen(1024);
    REQUIRE(key);
    const char* names[] = {OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_D,
                           OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2, OSSL_PKEY_PARAM_RSA_EXPONENT1,
                           OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
    std::vector<BIGNUM*> values;
    OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
    for (const char* name : names) {
        BIGNUM* value = nullptr;
        REQUIRE(EVP_PKEY_get_bn_param(key, name, &value) == 1);
        if (values.empty()) REQUIRE(BN_add_word(value, 1) == 1);  // n + 1
        values.push_back(value);
        REQUIRE(OSSL_PARAM_BLD_push_BN(build, name, value) == 1);
    }
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY* corrupted = nullptr;
    REQUIRE(EVP_PKEY_fromdata_init(ctx) == 1);
    REQUIRE(EVP_PKEY_fromdata(ctx, &corrupted, EVP_PKEY_KEYPAIR, params) == 1);
    std::string pem = sw::test::pem_of(corrupted, true);
    EVP_PKEY_free(corrupted);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(build);
    for (BIGNUM* value : values) BN_free(value);
    EVP_PKEY_free(key);
    return pem;
}

TEST_CASE("fuzz regression: a corrupted RSA key that parses is not taken for a usable one") {
    // Found by tests/fuzz/fuzz_google_credentials: is_rsa_private_key_pem accepted a mutated key
    // that OpenSSL could read but not sign with, so the config loader let it through.
    const std::string pem = corrupted_rsa_pem();
    REQUIRE_FALSE(pem.empty());
    std::string error;
    const bool signs = sw::credentials::sign_rs256_jwt("{}", "{}", pem, error).has_value();
    CHECK_FALSE(signs);
    CHECK_FALSE(sw::credentials::is_rsa_private_key_pem(pem));
    CHECK(sw::credentials::is_rsa_private_key_pem(RsaTestKey::shared().private_pem));
    CHECK(ERR_peek_error() == 0);
}

TEST_CASE("keys RS256 cannot use are refused with a reason that never quotes them") {
    std::string error;
    GoogleServiceAccount account = test_account();

    SECTION("not a PEM at all") {
        account.private_key = sw::Secret("-----BEGIN PRIVATE KEY-----\ncanary-not-base64\n-----END PRIVATE KEY-----\n");
        CHECK_FALSE(sw::credentials::service_account_assertion(account, "https://t", kNow, "g", error));
        CHECK_THAT(error, Catch::Contains("credential store \"g\"") && Catch::Contains("not a readable"));
    }
    SECTION("an EC key") {
        EVP_PKEY* ec = EVP_EC_gen("P-256");
        REQUIRE(ec);
        account.private_key = sw::Secret(sw::test::pem_of(ec, true));
        EVP_PKEY_free(ec);
        CHECK_FALSE(sw::credentials::service_account_assertion(account, "https://t", kNow, "g", error));
        CHECK_THAT(error, Catch::Contains("not an RSA key"));
        CHECK_FALSE(sw::credentials::is_rsa_private_key_pem(account.private_key.reveal()));
    }
    SECTION("an encrypted key fails at once instead of prompting for a passphrase") {
        BIO* in = BIO_new_mem_buf(RsaTestKey::shared().private_pem.data(), -1);
        EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
        BIO_free(in);
        char passphrase[] = "canary-passphrase";
        account.private_key = sw::Secret(sw::test::pem_of(key, true, passphrase));
        EVP_PKEY_free(key);
        CHECK_FALSE(sw::credentials::service_account_assertion(account, "https://t", kNow, "g", error));
        CHECK_THAT(error, Catch::Contains("unencrypted"));
    }
    CHECK(error.find("canary") == std::string::npos);
    CHECK(error.find("BEGIN") == std::string::npos);
    CHECK(ERR_peek_error() == 0);  // nothing left on OpenSSL's error queue for libcurl to misread
}

TEST_CASE("a google store's token request is a jwt-bearer grant posted to its token URI") {
    const std::string document = sw::test::service_account_json("https://oauth2.googleapis.com/token", "from-json");
    auto r = sw::test::load(R"({"credentialStores": {
        "g": {"type": "google", "config": {"serviceAccountKeyVar": "SA", "locationVar": "LOC"}},
        "mock": {"type": "google", "config": {"serviceAccountKeyVar": "SA", "projectId": "override",
                 "tokenUri": "http://127.0.0.1:9/token/fail_first=1"}}}})");
    INFO(sw::format_diagnostics_text(r));
    REQUIRE(r.ok());
    const auto env = sw::test::options_with_env({{"SA", document}, {"LOC", "europe-west4"}}).env;
    std::string error;

    auto request = sw::credentials::token_request(*r.config->find_credential_store("g"), env, kNow, error);
    REQUIRE(request);
    CHECK(request->url == "https://oauth2.googleapis.com/token");
    CHECK(request->project == "from-json");
    CHECK(request->location == "europe-west4");
    CHECK_THAT(request->form_body,
               Catch::StartsWith("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="));
    const std::string jwt = request->form_body.substr(request->form_body.find("assertion=") + 10);
    const auto parts = split_jwt(jwt);
    REQUIRE(parts.size() == 3);
    CHECK(verify_rs256(RsaTestKey::shared().public_pem, parts[0] + "." + parts[1], base64url_decode(parts[2])));

    auto overridden = sw::credentials::token_request(*r.config->find_credential_store("mock"), env, kNow, error);
    REQUIRE(overridden);
    CHECK(overridden->url == "http://127.0.0.1:9/token/fail_first=1");
    CHECK(overridden->project == "override");
    CHECK(overridden->location.empty());
    simdjson::dom::parser parser;
    const std::string claims = base64url_decode(split_jwt(overridden->form_body.substr(overridden->form_body.find("assertion=") + 10))[1]);
    CHECK(std::string_view(parser.parse(claims)["aud"]) == "http://127.0.0.1:9/token/fail_first=1");

    auto missing = sw::credentials::token_request(*r.config->find_credential_store("g"), sw::test::options_with_env().env,
                                                  kNow, error);
    CHECK_FALSE(missing);
    CHECK_THAT(error, Catch::Contains("\"g\"") && Catch::Contains("SA") && Catch::Contains("not set"));
}

TEST_CASE("an oauth store's token request is a client-credentials grant with the secret only in the body") {
    auto r = sw::test::load(R"({"credentialStores": {"o": {"type": "oauth", "config": {
        "tokenUrl": "https://auth.example.com/oauth/token", "clientId": "router", "clientSecretVar": "SECRET",
        "scope": "llm.invoke", "audience": "https://llm.example.com"}}}})");
    REQUIRE(r.ok());
    std::string error;
    auto request = sw::credentials::token_request(*r.config->find_credential_store("o"),
                                                  sw::test::options_with_env({{"SECRET", "s3cret&canary=1"}}).env, kNow, error);
    REQUIRE(request);
    CHECK(request->url == "https://auth.example.com/oauth/token");
    CHECK(request->form_body ==
          "grant_type=client_credentials&client_id=router&client_secret=s3cret%26canary%3D1&scope=llm.invoke"
          "&audience=https%3A%2F%2Fllm.example.com");
}
