// client_auth.cpp — reading the `auth` section, and checking a client's credential.
#include "client_auth.hpp"

#include "config/document.hpp"
#include "config/env_expand.hpp"

#include <algorithm>
#include <cctype>

namespace server {

namespace {

using sw::config::Node;

bool known_scope(std::string_view s) {
    return std::find(std::begin(kScopes), std::end(kScopes), s) != std::end(kScopes);
}

bool has_scope(const std::vector<std::string>& scopes, std::string_view scope) {
    return scopes.empty() || std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::optional<bool> parse_bool(std::string_view v) {
    std::string lower(v);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "true" || lower == "1" || lower == "yes") return true;
    if (lower == "false" || lower == "0" || lower == "no") return false;
    return std::nullopt;
}

// A string member, ${VAR} expanded through `env` (the section is read from the unexpanded text).
std::optional<std::string> string_member(const Node& object, std::string_view key, const EnvGetter& env,
                                         const std::string& path, AuthLoad& out) {
    const Node* n = object.find(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_string()) {
        out.errors.push_back(path + "." + std::string(key) + ": expected a string");
        return std::nullopt;
    }
    sw::config::Expansion e =
        sw::config::expand_env(n->string, [&env](const std::string& name) { return env(name.c_str()); });
    if (!e.error.empty()) {
        out.errors.push_back(path + "." + std::string(key) + ": " + e.error);
        return std::nullopt;
    }
    return e.value;
}

void read_keys(const Node& list, AuthPolicy& policy, AuthLoad& out) {
    if (!list.is_array()) return out.errors.push_back("auth.api_keys: expected an array of {id, sha256, scopes}");
    for (std::size_t i = 0; i < list.items.size(); ++i) {
        const Node& item = list.items[i];
        const std::string path = "auth.api_keys[" + std::to_string(i) + "]";
        const Node* id = item.find("id");
        const Node* hex = item.find("sha256");
        if (!item.is_object() || id == nullptr || !id->is_string() || id->string.empty() || hex == nullptr ||
            !hex->is_string()) {
            out.errors.push_back(path + ": expected {\"id\": NAME, \"sha256\": HEX, \"scopes\": [...]}");
            continue;
        }
        for (const auto& [k, v] : item.members)
            if (k != "id" && k != "sha256" && k != "scopes") out.errors.push_back(path + "." + k + ": unknown key");
        std::optional<SecretDigest> digest = SecretDigest::from_hex(hex->string);
        if (!digest) {
            // Never quoted: someone may have pasted the key itself here.
            out.errors.push_back(path + ".sha256: expected the key's SHA-256 as 64 hex digits "
                                        "(printf %s KEY | sha256sum), not the key");
            continue;
        }
        ClientKey key{id->string, *digest, {}};
        if (const Node* scopes = item.find("scopes")) {
            if (!scopes->is_array()) out.errors.push_back(path + ".scopes: expected an array");
            else
                for (const Node& s : scopes->items) {
                    if (s.is_string() && known_scope(s.string)) key.scopes.push_back(s.string);
                    else out.errors.push_back(path + ".scopes: unknown scope; expected chat, embeddings or models");
                }
        }
        policy.keys.push_back(std::move(key));
    }
}

}  // namespace

AuthLoad read_auth(const Node* section, const EnvGetter& env) {
    AuthLoad out;
    auto policy = std::make_shared<AuthPolicy>();
    std::optional<std::string> secret, algorithm;
    if (section != nullptr) {
        if (!section->is_object()) {
            out.errors.push_back("auth: expected an object");
            return out;
        }
        for (const auto& [key, value] : section->members) {
            if (key == "enabled") {
                if (value.kind != Node::Kind::boolean) out.errors.push_back("auth.enabled: expected true or false");
                else policy->enabled = value.boolean;
            } else if (key == "api_keys") {
                read_keys(value, *policy, out);
            } else if (key == "jwt") {
                if (!value.is_object()) {
                    out.errors.push_back("auth.jwt: expected an object");
                    continue;
                }
                for (const auto& [k, v] : value.members)
                    if (k == "expiration_hours")
                        out.notes.push_back("auth.jwt.expiration_hours has no effect: switch-server checks tokens' "
                                            "exp and issues none");
                    else if (k != "secret_key" && k != "algorithm")
                        out.errors.push_back("auth.jwt." + k + ": unknown key; expected secret_key or algorithm");
                secret = string_member(value, "secret_key", env, "auth.jwt", out);
                algorithm = string_member(value, "algorithm", env, "auth.jwt", out);
            } else if (key == "require_email_verification" || key == "registration" || key == "users" ||
                       key == "password_policy") {
                out.errors.push_back("auth." + key +
                                     ": refused: it needs user accounts, and a router has none; use API keys or JWTs");
            } else {
                out.errors.push_back("auth." + key + ": unknown key; expected enabled, api_keys or jwt");
            }
        }
    }
    if (auto v = env("AUTH_ENABLED")) {
        if (auto b = parse_bool(*v)) policy->enabled = *b;
        else out.errors.push_back("AUTH_ENABLED: expected true or false");
    }
    if (env("REQUIRE_EMAIL_VERIFICATION"))
        out.errors.push_back("REQUIRE_EMAIL_VERIFICATION: refused: it needs user accounts, and a router has none");
    if (auto v = env("JWT_SECRET_KEY"); v && !v->empty()) secret = *v;
    if (auto v = env("JWT_ALGORITHM"); v && !v->empty()) algorithm = *v;
    if (secret) {
        const std::string alg = algorithm.value_or("HS256");
        std::string error;
        if (alg == "HS256") policy->jwt = JwtVerifier::hs256(*secret, error);
        else if (alg == "RS256") policy->jwt = JwtVerifier::rs256(*secret, error);
        else error = "unsupported algorithm; expected HS256 or RS256";
        if (!policy->jwt) out.errors.push_back("JWT (JWT_SECRET_KEY, JWT_ALGORITHM, auth.jwt): " + error);
    } else if (algorithm) {
        out.errors.push_back("JWT_ALGORITHM (or auth.jwt.algorithm) is set without a key (JWT_SECRET_KEY)");
    }
    if (policy->enabled && policy->keys.empty() && !policy->jwt)
        out.errors.push_back("auth is enabled with no API keys (auth.api_keys) and no JWT key (JWT_SECRET_KEY): "
                             "no client could call");
    if (out.errors.empty()) out.policy = std::move(policy);
    return out;
}

Verdict check_client(const AuthPolicy& policy, const char* authorization, std::string_view scope,
                     std::chrono::system_clock::time_point now) {
    if (!policy.enabled) return {};
    std::string_view value = authorization ? authorization : "";
    constexpr std::string_view kBearer = "bearer ";
    bool bearer = value.size() > kBearer.size();
    for (std::size_t i = 0; bearer && i < kBearer.size(); ++i)
        bearer = std::tolower(static_cast<unsigned char>(value[i])) == kBearer[i];
    if (!bearer) return {401, "a credential is required: send Authorization: Bearer KEY (an API key or a JWT)", {}};
    const std::string_view credential = value.substr(kBearer.size());

    // Every key is compared, in constant time, whatever matched first.
    const SecretDigest presented = SecretDigest::of(credential);
    const ClientKey* found = nullptr;
    for (const ClientKey& key : policy.keys)
        if (key.digest == presented) found = &key;
    if (found != nullptr) {
        if (!has_scope(found->scopes, scope))
            return {403, "API key " + found->id + " may not call this endpoint (it needs scope " +
                             std::string(scope) + ")", found->id};
        return {200, {}, found->id};
    }
    if (policy.jwt && std::count(credential.begin(), credential.end(), '.') == 2) {
        std::string reason;
        std::optional<JwtClaims> claims = policy.jwt->verify(credential, now, reason);
        if (!claims) return {401, "the token was refused: " + reason, {}};
        const std::string who = claims->subject.empty() ? "jwt" : "jwt:" + claims->subject;
        if (!has_scope(claims->scopes, scope))
            return {403, "the token may not call this endpoint (it needs scope " + std::string(scope) + ")", who};
        return {200, {}, who};
    }
    return {401, "the credential is not valid", {}};
}

}  // namespace server
