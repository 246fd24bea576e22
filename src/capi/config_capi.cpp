// config_capi.cpp — loading and validating configurations through the C ABI.
#include <switch/config_loader.hpp>

#include "capi/errors.hpp"
#include "capi/handles.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

namespace sw::capi {

namespace {

bool known_format(int format) { return format == SW_DIAG_TEXT || format == SW_DIAG_JSON; }

// Hands a load's verdict to the caller: the handle, the report, and for an invalid
// configuration the text diagnostics in sw_last_error(). The loader never puts a secret in a
// diagnostic, so both may be shown as they are.
int finish_load(sw_config** out, char** out_report, const LoadResult& result, int format, int failure_status) {
    if (out_report)
        *out_report = owned_copy(format == SW_DIAG_JSON ? format_diagnostics_json(result)
                                                        : format_diagnostics_text(result));
    if (!result.ok())
        return fail(failure_status, fmt::format("{} error(s):\n{}", result.error_count(),
                                                format_diagnostics_text(result)));
    *out = new sw_config{result.config};
    return SW_OK;
}

// The checks every load shares; clears the outputs first so that they are NULL on failure.
int start_load(sw_config** out, char** out_report, int format) {
    if (out_report) *out_report = nullptr;
    if (!out) return invalid_argument("out is NULL");
    *out = nullptr;
    if (!known_format(format)) return invalid_argument("unknown format");
    return SW_OK;
}

}  // namespace

}  // namespace sw::capi

extern "C" {

SW_API int sw_config_validate(int* out_valid, char** out_report, const char* text, size_t len, const char* origin,
                              int format) {
    return sw::capi::guarded([&]() -> int {
        if (out_report) *out_report = nullptr;
        if (!out_valid) return sw::capi::invalid_argument("out_valid is NULL");
        *out_valid = 0;
        if (!text && len > 0) return sw::capi::invalid_argument("text is NULL");
        if (!sw::capi::known_format(format)) return sw::capi::invalid_argument("unknown format");
        auto result = sw::load_config_string(std::string_view(text ? text : "", len), sw::ConfigFormat::detect,
                                             origin ? origin : "<string>");
        *out_valid = result.ok() ? 1 : 0;
        if (out_report)
            *out_report = sw::capi::owned_copy(format == SW_DIAG_JSON ? sw::format_diagnostics_json(result)
                                                                      : sw::format_diagnostics_text(result));
        return SW_OK;
    });
}

SW_API int sw_config_load_file(sw_config** out, char** out_report, const char* path, int format) {
    return sw::capi::guarded([&]() -> int {
        if (int rc = sw::capi::start_load(out, out_report, format)) return rc;
        if (!path) return sw::capi::invalid_argument("path is NULL");
        std::error_code ec;
        const bool missing = !std::filesystem::exists(path, ec) && !ec;
        return sw::capi::finish_load(out, out_report, sw::load_config_file(path), format,
                                     missing ? SW_ERR_NOT_FOUND : SW_ERR_CONFIG);
    });
}

SW_API int sw_config_load_string(sw_config** out, char** out_report, const char* text, size_t len,
                                 const char* origin, int format) {
    return sw::capi::guarded([&]() -> int {
        if (int rc = sw::capi::start_load(out, out_report, format)) return rc;
        if (!text && len > 0) return sw::capi::invalid_argument("text is NULL");
        return sw::capi::finish_load(out, out_report,
                                     sw::load_config_string(std::string_view(text ? text : "", len),
                                                            sw::ConfigFormat::detect, origin ? origin : "<string>"),
                                     format, SW_ERR_CONFIG);
    });
}

SW_API int sw_config_load_default(sw_config** out, char** out_report, int format) {
    return sw::capi::guarded([&]() -> int {
        if (int rc = sw::capi::start_load(out, out_report, format)) return rc;
        return sw::capi::finish_load(out, out_report, sw::load_config_default(), format, SW_ERR_CONFIG);
    });
}

SW_API void sw_config_destroy(sw_config** config) {
    sw::capi::guarded_void([&] {
        if (!config || !*config) return;
        delete *config;
        *config = nullptr;
    });
}

}  // extern "C"
