// azure.hpp — the Azure OpenAI adapter's URL and headers (docs/providers/azure.md); its bodies
// and answers are OpenAI's (openai_compat.hpp).
#pragma once

#include "providers/adapter.hpp"

#include <switch/config.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sw::providers::azure {

// {api_base}/openai/deployments/{deployment}/{chat/completions|embeddings}?api-version={v}.
// An api_base that already ends in /openai is not doubled; the deployment is percent-escaped.
std::string deployment_url(std::string_view api_base, std::string_view deployment, Endpoint endpoint,
                           std::string_view api_version);

// Content-Type, then `api-key: <key>` for an API key (azure or simple store) or
// `Authorization: Bearer <token>` for an oauth store's token, then the configured headers,
// which replace any of these they name. The key never goes into the URL. Never log the result.
std::vector<std::string> request_headers(const ProviderConfig& provider, const credentials::CredentialView& credentials);

}  // namespace sw::providers::azure
