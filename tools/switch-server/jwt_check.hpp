// jwt_check.hpp — verifying a client's JSON Web Token (RFC 7519) with OpenSSL: HS256 (a shared
// secret) or RS256 (an RSA public key), and its time claims.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct evp_pkey_st;

namespace server {

// base64url without padding (RFC 4648 section 5); nullopt when `text` is not in that alphabet.
std::optional<std::string> base64url_decode(std::string_view text);

struct JwtClaims {
    std::string subject;              // "sub", or empty
    std::vector<std::string> scopes;  // "scope" (space-separated) or "scopes" (an array)
};

class JwtVerifier {
public:
    // nullopt with `error` set when the secret is empty or the key is not an RSA public key in
    // PEM. Errors never quote the secret or the key.
    static std::optional<JwtVerifier> hs256(std::string secret, std::string& error);
    static std::optional<JwtVerifier> rs256(std::string_view public_key_pem, std::string& error);

    // The claims when the signature is good for the configured algorithm (the token's own "alg"
    // must name it: "none" and algorithm swaps are refused), "exp" is present and after `now`,
    // and "nbf", when present, is not after it. Otherwise nullopt and `reason`, which never
    // quotes the token.
    std::optional<JwtClaims> verify(std::string_view token, std::chrono::system_clock::time_point now,
                                    std::string& reason) const;

    const char* algorithm() const { return rsa_ ? "RS256" : "HS256"; }

private:
    struct FreeKey {
        void operator()(evp_pkey_st* key) const;
    };
    bool signature_ok(std::string_view signed_part, std::string_view signature) const;

    std::string secret_;                         // HS256
    std::shared_ptr<evp_pkey_st> rsa_;           // RS256 (shared: the verifier is copied)
};

}  // namespace server
