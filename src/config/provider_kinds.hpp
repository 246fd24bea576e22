// provider_kinds.hpp — what each `provider` value means: its default apiBase and the credential
// store types it can authenticate with. One table, used by the loader and the adapters.
#pragma once

#include <switch/config.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace sw::config {

struct ProviderKindInfo {
    ProviderKind kind;
    std::string_view name;
    // Used when apiBase is omitted; empty means apiBase is required, except for kinds whose
    // endpoint is derived from the credentials (bedrock from the region, vertex from the
    // location), which set `endpoint_from_credentials`.
    std::string_view default_api_base;
    bool endpoint_from_credentials;
    // Store types that can authenticate this kind; empty credentialsRef is allowed when
    // `credentials_optional` (local servers).
    std::vector<CredentialType> credential_types;
    bool credentials_optional;
};

const std::vector<ProviderKindInfo>& provider_kinds();
const ProviderKindInfo& provider_kind_info(ProviderKind kind);
std::vector<std::string_view> provider_kind_names();

// The apiVersion a kind uses when none is configured: 2024-10-21 for azure, 2023-06-01 for
// anthropic; empty for the kinds without a versioned protocol.
std::string_view default_api_version(ProviderKind kind);

}  // namespace sw::config
