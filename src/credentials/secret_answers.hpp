// secret_answers.hpp — reading the answers of Vault, AWS Secrets Manager and the AWS instance
// metadata service, as pure functions (the fetchers do the I/O; tests feed these directly).
//
// An error says what is missing or malformed, never a value from the answer.
#pragma once

#include <switch/config.hpp>
#include <switch/secret.hpp>

#include "credentials/resolver.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sw::credentials {

// The KV v2 read path under /v1/ for a vault store: "<mount>/data/<path>". Without `mount`, the
// path's first segment is the mount, as `vault kv get secret/openai` reads it; a path whose
// second segment is already "data" (the API's own form) is used as given.
std::string kv2_api_path(const ExternalSecretRef& ref);

// A KV v2 read's {"data":{"data":{...}}}: the field `key`, or the only field when `key` is empty.
std::optional<Secret> vault_secret_value(std::string_view body, const std::string& key, std::string& error);
// An AppRole login's {"auth":{"client_token":...}}.
std::optional<Secret> vault_client_token(std::string_view body, std::string& error);

// A GetSecretValue answer's SecretString: whole when `key` is empty, else the string field `key`
// of the JSON object it holds.
std::optional<Secret> aws_secret_value(std::string_view body, const std::string& key, std::string& error);
// The "__type" of a Secrets Manager error answer ("ResourceNotFoundException"), or "".
std::string aws_error_type(std::string_view body);

// Instance-profile or container credentials: {"AccessKeyId","SecretAccessKey","Token",
// "Expiration"} (IMDS adds "Code":"Success"). `region` is copied into the keys.
struct InstanceCredentials {
    AwsKeys keys;
    std::optional<std::chrono::system_clock::time_point> expiration;
};
std::optional<InstanceCredentials> instance_credentials(std::string_view body, std::string region,
                                                        std::string& error);

// "2026-12-07T13:45:00Z" (also with fractional seconds), UTC; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_utc_timestamp(std::string_view text);

}  // namespace sw::credentials
