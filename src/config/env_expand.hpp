// env_expand.hpp — ${VAR} and ${VAR:-default} expansion in configuration strings.
#pragma once

#include <switch/config_loader.hpp>

#include <string>
#include <string_view>

namespace sw::config {

struct Expansion {
    std::string value;
    // Empty on success; otherwise the reason, naming the variable but never a value.
    std::string error;
    bool used_environment = false;
};

// Expands ${VAR} (VAR must be set) and ${VAR:-default} (default when VAR is unset or empty).
// `$${` stands for a literal `${`. VAR is [A-Za-z_][A-Za-z0-9_]*.
Expansion expand_env(std::string_view text, const EnvLookup& env);

}  // namespace sw::config
