// client_auth.hpp — who may call the OpenAI endpoints: API keys kept as SHA-256 digests, and
// JWTs (HS256 or RS256). From the config's `auth` section and AUTH_ENABLED, JWT_SECRET_KEY,
// JWT_ALGORITHM (docs/server.md, "Client authentication").
#pragma once

#include "jwt_check.hpp"
#include "secret_digest.hpp"
#include "settings.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sw::config {
struct Node;
}

namespace server {

// What a credential may call. A key or token with no scopes may call all three.
inline constexpr std::string_view kScopes[] = {"chat", "embeddings", "models"};

struct ClientKey {
    std::string id;
    SecretDigest digest;
    std::vector<std::string> scopes;
};

struct AuthPolicy {
    bool enabled = false;
    std::vector<ClientKey> keys;
    std::optional<JwtVerifier> jwt;
};

struct AuthLoad {
    std::shared_ptr<const AuthPolicy> policy;  // null when there are errors
    std::vector<std::string> errors;           // each with its path and reason
    std::vector<std::string> notes;            // accepted keys that have no effect here
};

// `section` is the config's `auth` object, or null when it has none. The environment wins over
// the section, as in ModelMuxer.
AuthLoad read_auth(const sw::config::Node* section, const EnvGetter& env);

struct Verdict {
    int status = 200;     // 200, 401 or 403
    std::string message;  // for the error; never quotes the credential
    std::string client;   // the key's id or the token's subject: for rate limits, logs and the ledger
};

// Checks the `Authorization` header's value (null when absent) for `scope`.
Verdict check_client(const AuthPolicy& policy, const char* authorization, std::string_view scope,
                     std::chrono::system_clock::time_point now);

}  // namespace server
