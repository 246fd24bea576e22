// specs.hpp — what each `provider` value of the config means: its wire protocol, default
// endpoint, credential types, API version, and the flags its protocol's code keys on. One table
// (specs.cpp), read by the config loader for names and defaults and by the adapter registry
// (registry.hpp) for the adapter.
//
// This is the bottom of the providers layer: plain data that includes nothing from providers,
// transport or credentials, so that config can include it without depending on any adapter.
#pragma once

#include <switch/config.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace sw::providers {

// The adapter family a provider speaks: a wire protocol, with the URL and auth scheme that set
// apart Azure (OpenAI's protocol) and Vertex AI (Gemini's). registry.cpp maps each to its
// adapter and stream framing.
enum class Protocol : std::uint8_t { openai, azure, anthropic, bedrock, gemini, vertex };

// Where the endpoint comes from when apiBase is omitted.
enum class EndpointSource : std::uint8_t {
    api_base,         // default_api_base; apiBase is required when that is empty
    aws_region,       // derived from the aws store's region (Bedrock)
    google_location,  // derived from the google store's location (Vertex AI)
};

struct ProviderSpec {
    std::string_view name = {};  // the config's `provider` value, and ProviderConfig::type
    Protocol protocol = Protocol::openai;
    std::string_view default_api_base = {};
    EndpointSource endpoint = EndpointSource::api_base;
    // Store types that can authenticate it; an empty credentialsRef draws no warning when
    // `credentials_optional` (local servers).
    std::vector<CredentialType> credential_types = {CredentialType::simple};
    bool credentials_optional = false;
    // The apiVersion used when none is configured: Azure's api-version query, Anthropic's
    // anthropic-version header. Empty for protocols without one.
    std::string_view api_version = {};
    // vLLM: `enable_thinking` is sent inside `chat_template_kwargs` (openai/compat.hpp).
    bool thinking_in_template_kwargs = false;
    // Vertex AI: the store must give a project (projectId or the service account's project_id).
    bool needs_project = false;
    // OpenTelemetry's gen_ai.provider.name for it, where the GenAI conventions list one; empty:
    // `name` (a custom value, which the conventions allow).
    std::string_view gen_ai_name = {};
};

// Every spec, in the order "did you mean" and the docs list them.
const std::vector<ProviderSpec>& provider_specs();

// The spec named `name`, or nullptr.
const ProviderSpec* find_provider_spec(std::string_view name) noexcept;

// The spec of a loaded provider, whose type the loader checked: the first spec (openai) for a
// hand-built ProviderConfig with an unknown type.
const ProviderSpec& spec_of(const ProviderConfig& provider) noexcept;

// The apiVersion of the first spec that speaks `protocol`: the default of a hand-built
// ProviderConfig that has none.
std::string_view default_api_version(Protocol protocol) noexcept;

// gen_ai.provider.name for a provider of type `type` (ProviderConfig::type).
std::string_view gen_ai_provider_name(std::string_view type) noexcept;

// The names of every spec, for the loader's choice and its suggestions.
std::vector<std::string_view> provider_names();

}  // namespace sw::providers
