// fuzz_config_json.cpp — the config loader on JSON text (sw::load_config_string, the simdjson
// document reader and everything after it), and its diagnostics. A config may come from
// MODEL_DEFINITIONS or a file another party writes; the loader must reject anything, however
// broken, with diagnostics and never crash. Input: the JSON text itself.
#include "fuzz_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    swfuzz::run_config(sw::ConfigFormat::json, data, size);
    return 0;
}
