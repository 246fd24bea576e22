// resolver.hpp — turns a credential store's references into secret values, at first use.
//
// Errors name the store, the field and where the value was looked for, never the value.
#pragma once

#include <switch/config.hpp>
#include <switch/config_loader.hpp>
#include <switch/switch.h>

#include <optional>
#include <string>

namespace sw::credentials {

template <typename T>
struct Resolved {
    std::optional<T> value;
    sw_status status = SW_OK;  // SW_ERR_NOT_FOUND, SW_ERR_NOT_SUPPORTED, SW_ERR_IO, SW_ERR_CONFIG
    std::string error;
    bool ok() const { return value.has_value(); }
};

struct AwsKeys {
    std::string region;  // may be empty when the endpoint is configured explicitly
    Secret access_key_id;
    Secret secret_access_key;
    Secret session_token;  // empty when not used
};

struct GoogleServiceAccount {
    std::string project_id;
    std::string client_email;
    std::string token_uri;       // the store's tokenUri when set, else the document's token_uri
    std::string location;
    std::string private_key_id;  // the JWT's "kid"; empty when the document has none
    Secret private_key;  // PEM
};

// The fields of a service-account JSON document (client_email, private_key and token_uri are
// required; project_id and private_key_id optional), or nullopt when it is not one.
std::optional<GoogleServiceAccount> parse_service_account(std::string_view json);

enum class Lines { single, multiple };

// One value: from its environment variable, its file (trailing newline removed) or inline.
// A Lines::single value (anything that can end up in a header) must not hold CR, LF or NUL.
Resolved<Secret> resolve_value(const ValueRef& ref, const std::string& store, const std::string& field,
                               const EnvLookup& env, Lines lines = Lines::single);

// The API key of a simple or azure store.
Resolved<Secret> resolve_api_key(const CredentialStoreConfig& store, const EnvLookup& env);
Resolved<AwsKeys> resolve_aws(const CredentialStoreConfig& store, const EnvLookup& env);
Resolved<GoogleServiceAccount> resolve_google(const CredentialStoreConfig& store, const EnvLookup& env);

}  // namespace sw::credentials
