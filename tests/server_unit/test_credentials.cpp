// test_credentials.cpp — switch-server's key digests, JWT checks and client authentication.
#include "client_auth.hpp"
#include "jwt_check.hpp"
#include "secret_digest.hpp"

#include "credentials/jwt.hpp"

#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

using server::JwtVerifier;
using server::SecretDigest;
using sw::credentials::base64url;

namespace {

const auto kNow = std::chrono::system_clock::time_point{} + std::chrono::seconds(1'700'000'000);

std::string hs256_token(const std::string& claims, const std::string& secret, const std::string& alg = "HS256") {
    const std::string signed_part =
        base64url("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + base64url(claims);
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac.data(), &size);
    return signed_part + "." + base64url(std::string(reinterpret_cast<const char*>(mac.data()), size));
}

}  // namespace

TEST_CASE("a secret digest matches only its own secret", "[server][auth]") {
    const SecretDigest d = SecretDigest::of("sk-one");
    CHECK(d.matches("sk-one"));
    CHECK_FALSE(d.matches("sk-on"));
    CHECK_FALSE(d.matches("sk-one "));
    CHECK_FALSE(d.matches(""));
    // sha256("test"), in either case.
    const auto hex = SecretDigest::from_hex("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08");
    REQUIRE(hex);
    CHECK(hex->matches("test"));
    CHECK_FALSE(SecretDigest::from_hex("9f86d0"));
    CHECK_FALSE(SecretDigest::from_hex(std::string(64, 'g')));
}

TEST_CASE("base64url decoding", "[server][auth]") {
    CHECK(server::base64url_decode(base64url("any carnal pleas")) == "any carnal pleas");
    CHECK(server::base64url_decode(base64url(std::string("\xff\xfe\x00\x01", 4))) == std::string("\xff\xfe\x00\x01", 4));
    CHECK_FALSE(server::base64url_decode("ab+c"));  // not the url alphabet
    CHECK_FALSE(server::base64url_decode("abcde"));  // a dangling character
}

TEST_CASE("HS256 tokens are checked for signature, algorithm and time", "[server][auth]") {
    std::string error, reason;
    const auto v = JwtVerifier::hs256("s3cret", error);
    REQUIRE(v);
    auto claims = v->verify(hs256_token(R"({"sub":"ana","exp":1700000060,"scope":"chat models"})", "s3cret"), kNow,
                            reason);
    REQUIRE(claims);
    CHECK(claims->subject == "ana");
    CHECK(claims->scopes == std::vector<std::string>{"chat", "models"});

    CHECK_FALSE(v->verify(hs256_token(R"({"exp":1700000060})", "other"), kNow, reason));
    CHECK(reason == "the token's signature is not valid");
    CHECK_FALSE(v->verify(hs256_token(R"({"exp":1700000000})", "s3cret"), kNow, reason));
    CHECK(reason == "the token has expired");
    CHECK_FALSE(v->verify(hs256_token(R"({"sub":"ana"})", "s3cret"), kNow, reason));
    CHECK(reason == "the token has no expiry (exp)");
    CHECK_FALSE(v->verify(hs256_token(R"({"exp":1700000060,"nbf":1700000030})", "s3cret"), kNow, reason));
    CHECK(reason == "the token is not valid yet (nbf)");
    CHECK_FALSE(v->verify(hs256_token(R"({"exp":1700000060})", "s3cret", "none"), kNow, reason));
    CHECK(reason == "the token is not signed with HS256");
    CHECK_FALSE(v->verify("a.b", kNow, reason));
    CHECK_FALSE(JwtVerifier::hs256("", error));
    CHECK_FALSE(JwtVerifier::rs256("not a key", error));
}

TEST_CASE("client credentials: keys, scopes and the Bearer scheme", "[server][auth]") {
    server::AuthPolicy policy;
    policy.enabled = true;
    policy.keys.push_back({"team", SecretDigest::of("k1"), {}});
    policy.keys.push_back({"reader", SecretDigest::of("k2"), {"models"}});
    std::string error;
    policy.jwt = JwtVerifier::hs256("s3cret", error);

    CHECK(server::check_client(policy, nullptr, "chat", kNow).status == 401);
    CHECK(server::check_client(policy, "Bearer k3", "chat", kNow).status == 401);
    CHECK(server::check_client(policy, "Basic k1", "chat", kNow).status == 401);
    auto v = server::check_client(policy, "BEARER k1", "chat", kNow);
    CHECK(v.status == 200);
    CHECK(v.client == "team");
    CHECK(server::check_client(policy, "Bearer k2", "chat", kNow).status == 403);
    CHECK(server::check_client(policy, "Bearer k2", "models", kNow).status == 200);

    const std::string token = hs256_token(R"({"sub":"ana","exp":1700000060,"scopes":["embeddings"]})", "s3cret");
    v = server::check_client(policy, ("Bearer " + token).c_str(), "embeddings", kNow);
    CHECK(v.status == 200);
    CHECK(v.client == "jwt:ana");
    CHECK(server::check_client(policy, ("Bearer " + token).c_str(), "chat", kNow).status == 403);
    v = server::check_client(policy, ("Bearer " + token).c_str(), "chat", kNow + std::chrono::hours(1));
    CHECK(v.status == 401);
    CHECK(v.message.find(token) == std::string::npos);

    policy.enabled = false;
    CHECK(server::check_client(policy, nullptr, "chat", kNow).status == 200);
}
