// specs.cpp — the provider table. A vendor that speaks OpenAI's protocol is one line here; see
// docs/providers/README.md for a new protocol.
#include "providers/specs.hpp"

namespace sw::providers {

const std::vector<ProviderSpec>& provider_specs() {
    using T = CredentialType;
    using P = Protocol;
    using E = EndpointSource;
    static const std::vector<ProviderSpec> table = {
        {.name = "openai", .default_api_base = "https://api.openai.com/v1", .credential_types = {T::simple, T::oauth}, .gen_ai_name = "openai"},
        {.name = "together", .default_api_base = "https://api.together.xyz/v1"},
        {.name = "groq", .default_api_base = "https://api.groq.com/openai/v1"},
        {.name = "mistral", .default_api_base = "https://api.mistral.ai/v1", .gen_ai_name = "mistral_ai"},
        {.name = "runpod"},
        {.name = "alibaba", .default_api_base = "https://dashscope.aliyuncs.com/compatible-mode/v1"},
        {.name = "vllm", .credential_types = {T::simple, T::oauth}, .credentials_optional = true, .thinking_in_template_kwargs = true},
        {.name = "ollama", .default_api_base = "http://localhost:11434/v1", .credentials_optional = true},
        {.name = "custom", .credential_types = {T::simple, T::oauth}, .credentials_optional = true},
        {.name = "anthropic", .protocol = P::anthropic, .default_api_base = "https://api.anthropic.com", .api_version = "2023-06-01", .gen_ai_name = "anthropic"},
        {.name = "bedrock", .protocol = P::bedrock, .endpoint = E::aws_region, .credential_types = {T::aws}, .gen_ai_name = "aws.bedrock"},
        {.name = "google", .protocol = P::gemini, .default_api_base = "https://generativelanguage.googleapis.com", .gen_ai_name = "gcp.gemini"},
        {.name = "vertex", .protocol = P::vertex, .endpoint = E::google_location, .credential_types = {T::google}, .needs_project = true, .gen_ai_name = "gcp.vertex_ai"},
        // 2024-10-21: the newest GA data-plane version.
        {.name = "azure", .protocol = P::azure, .credential_types = {T::azure, T::simple, T::oauth}, .api_version = "2024-10-21", .gen_ai_name = "azure.ai.openai"},
    };
    return table;
}

const ProviderSpec* find_provider_spec(std::string_view name) noexcept {
    for (const ProviderSpec& spec : provider_specs())
        if (spec.name == name) return &spec;
    return nullptr;
}

const ProviderSpec& spec_of(const ProviderConfig& provider) noexcept {
    const ProviderSpec* spec = find_provider_spec(provider.type);
    return spec ? *spec : provider_specs().front();
}

std::string_view default_api_version(Protocol protocol) noexcept {
    for (const ProviderSpec& spec : provider_specs())
        if (spec.protocol == protocol) return spec.api_version;
    return {};
}

std::string_view gen_ai_provider_name(std::string_view type) noexcept {
    const ProviderSpec* spec = find_provider_spec(type);
    if (!spec) return type;
    return spec->gen_ai_name.empty() ? spec->name : spec->gen_ai_name;
}

std::vector<std::string_view> provider_names() {
    std::vector<std::string_view> names;
    for (const ProviderSpec& spec : provider_specs()) names.push_back(spec.name);
    return names;
}

}  // namespace sw::providers
