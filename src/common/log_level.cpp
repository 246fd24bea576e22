// log_level.cpp — log levels' and formats' names (log.hpp).
#include <switch/log.hpp>

#include <cctype>
#include <string>

namespace sw {

namespace {

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string_view to_string(LogLevel level) noexcept {
    switch (level) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warning: return "warning";
        case LogLevel::error: return "error";
    }
    return "info";
}

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
    const std::string lower = lowercase(text);
    if (lower == "debug") return LogLevel::debug;
    if (lower == "info") return LogLevel::info;
    if (lower == "warning" || lower == "warn") return LogLevel::warning;
    // Python's logging, which ModelMuxer's LOG_LEVEL is for, has CRITICAL above ERROR; a router's
    // lines stop at error.
    if (lower == "error" || lower == "critical") return LogLevel::error;
    return std::nullopt;
}

std::optional<LogFormat> parse_log_format(std::string_view text) noexcept {
    const std::string lower = lowercase(text);
    if (lower == "json") return LogFormat::json;
    if (lower == "text") return LogFormat::text;
    return std::nullopt;
}

}  // namespace sw
