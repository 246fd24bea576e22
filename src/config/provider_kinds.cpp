// provider_kinds.cpp — the provider table: default endpoints and usable credential types.
#include "config/provider_kinds.hpp"

namespace sw::config {

const std::vector<ProviderKindInfo>& provider_kinds() {
    using T = CredentialType;
    static const std::vector<ProviderKindInfo> table = {
        {ProviderKind::openai, "openai", "https://api.openai.com/v1", false, {T::simple, T::oauth}, false},
        {ProviderKind::together, "together", "https://api.together.xyz/v1", false, {T::simple}, false},
        {ProviderKind::groq, "groq", "https://api.groq.com/openai/v1", false, {T::simple}, false},
        {ProviderKind::mistral, "mistral", "https://api.mistral.ai/v1", false, {T::simple}, false},
        {ProviderKind::runpod, "runpod", "", false, {T::simple}, false},
        {ProviderKind::alibaba, "alibaba", "https://dashscope.aliyuncs.com/compatible-mode/v1", false,
         {T::simple}, false},
        {ProviderKind::vllm, "vllm", "", false, {T::simple, T::oauth}, true},
        {ProviderKind::ollama, "ollama", "http://localhost:11434/v1", false, {T::simple}, true},
        {ProviderKind::custom, "custom", "", false, {T::simple, T::oauth}, true},
        {ProviderKind::anthropic, "anthropic", "https://api.anthropic.com", false, {T::simple}, false},
        {ProviderKind::bedrock, "bedrock", "", true, {T::aws}, false},
        {ProviderKind::google, "google", "https://generativelanguage.googleapis.com", false, {T::simple},
         false},
        {ProviderKind::vertex, "vertex", "", true, {T::google}, false},
        {ProviderKind::azure, "azure", "", false, {T::azure, T::simple, T::oauth}, false},
    };
    return table;
}

const ProviderKindInfo& provider_kind_info(ProviderKind kind) {
    for (const auto& info : provider_kinds())
        if (info.kind == kind) return info;
    return provider_kinds().front();  // unreachable: the table covers every enumerator
}

std::vector<std::string_view> provider_kind_names() {
    std::vector<std::string_view> names;
    for (const auto& info : provider_kinds()) names.push_back(info.name);
    return names;
}

std::string_view default_api_version(ProviderKind kind) {
    if (kind == ProviderKind::azure) return "2024-10-21";  // the newest GA data-plane version
    if (kind == ProviderKind::anthropic) return "2023-06-01";
    return {};
}

}  // namespace sw::config
