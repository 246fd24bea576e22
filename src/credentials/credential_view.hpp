// credential_view.hpp — the secret one attempt authenticates with, as adapters see it.
#pragma once

#include "credentials/resolver.hpp"

#include <cstdint>
#include <string_view>

namespace sw::credentials {

// Borrowed from the credential cache for the duration of one adapter call. Which member is set
// follows the provider's credential store type; `kind` is none for providers without one.
struct CredentialView {
    enum class Kind : std::uint8_t { none, api_key, bearer_token, aws };
    Kind kind = Kind::none;
    std::string_view secret;  // an API key (simple, azure) or an access token (oauth, google)
    const AwsKeys* aws = nullptr;
    std::string_view project, location;  // google stores: where Vertex AI requests go
};

}  // namespace sw::credentials
