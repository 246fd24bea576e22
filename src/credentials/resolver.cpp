// resolver.cpp — reading credential values from the environment, files or the config.
#include "credentials/resolver.hpp"

#include "common/text.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace sw::credentials {

namespace {

template <typename T>
Resolved<T> fail(sw_status status, std::string error) {
    Resolved<T> r;
    r.status = status;
    r.error = std::move(error);
    return r;
}

// vault and aws-secrets values are fetched over the network, by a TokenSource on an I/O thread
// (credentials/http_fetch.hpp); these local resolvers never block on a server.
template <typename T>
std::optional<Resolved<T>> unsupported_source(const CredentialStoreConfig& store) {
    if (store.source != CredentialSource::vault && store.source != CredentialSource::aws_secrets) return std::nullopt;
    return fail<T>(SW_ERR_NOT_SUPPORTED,
                   fmt::format("credential store \"{}\": source \"{}\" is fetched over the network, not resolved "
                               "locally",
                               store.name, to_string(store.source)));
}

}  // namespace

Resolved<Secret> resolve_value(const ValueRef& ref, const std::string& store, const std::string& field,
                               const EnvLookup& env, Lines lines) {
    Resolved<Secret> out;
    std::string value;
    if (!ref.env_var.empty()) {
        auto v = env(ref.env_var);
        if (!v || v->empty())
            return fail<Secret>(SW_ERR_NOT_FOUND, fmt::format("credential store \"{}\": {} comes from environment "
                                                              "variable {}, which is not set",
                                                              store, field, ref.env_var));
        value = std::move(*v);
    } else if (!ref.file.empty()) {
        std::ifstream in(ref.file, std::ios::binary);
        if (!in)
            return fail<Secret>(SW_ERR_IO, fmt::format("credential store \"{}\": cannot read {} from file {}", store,
                                                       field, ref.file));
        std::ostringstream buffer;
        buffer << in.rdbuf();
        value = buffer.str();
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    } else if (!ref.inline_value.empty()) {
        value = std::string(ref.inline_value.reveal());
    } else {
        return fail<Secret>(SW_ERR_CONFIG, fmt::format("credential store \"{}\": {} is not configured", store, field));
    }
    // A line break in a key would let it split an HTTP header.
    if (lines == Lines::single && has_line_break_or_nul(value))
        return fail<Secret>(SW_ERR_CONFIG, fmt::format("credential store \"{}\": {} contains CR, LF or NUL", store, field));
    out.value = Secret(std::move(value));
    return out;
}

Resolved<Secret> resolve_api_key(const CredentialStoreConfig& store, const EnvLookup& env) {
    if (auto r = unsupported_source<Secret>(store)) return std::move(*r);
    if (auto* simple = std::get_if<SimpleCredentials>(&store.details))
        return resolve_value(simple->api_key, store.name, "apiKey", env);
    if (auto* azure = std::get_if<AzureCredentials>(&store.details))
        return resolve_value(azure->api_key, store.name, "apiKey", env);
    return fail<Secret>(SW_ERR_CONFIG, fmt::format("credential store \"{}\" is of type {}, which holds no API key",
                                                   store.name, to_string(store.type)));
}

Resolved<AwsKeys> resolve_aws(const CredentialStoreConfig& store, const EnvLookup& env) {
    if (auto r = unsupported_source<AwsKeys>(store)) return std::move(*r);
    auto* aws = std::get_if<AwsCredentials>(&store.details);
    if (!aws) return fail<AwsKeys>(SW_ERR_CONFIG, fmt::format("credential store \"{}\" is not an aws store", store.name));
    if (aws->use_instance_profile)
        return fail<AwsKeys>(SW_ERR_NOT_SUPPORTED,
                             fmt::format("credential store \"{}\": useInstanceProfile credentials are fetched from the "
                                         "instance metadata service, not resolved locally",
                                         store.name));
    AwsKeys keys;
    if (!aws->region.empty()) {
        auto region = resolve_value(aws->region, store.name, "region", env);
        if (!region.ok()) return fail<AwsKeys>(region.status, region.error);
        keys.region = std::string(region.value->reveal());
    }
    auto id = resolve_value(aws->access_key_id, store.name, "accessKeyId", env);
    if (!id.ok()) return fail<AwsKeys>(id.status, id.error);
    auto secret = resolve_value(aws->secret_access_key, store.name, "secretAccessKey", env);
    if (!secret.ok()) return fail<AwsKeys>(secret.status, secret.error);
    keys.access_key_id = std::move(*id.value);
    keys.secret_access_key = std::move(*secret.value);
    if (!aws->session_token.empty()) {
        auto token = resolve_value(aws->session_token, store.name, "sessionToken", env);
        if (!token.ok()) return fail<AwsKeys>(token.status, token.error);
        keys.session_token = std::move(*token.value);
    }
    Resolved<AwsKeys> out;
    out.value = std::move(keys);
    return out;
}

std::optional<GoogleServiceAccount> parse_service_account(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    simdjson::dom::element root;
    if (parser.parse(padded).get(root)) return std::nullopt;
    auto field = [&](const char* name) -> std::optional<std::string> {
        std::string_view v;
        if (root[name].get(v)) return std::nullopt;
        return std::string(v);
    };
    auto email = field("client_email"), key = field("private_key"), token_uri = field("token_uri");
    if (!email || !key || !token_uri || email->empty() || key->empty() || token_uri->empty()) return std::nullopt;
    GoogleServiceAccount account;
    account.client_email = std::move(*email);
    account.private_key = Secret(std::move(*key));
    account.token_uri = std::move(*token_uri);
    account.project_id = field("project_id").value_or("");
    account.private_key_id = field("private_key_id").value_or("");
    return account;
}

Resolved<GoogleServiceAccount> resolve_google(const CredentialStoreConfig& store, const EnvLookup& env) {
    using R = GoogleServiceAccount;
    if (auto r = unsupported_source<R>(store)) return std::move(*r);
    auto* google = std::get_if<GoogleCredentials>(&store.details);
    if (!google) return fail<R>(SW_ERR_CONFIG, fmt::format("credential store \"{}\" is not a google store", store.name));
    auto document = resolve_value(google->service_account_key, store.name, "serviceAccountKey", env, Lines::multiple);
    if (!document.ok()) return fail<R>(document.status, document.error);

    auto account = parse_service_account(document.value->reveal());
    // The message never quotes the document: it holds the private key.
    if (!account)
        return fail<R>(SW_ERR_CONFIG, fmt::format("credential store \"{}\": serviceAccountKey is not a service-account "
                                                  "JSON document with client_email, private_key and token_uri",
                                                  store.name));
    if (!google->token_uri.empty()) account->token_uri = google->token_uri;
    if (!google->project_id.empty()) {
        auto project = resolve_value(google->project_id, store.name, "projectId", env);
        if (!project.ok()) return fail<R>(project.status, project.error);
        account->project_id = std::string(project.value->reveal());
    }
    if (!google->location.empty()) {
        auto location = resolve_value(google->location, store.name, "location", env);
        if (!location.ok()) return fail<R>(location.status, location.error);
        account->location = std::string(location.value->reveal());
    }
    Resolved<R> out;
    out.value = std::move(*account);
    return out;
}

}  // namespace sw::credentials
