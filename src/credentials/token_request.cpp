// token_request.cpp — the POST that exchanges a token store's credentials for an access token.
#include "credentials/credential_cache.hpp"

#include "common/percent_encoding.hpp"
#include "common/url.hpp"
#include "credentials/jwt.hpp"

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

// RFC 7523 section 2.1: a service account's signed assertion for the jwt-bearer grant. The
// assertion's audience is the URL it is posted to: Google's token endpoint by default, the
// store's tokenUri when that overrides it.
std::optional<TokenRequest> google_request(const CredentialStoreConfig& store, const EnvLookup& env,
                                           std::chrono::system_clock::time_point now, std::string& error) {
    auto account = resolve_google(store, env);
    if (!account.ok()) {
        error = account.error;
        return std::nullopt;
    }
    if (std::string reason = check_api_base(account.value->token_uri); !reason.empty()) {
        error = fmt::format("credential store \"{}\": the token URI {}", store.name, reason);
        return std::nullopt;
    }
    auto assertion = service_account_assertion(*account.value, account.value->token_uri, now, store.name, error);
    if (!assertion) return std::nullopt;
    TokenRequest request;
    request.url = account.value->token_uri;
    append_field(request.form_body, "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
    append_field(request.form_body, "assertion", *assertion);
    request.project = std::move(account.value->project_id);
    request.location = std::move(account.value->location);
    return request;
}

}  // namespace

std::optional<TokenRequest> token_request(const CredentialStoreConfig& store, const EnvLookup& env,
                                          std::chrono::system_clock::time_point now, std::string& error) {
    if (const auto* oauth = std::get_if<OAuthCredentials>(&store.details)) return oauth_request(store, *oauth, env, error);
    if (std::holds_alternative<GoogleCredentials>(store.details)) return google_request(store, env, now, error);
    error = fmt::format("credential store \"{}\": type \"{}\" has no token exchange in this build", store.name,
                        to_string(store.type));
    return std::nullopt;
}

}  // namespace sw::credentials
