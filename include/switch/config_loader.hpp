// config_loader.hpp — loading and validating a libswitch configuration (C++ API).
#pragma once

#include <switch/config.hpp>
#include <switch/switch.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sw {

enum class Severity { error, warning };

// One validation finding. `path` is JSON-pointer-like (`pools[1].fallbackPoolIds[0]`); it is
// empty for problems with the document as a whole. `suggestion` may be empty.
struct Diagnostic {
    Severity severity = Severity::error;
    std::string path;
    std::string message;
    std::string suggestion;
};

enum class ConfigFormat { detect, json, yaml };

// Reads an environment variable; returns nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment, the default EnvLookup.
SW_API std::optional<std::string> process_env(const std::string& name);

struct LoadOptions {
    EnvLookup env = process_env;
    // Where the default load order looks for definitions.json / definitions.yaml.
    std::filesystem::path working_dir = ".";
    // Larger inputs are rejected before parsing.
    std::size_t max_bytes = 32u * 1024u * 1024u;
};

// Counts of what was read, reported even when the configuration has errors.
struct ConfigSummary {
    std::size_t credential_stores = 0;
    std::size_t pools = 0;
    std::size_t providers = 0;
    std::size_t models = 0;
};

struct LoadResult {
    // Set when there are no errors (warnings allowed); null otherwise.
    std::shared_ptr<const Config> config;
    std::vector<Diagnostic> diagnostics;
    // What was loaded: a file path, "MODEL_DEFINITIONS", "environment (provider keys)", or the
    // origin given for a string.
    std::string origin;
    ConfigSummary summary;

    bool ok() const { return config != nullptr; }
    SW_API std::size_t error_count() const;
    SW_API std::size_t warning_count() const;
};

// Loads a file; the format follows the extension (.json, .yaml, .yml), else the content.
SW_API LoadResult load_config_file(const std::filesystem::path& path,
                                   const LoadOptions& options = {});

// Loads JSON or YAML text. `origin` names it in messages.
SW_API LoadResult load_config_string(std::string_view text, ConfigFormat format = ConfigFormat::detect,
                                     std::string origin = "<string>",
                                     const LoadOptions& options = {});

// The contract's load order: ./definitions.json (or .yaml), then MODEL_DEFINITIONS, then a
// config generated from provider keys in the environment. A source that exists but is invalid
// is reported; the next source is never tried in its place.
SW_API LoadResult load_config_default(const LoadOptions& options = {});

// Compiler-style text, one line per diagnostic: "ORIGIN: PATH: error: MESSAGE; SUGGESTION".
SW_API std::string format_diagnostics_text(const LoadResult& result);

// {"origin":..,"valid":..,"diagnostics":[..],"summary":{"pools":..,"providers":..,
//  "models":..,"errors":..,"warnings":..}}
SW_API std::string format_diagnostics_json(const LoadResult& result);

}  // namespace sw
