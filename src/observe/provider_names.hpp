// provider_names.hpp — what the configuration says each provider is, for the names metrics and
// spans give it: OpenTelemetry's gen_ai.provider.name for its type, and the model it serves.
#pragma once

#include <map>
#include <string>
#include <utility>

namespace sw::observe {

struct ProviderNames {
    std::string system;  // gen_ai.provider.name, e.g. "openai", "aws.bedrock"
    std::string model;   // the provider's modelName
};

// By (pool id, provider name). Set when a router starts and when it reloads.
using ProviderTable = std::map<std::pair<std::string, std::string>, ProviderNames>;

}  // namespace sw::observe
