// jwt.hpp — RS256-signed JSON Web Tokens (RFC 7519), as Google's jwt-bearer grant takes them.
#pragma once

#include "credentials/resolver.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sw::credentials {

// base64url (RFC 4648 section 5) without padding, as JWTs use it.
std::string base64url(std::string_view bytes);

// `header_json` and `claims_json`, each base64url-encoded, joined by '.', and signed with
// RSASSA-PKCS1-v1_5 over SHA-256 (RS256) by the PEM private key. nullopt with `error` set when
// the key cannot be read or is not an RSA key; the error never quotes the key.
std::optional<std::string> sign_rs256_jwt(std::string_view header_json, std::string_view claims_json,
                                          std::string_view private_key_pem, std::string& error);

// How long a service-account assertion is valid: Google accepts at most one hour.
inline constexpr std::chrono::seconds kAssertionLifetime{3600};

// Scope of the access token a service-account assertion asks for: Vertex AI needs cloud-platform.
inline constexpr std::string_view kCloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

// The assertion a service account presents at `audience` (the token endpoint it posts to):
// header {"alg":"RS256","typ":"JWT"[,"kid":private_key_id]}, claims {iss: client_email, scope:
// cloud-platform, aud, iat: now, exp: now + 1 h}. `store` names the store in errors.
std::optional<std::string> service_account_assertion(const GoogleServiceAccount& account, std::string_view audience,
                                                     std::chrono::system_clock::time_point now,
                                                     const std::string& store, std::string& error);

// Whether `pem` holds an RSA private key OpenSSL can read without a passphrase, so that a bad
// inline key is reported when the config is loaded, not at the first request.
bool is_rsa_private_key_pem(std::string_view pem);

}  // namespace sw::credentials
