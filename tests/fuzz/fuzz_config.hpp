// fuzz_config.hpp — the driver of the two config targets: the whole loader (document reader,
// ${VAR} expansion, every schema section, cross-section checks, defaults) and both diagnostic
// formatters, on one text. The environment is a fixed map, so that runs are reproducible and
// ${VAR} references resolve both ways.
#pragma once

#include "fuzz_support.hpp"

#include <switch/config_loader.hpp>

namespace swfuzz {

inline void run_config(sw::ConfigFormat format, const std::uint8_t* data, std::size_t size) {
    static const sw::LoadOptions options = [] {
        sw::LoadOptions o;
        o.env = [](const std::string& name) -> std::optional<std::string> {
            if (name == "OPENAI_API_KEY" || name == "FUZZ_KEY") return "sk-fuzz";
            if (name == "FUZZ_EMPTY") return "";
            if (name == "FUZZ_JSON") return R"({"a":[1,2]})";
            return std::nullopt;
        };
        o.working_dir = "/nonexistent-libswitch-fuzz";
        o.max_bytes = 1 << 20;
        return o;
    }();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const sw::LoadResult result = sw::load_config_string(text, format, "<fuzz>", options);
    // A valid config has no errors, and an invalid one at least one.
    if (result.ok() != (result.error_count() == 0)) {
        std::fprintf(stderr, "ok() is %d with %zu errors\n", result.ok(), result.error_count());
        std::abort();
    }
    (void)format_diagnostics_text(result);
    require_json(format_diagnostics_json(result), "format_diagnostics_json");
}

}  // namespace swfuzz
