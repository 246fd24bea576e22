// credential_schema.cpp — reads `credentialStores`, in object or array form.
//
// Every credential value can be given three ways: `x` (inline), `xVar` (the name of an
// environment variable) or `xFile` (a file path). Secret values must use the form the store's
// `source` declares, so that a store marked "env" never carries a key in the file by mistake.
#include "config/schema.hpp"
#include "common/url.hpp"
#include "credentials/jwt.hpp"
#include "credentials/resolver.hpp"

#include <fmt/format.h>

#include <array>

namespace sw::config {

namespace {

const std::vector<std::string_view> kTypeNames = {"simple", "aws", "google", "azure", "oauth"};
const std::vector<std::string_view> kSourceNames = {"env", "file", "vault", "aws-secrets", "inline"};

struct Field {
    std::string_view name;
    bool secret;
    bool required;
};

// The fields of each store type, in the order of CredentialType.
const std::array<std::vector<Field>, 5> kFields = {{
    /* simple */ {{"apiKey", true, true}},
    /* aws */
    {{"region", false, false},
     {"accessKeyId", true, false},
     {"secretAccessKey", true, false},
     {"sessionToken", true, false}},
    /* google */ {{"projectId", false, false}, {"serviceAccountKey", true, true}, {"location", false, false}},
    /* azure */ {{"apiKey", true, true}},
    /* oauth */ {{"clientId", false, true}, {"clientSecret", true, true}},
}};

// Storage for the generated key names ("apiKeyVar", ...), which the readers view.
const std::vector<std::string>& key_names(CredentialType type) {
    static const auto all = [] {
        std::array<std::vector<std::string>, 5> out;
        for (std::size_t t = 0; t < kFields.size(); ++t)
            for (const Field& f : kFields[t]) {
                out[t].emplace_back(f.name);
                out[t].push_back(std::string(f.name) + "Var");
                out[t].push_back(std::string(f.name) + "File");
            }
        out[static_cast<std::size_t>(CredentialType::aws)].emplace_back("useInstanceProfile");
        for (auto extra : {"tokenUrl", "scope", "audience"})
            out[static_cast<std::size_t>(CredentialType::oauth)].emplace_back(extra);
        out[static_cast<std::size_t>(CredentialType::google)].emplace_back("tokenUri");
        return out;
    }();
    return all[static_cast<std::size_t>(type)];
}

bool is_env_name(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
    for (char c : name)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

ValueRef read_value(Context& ctx, ObjectReader& r, const Field& field, CredentialSource source, bool required) {
    ValueRef ref;
    const std::string name(field.name), var = name + "Var", file = name + "File";
    int given = r.has(name) + r.has(var) + r.has(file);
    if (given > 1) {
        ctx.error(r.path_of(name), fmt::format("give only one of {}, {} and {}", name, var, file));
        return ref;
    }
    if (given == 0) {
        if (required) {
            std::string_view suffix = source == CredentialSource::file ? "File" : source == CredentialSource::inline_value ? "" : "Var";
            ctx.error(r.path_of(name + std::string(suffix)), "required, but missing");
        }
        return ref;
    }
    if (field.secret) {
        // The key a secret must use under this source.
        const std::string& expected = source == CredentialSource::inline_value ? name
                                      : source == CredentialSource::file      ? file
                                                                               : var;
        if (!r.has(expected)) {
            const std::string& used = r.has(name) ? name : r.has(var) ? var : file;
            ctx.error(r.path_of(used),
                      fmt::format("this store's source is \"{}\", so the secret must be given as {}",
                                  to_string(source), expected),
                      fmt::format("use {} or change \"source\"", expected));
            return ref;
        }
    }
    if (r.has(var)) {
        if (auto v = r.string(var)) {
            if (is_env_name(*v)) ref.env_var = *v;
            else ctx.error(r.path_of(var), fmt::format("{} is not a valid environment variable name", quote(*v)));
        }
    } else if (r.has(file)) {
        if (auto v = r.string(file)) {
            if (v->empty()) ctx.error(r.path_of(file), "must not be empty");
            else ref.file = *v;
        }
    } else if (auto v = r.secret(name)) {
        if (v->empty()) ctx.error(r.path_of(name), "must not be empty");
        else ref.inline_value = std::move(*v);
    }
    return ref;
}

// An inline service-account document is checked when the config loads; one from env or a file
// is checked at first use. The messages never quote the document: it holds the private key.
void check_inline_service_account(Context& ctx, const std::string& path, const ValueRef& ref) {
    if (ref.inline_value.empty()) return;
    auto account = credentials::parse_service_account(ref.inline_value.reveal());
    if (!account)
        ctx.error(path, "is not a service-account JSON document with client_email, private_key and token_uri");
    else if (!credentials::is_rsa_private_key_pem(account->private_key.reveal()))
        ctx.error(path, "its private_key is not an unencrypted PEM RSA private key");
    else if (std::string reason = check_api_base(account->token_uri); !reason.empty())
        ctx.error(path, "its token_uri: " + reason);
}

// Vault's AppRole secret_id is a secret: from a variable or a file (Vault Agent writes one),
// never inline.
ValueRef read_secret_id(Context& ctx, ObjectReader& r) {
    if (r.has("secretId")) {
        ctx.error(r.path_of("secretId"), "an AppRole secret_id must not be written in the config",
                  "use secretIdVar or secretIdFile");
        return {};
    }
    const CredentialSource form = r.has("secretIdFile") ? CredentialSource::file : CredentialSource::env;
    return read_value(ctx, r, Field{"secretId", true, false}, form, false);
}

std::string read_http_url(Context& ctx, ObjectReader& r, std::string_view key) {
    auto v = r.string(key);
    if (!v) return {};
    if (std::string reason = check_api_base(*v); !reason.empty()) {
        ctx.error(r.path_of(key), reason);
        return {};
    }
    return *v;
}

ExternalSecretRef read_external(Context& ctx, const Node& node, const std::string& path, CredentialSource source) {
    ExternalSecretRef ext;
    if (source == CredentialSource::vault) {
        ObjectReader r(ctx, node, path,
                       {"path", "key", "mount", "address", "namespace", "caFile", "roleId", "roleIdVar", "roleIdFile",
                        "secretId", "secretIdVar", "secretIdFile", "approleMount"});
        if (!r.valid()) return ext;
        if (auto v = r.string("path", true)) {
            if (v->empty() || v->front() == '/')
                ctx.error(r.path_of("path"), "must be a secret's path, mount first, with no leading /",
                          "e.g. \"secret/openai\" for `vault kv get secret/openai`");
            else ext.path = *v;
        }
        if (auto v = r.string("key")) ext.key = *v;
        if (auto v = r.string("mount")) ext.mount = *v;
        ext.address = read_http_url(ctx, r, "address");
        if (auto v = r.string("namespace")) ext.vault_namespace = *v;
        if (auto v = r.string("caFile")) ext.ca_file = *v;
        if (auto v = r.string("approleMount")) ext.approle_mount = *v;
        ext.role_id = read_value(ctx, r, Field{"roleId", false, false}, CredentialSource::env, false);
        ext.secret_id = read_secret_id(ctx, r);
        if (ext.role_id.empty() != ext.secret_id.empty())
            ctx.error(path, "AppRole login needs both roleId and secretId",
                      "give roleId (or roleIdVar) with secretIdVar (or secretIdFile), or neither to use VAULT_TOKEN");
        return ext;
    }
    ObjectReader r(ctx, node, path, {"secretId", "key", "region", "endpoint"});
    if (!r.valid()) return ext;
    if (auto v = r.string("secretId", true)) ext.path = *v;
    if (auto v = r.string("key")) ext.key = *v;
    if (auto v = r.string("region")) ext.region = *v;
    ext.endpoint = read_http_url(ctx, r, "endpoint");
    return ext;
}

CredentialStoreConfig read_store(Context& ctx, const Node& node, const std::string& path, std::string name,
                                 bool name_in_body) {
    CredentialStoreConfig store;
    store.name = std::move(name);
    std::vector<std::string_view> known = {"type", "source", "config", "cacheTtl"};
    if (name_in_body) known.push_back("name");
    ObjectReader r(ctx, node, path, known);
    if (!r.valid()) return store;
    if (name_in_body) {
        if (auto v = r.string("name", true)) store.name = *v;
    }
    auto type = r.choice("type", kTypeNames, true);
    if (type) store.type = static_cast<CredentialType>(*type);
    if (auto v = r.choice("source", kSourceNames)) store.source = static_cast<CredentialSource>(*v);
    if (auto v = r.integer("cacheTtl", 0, 30LL * 24 * 3600)) store.cache_ttl = std::chrono::seconds(*v);
    if (!type) return store;

    const Node empty_object = [] {
        Node n;
        n.kind = Node::Kind::object;
        return n;
    }();
    const Node* config_node = r.get("config");
    const std::string config_path = r.path_of("config");
    if (store.source == CredentialSource::vault || store.source == CredentialSource::aws_secrets) {
        if (!config_node) r.require("config");
        else store.external = read_external(ctx, *config_node, config_path, store.source);
        // A fetched secret is one value: it can stand for an API key, not for a key pair or a
        // service-account document with its own settings.
        if (store.type == CredentialType::azure) store.details = AzureCredentials{};
        else if (store.type != CredentialType::simple)
            ctx.error(r.path_of("source"),
                      fmt::format("source \"{}\" gives one value, the API key of a simple or azure store, not the "
                                  "credentials of a store of type {}",
                                  to_string(store.source), to_string(store.type)),
                      store.type == CredentialType::aws ? "use source env for the keys, or useInstanceProfile"
                                                        : "use source env or file for this store");
        return store;
    }
    if (store.type == CredentialType::aws && store.source == CredentialSource::file)
        ctx.error(r.path_of("source"), "aws stores read keys from env or inline, not from a file",
                  "use \"env\" with accessKeyIdVar and secretAccessKeyVar");

    std::vector<std::string_view> keys;
    for (const auto& k : key_names(store.type)) keys.push_back(k);
    ObjectReader c(ctx, config_node ? *config_node : empty_object, config_path, keys);
    if (!c.valid()) return store;
    const auto& fields = kFields[*type];
    auto value = [&](std::size_t i, bool required) { return read_value(ctx, c, fields[i], store.source, required); };
    // A token endpoint: http or https, like an apiBase.
    auto read_url = [&](std::string_view key, bool required) -> std::string {
        auto v = c.string(key, required);
        if (!v) return {};
        if (std::string reason = check_api_base(*v); !reason.empty()) {
            ctx.error(c.path_of(key), reason);
            return {};
        }
        return *v;
    };
    switch (store.type) {
        case CredentialType::simple: store.details = SimpleCredentials{value(0, true)}; break;
        case CredentialType::azure: store.details = AzureCredentials{value(0, true)}; break;
        case CredentialType::aws: {
            AwsCredentials aws;
            if (auto v = c.boolean("useInstanceProfile")) aws.use_instance_profile = *v;
            aws.region = value(0, false);
            aws.access_key_id = value(1, !aws.use_instance_profile);
            aws.secret_access_key = value(2, !aws.use_instance_profile);
            aws.session_token = value(3, false);
            store.details = std::move(aws);
            break;
        }
        case CredentialType::google: {
            GoogleCredentials google{value(0, false), value(1, true), value(2, false), read_url("tokenUri", false)};
            check_inline_service_account(ctx, c.path_of("serviceAccountKey"), google.service_account_key);
            store.details = std::move(google);
            break;
        }
        case CredentialType::oauth: {
            OAuthCredentials oauth;
            oauth.token_url = read_url("tokenUrl", true);
            oauth.client_id = value(0, true);
            oauth.client_secret = value(1, true);
            if (auto v = c.string("scope")) oauth.scope = *v;
            if (auto v = c.string("audience")) oauth.audience = *v;
            store.details = std::move(oauth);
            break;
        }
    }
    return store;
}

}  // namespace

void read_credential_stores(Context& ctx, const Node& node, Config& config) {
    if (node.is_object()) {
        for (const auto& [name, body] : node.members) {
            config.credential_stores.push_back(read_store(ctx, body, child_path("credentialStores", name), name, false));
            ctx.store_paths.push_back(child_path("credentialStores", name));
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            config.credential_stores.push_back(
                read_store(ctx, node.items[i], index_path("credentialStores", i), "", true));
            ctx.store_paths.push_back(index_path("credentialStores", i));
        }
    } else {
        ctx.error("credentialStores",
                  fmt::format("expected an object of stores by name, or an array of stores with \"name\", got {}",
                              describe(node.kind)));
    }
}

}  // namespace sw::config
