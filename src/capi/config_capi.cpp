// config_capi.cpp — configuration validation through the C ABI.
#include <switch/config_loader.hpp>

#include "capi/errors.hpp"

extern "C" {

SW_API int sw_config_validate(int* out_valid, char** out_report, const char* text, size_t len, const char* origin,
                              int format) {
    return sw::capi::guarded([&]() -> int {
        if (out_report) *out_report = nullptr;
        if (!out_valid) return sw::capi::invalid_argument("out_valid is NULL");
        *out_valid = 0;
        if (!text && len > 0) return sw::capi::invalid_argument("text is NULL");
        if (format != SW_DIAG_TEXT && format != SW_DIAG_JSON) return sw::capi::invalid_argument("unknown format");
        auto result = sw::load_config_string(std::string_view(text ? text : "", len), sw::ConfigFormat::detect,
                                             origin ? origin : "<string>");
        *out_valid = result.ok() ? 1 : 0;
        if (out_report)
            *out_report = sw::capi::owned_copy(format == SW_DIAG_JSON ? sw::format_diagnostics_json(result)
                                                                      : sw::format_diagnostics_text(result));
        return SW_OK;
    });
}

}  // extern "C"
