// header_lines.hpp — request header lines for the adapters whose protocols authenticate with a
// header of their own (Anthropic's x-api-key, Azure's api-key) instead of a bearer token.
#pragma once

#include <switch/config.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace sw::providers {

// Whether the provider's configured headers name `name` (in any case). A configured header
// replaces the adapter's own: sending both would give the upstream two values (Anthropic
// rejects "2023-06-01, 2023-06-01" as a version).
bool has_configured_header(const ProviderConfig& provider, std::string_view name);

// Appends "Name: value" unless the provider configures `name` itself. The line may hold a
// secret: never log it.
void add_header_unless_configured(std::vector<std::string>& headers, const ProviderConfig& provider,
                                  std::string_view name, std::string_view value);

}  // namespace sw::providers
