// fuzz_config_yaml.cpp — the config loader on YAML text (sw::load_config_string with yaml-cpp,
// the YAML 1.2 scalar resolution, the alias and nesting limits, then the same schema as JSON),
// and its diagnostics. YAML's aliases and nesting make it the riskier reader. Input: the YAML
// text itself.
#include "fuzz_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    swfuzz::run_config(sw::ConfigFormat::yaml, data, size);
    return 0;
}
