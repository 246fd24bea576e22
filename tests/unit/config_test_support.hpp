// config_test_support.hpp — helpers for config tests: an injected environment and lookups.
#pragma once

#include <switch/config_loader.hpp>

#include <algorithm>
#include <map>
#include <string>

namespace sw::test {

// LoadOptions whose environment is exactly `vars`, so tests never depend on the real one.
inline LoadOptions options_with_env(std::map<std::string, std::string> vars = {}) {
    LoadOptions options;
    options.env = [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
    return options;
}

inline LoadResult load(std::string_view text, std::map<std::string, std::string> env = {}) {
    return load_config_string(text, ConfigFormat::detect, "test", options_with_env(std::move(env)));
}

// The first diagnostic at exactly `path`, or nullptr.
inline const Diagnostic* diagnostic_at(const LoadResult& result, std::string_view path) {
    auto it = std::find_if(result.diagnostics.begin(), result.diagnostics.end(),
                           [&](const Diagnostic& d) { return d.path == path; });
    return it == result.diagnostics.end() ? nullptr : &*it;
}

}  // namespace sw::test
