// fuzz_google_credentials.cpp — Google service-account credentials: the service-account JSON
// document through the resolver (resolve_google, parse_service_account), then its PEM private
// key through OpenSSL (is_rsa_private_key_pem) and, when it is an RSA key, the RS256 assertion
// (service_account_assertion); or a bare PEM through the reader and signer (sign_rs256_jwt).
// The document comes from a file or an environment variable someone else may write.
// Input: byte 0 (bit 0: the rest is a bare PEM, else a service-account document), then it.
#include "fuzz_support.hpp"

#include "credentials/jwt.hpp"
#include "credentials/resolver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sw;
    using namespace sw::credentials;
    swfuzz::FuzzInput in(data, size);
    const std::uint8_t mode = in.byte();
    const std::string_view text = in.rest();
    const auto now = std::chrono::system_clock::from_time_t(1700000000);
    std::string error;
    if (mode & 1) {
        // A key the config loader accepts must sign. (The converse need not hold: OpenSSL can
        // still sign with some inconsistent keys, which the check rightly refuses.)
        const bool rsa = is_rsa_private_key_pem(text);
        const auto jwt = sign_rs256_jwt(R"({"alg":"RS256","typ":"JWT"})", R"({"iss":"fuzz"})", text, error);
        if (rsa && !jwt) {
            std::fprintf(stderr, "is_rsa_private_key_pem accepts the key, but signing failed: %s\n", error.c_str());
            std::abort();
        }
        return 0;
    }
    CredentialStoreConfig store;
    store.name = "google-fuzz";
    store.type = CredentialType::google;
    store.source = CredentialSource::inline_value;
    GoogleCredentials google;
    google.service_account_key.inline_value = Secret(std::string(text));
    store.details = std::move(google);
    const EnvLookup env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    const Resolved<GoogleServiceAccount> account = resolve_google(store, env);
    if (!account.ok()) return 0;
    // Only a real RSA key is worth the signature's cost.
    if (!is_rsa_private_key_pem(account.value->private_key.reveal())) return 0;
    (void)service_account_assertion(*account.value, account.value->token_uri, now, store.name, error);
    return 0;
}
