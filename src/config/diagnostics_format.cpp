// diagnostics_format.cpp — validation results as compiler-style text and as JSON.
#include <switch/config_loader.hpp>

#include "common/json_writer.hpp"

#include <fmt/format.h>

namespace sw {

namespace {
std::string_view severity_name(Severity s) { return s == Severity::error ? "error" : "warning"; }
}  // namespace

std::string format_diagnostics_text(const LoadResult& result) {
    std::string out;
    for (const auto& d : result.diagnostics) {
        out += result.origin + ": ";
        if (!d.path.empty()) out += d.path + ": ";
        out += fmt::format("{}: {}", severity_name(d.severity), d.message);
        if (!d.suggestion.empty()) out += "; " + d.suggestion;
        out += "\n";
    }
    return out;
}

std::string format_diagnostics_json(const LoadResult& result) {
    JsonWriter w;
    w.begin_object().key("origin").string(result.origin).key("valid").boolean(result.ok());
    w.key("diagnostics").begin_array();
    for (const auto& d : result.diagnostics) {
        w.begin_object().key("severity").string(severity_name(d.severity)).key("path").string(d.path);
        w.key("message").string(d.message).key("suggestion").string(d.suggestion).end_object();
    }
    w.end_array().key("summary").begin_object();
    w.key("credential_stores").integer(static_cast<std::int64_t>(result.summary.credential_stores));
    w.key("pools").integer(static_cast<std::int64_t>(result.summary.pools));
    w.key("providers").integer(static_cast<std::int64_t>(result.summary.providers));
    w.key("models").integer(static_cast<std::int64_t>(result.summary.models));
    w.key("errors").integer(static_cast<std::int64_t>(result.error_count()));
    w.key("warnings").integer(static_cast<std::int64_t>(result.warning_count()));
    w.end_object().end_object();
    return w.take();
}

}  // namespace sw
