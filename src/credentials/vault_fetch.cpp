// vault_fetch.cpp — a vault store's value: KV v2 read from HashiCorp Vault or OpenBao, with
// VAULT_TOKEN or an AppRole login first.
#include "credentials/http_fetch.hpp"
#include "credentials/secret_answers.hpp"

#include "common/json_writer.hpp"
#include "common/text.hpp"

#include <fmt/format.h>

namespace sw::credentials {

namespace {

struct VaultTarget {
    std::string store;  // for errors
    std::string address;  // no trailing '/'
    std::string vault_namespace;
    std::string ca_file;
    std::string api_path;  // under /v1/
    std::string key;
};

// The configured value, else Vault's variable, else OpenBao's (BAO_ADDR, ...).
std::string env_or(const std::string& configured, const EnvLookup& env, const char* name) {
    if (!configured.empty()) return configured;
    if (auto v = env(fmt::format("VAULT_{}", name)); v && !v->empty()) return *v;
    return env(fmt::format("BAO_{}", name)).value_or("");
}

std::vector<std::string> vault_headers(const VaultTarget& target, std::string_view token) {
    std::vector<std::string> headers = {"Accept: application/json", "X-Vault-Request: true"};
    if (!token.empty()) headers.push_back(fmt::format("X-Vault-Token: {}", token));
    if (!target.vault_namespace.empty()) headers.push_back("X-Vault-Namespace: " + target.vault_namespace);
    return headers;
}

// What a refusal most likely means; Vault's own error text is not repeated.
std::string vault_failure(const VaultTarget& target, const FetchReply& reply, std::string_view step) {
    std::string why = reply_failure(reply, "Vault");
    if (reply.result.error == TransportError::none && !reply.result.cancelled) {
        if (reply.status == 403) why += " (permission denied: the token or AppRole may not read this path)";
        else if (reply.status == 404) why += " (no secret at this path)";
        else if (reply.status == 503) why += " (sealed, or not ready)";
        else if (reply.status == 400 && step == "AppRole login") why += " (role_id or secret_id refused)";
    }
    return fmt::format("credential store \"{}\": {} at {} ({}): {}", target.store, step, target.address,
                       step == "read" ? target.api_path : std::string("auth"), why);
}

transport::HttpRequest vault_request(const VaultTarget& target, std::string url) {
    transport::HttpRequest http;
    http.url = std::move(url);
    http.ca_file = target.ca_file;
    http.connect_timeout = Millis(5000);
    http.total_timeout = Millis(30000);
    return http;
}

void read_secret(const VaultTarget& target, const Secret& token, transport::Io io, FetchDone done) {
    transport::HttpRequest http = vault_request(target, fmt::format("{}/v1/{}", target.address, target.api_path));
    http.method = transport::HttpRequest::Method::get;
    http.headers = vault_headers(target, token.reveal());
    http_fetch(io, std::move(http), [target, done = std::move(done)](FetchReply reply) {
        if (!reply.ok()) return done(fetch_failed(vault_failure(target, reply, "read")));
        std::string error;
        auto value = vault_secret_value(reply.body, target.key, error);
        if (!value)
            return done(fetch_failed(
                fmt::format("credential store \"{}\": Vault path {}: {}", target.store, target.api_path, error)));
        Fetched fetched;
        fetched.value = std::move(*value);
        done(std::move(fetched));
    });
}

}  // namespace

void fetch_vault(const CredentialStoreConfig& store, const EnvLookup& env, transport::Io io, FetchDone done) {
    const ExternalSecretRef& ref = store.external;
    VaultTarget target;
    target.store = store.name;
    target.address = env_or(ref.address, env, "ADDR");
    while (!target.address.empty() && target.address.back() == '/') target.address.pop_back();
    if (target.address.empty())
        return done(fetch_failed(fmt::format(
            "credential store \"{}\": no Vault address: set VAULT_ADDR or config.address", store.name)));
    target.vault_namespace = env_or(ref.vault_namespace, env, "NAMESPACE");
    target.ca_file = env_or(ref.ca_file, env, "CACERT");
    target.api_path = kv2_api_path(ref);
    target.key = ref.key;
    if (target.api_path.find('/') == std::string::npos)
        return done(fetch_failed(fmt::format("credential store \"{}\": Vault path \"{}\" names no mount: give "
                                             "mount/name (secret/openai) or config.mount",
                                             store.name, ref.path)));
    if (has_line_break_or_nul(target.vault_namespace))
        return done(fetch_failed(fmt::format("credential store \"{}\": the Vault namespace contains CR, LF or NUL",
                                             store.name)));

    if (ref.role_id.empty()) {
        auto token = std::optional<std::string>(env_or("", env, "TOKEN"));
        if (token->empty())
            return done(fetch_failed(fmt::format("credential store \"{}\": no Vault token: set VAULT_TOKEN, or "
                                                 "config.roleId and config.secretIdVar for an AppRole login",
                                                 store.name)));
        if (has_line_break_or_nul(*token))
            return done(fetch_failed(
                fmt::format("credential store \"{}\": VAULT_TOKEN contains CR, LF or NUL", store.name)));
        return read_secret(target, Secret(std::move(*token)), io, std::move(done));
    }

    // AppRole: log in for a client token, then read with it. The token is not kept: a login per
    // fetch, and a fetch per cacheTtl, keeps no long-lived token in memory.
    auto role_id = resolve_value(ref.role_id, store.name, "roleId", env);
    if (!role_id.ok()) return done(fetch_failed(role_id.error));
    auto secret_id = resolve_value(ref.secret_id, store.name, "secretId", env);
    if (!secret_id.ok()) return done(fetch_failed(secret_id.error));
    transport::HttpRequest login =
        vault_request(target, fmt::format("{}/v1/auth/{}/login", target.address, ref.approle_mount));
    login.headers = vault_headers(target, "");
    login.headers.emplace_back("Content-Type: application/json");
    login.body = "{\"role_id\":";
    append_json_string(login.body, role_id.value->reveal());
    login.body += ",\"secret_id\":";
    append_json_string(login.body, secret_id.value->reveal());
    login.body += '}';
    http_fetch(io, std::move(login), [target, io, done = std::move(done)](FetchReply reply) mutable {
        if (!reply.ok()) return done(fetch_failed(vault_failure(target, reply, "AppRole login")));
        std::string error;
        auto token = vault_client_token(reply.body, error);
        if (!token) return done(fetch_failed(fmt::format("credential store \"{}\": {}", target.store, error)));
        read_secret(target, *token, io, std::move(done));
    });
}

}  // namespace sw::credentials
