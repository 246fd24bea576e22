// token_request.cpp — the POST that exchanges a token store's credentials for an access token.
#include "credentials/credential_cache.hpp"

#include "common/percent_encoding.hpp"

#include <fmt/format.h>

namespace sw::credentials {

namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    // application/x-www-form-urlencoded, as RFC 6749 prescribes: unreserved characters as is.
    append_percent_encoded(out, value);
}

// RFC 6749 section 4.4: the client-credentials grant, with the client authenticated in the body.
std::optional<TokenRequest> oauth_request(const CredentialStoreConfig& store, const OAuthCredentials& oauth,
                                          const EnvLookup& env, std::string& error) {
    auto id = resolve_value(oauth.client_id, store.name, "clientId", env);
    if (!id.ok()) {
        error = id.error;
        return std::nullopt;
    }
    auto secret = resolve_value(oauth.client_secret, store.name, "clientSecret", env);
    if (!secret.ok()) {
        error = secret.error;
        return std::nullopt;
    }
    TokenRequest request;
    request.url = oauth.token_url;
    append_field(request.form_body, "grant_type", "client_credentials");
    append_field(request.form_body, "client_id", id.value->reveal());
    append_field(request.form_body, "client_secret", secret.value->reveal());
    if (!oauth.scope.empty()) append_field(request.form_body, "scope", oauth.scope);
    if (!oauth.audience.empty()) append_field(request.form_body, "audience", oauth.audience);
    return request;
}

}  // namespace

std::optional<TokenRequest> token_request(const CredentialStoreConfig& store, const EnvLookup& env,
                                          std::chrono::system_clock::time_point now, std::string& error) {
    (void)now;
    if (const auto* oauth = std::get_if<OAuthCredentials>(&store.details)) return oauth_request(store, *oauth, env, error);
    error = fmt::format("credential store \"{}\": type \"{}\" has no token exchange in this build", store.name,
                        to_string(store.type));
    return std::nullopt;
}

}  // namespace sw::credentials
