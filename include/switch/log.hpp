// log.hpp — a router's log lines (C++ API; docs/logging.md).
//
// A router logs nothing unless the application gives it a sink (RouterOptions::log_sink; C:
// sw_router_options v4's on_log). It then writes one line per request, one per breaker
// transition and one per reload, as JSON or text (the config's monitoring.logging, LOG_FORMAT),
// from the level asked for up (LOG_LEVEL). Lines never hold a secret or message content.
#pragma once

#include <switch/switch.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace sw {

enum class LogLevel : std::uint8_t { debug, info, warning, error };
enum class LogFormat : std::uint8_t { json, text };

SW_API std::string_view to_string(LogLevel level) noexcept;
// DEBUG, INFO, WARNING (or WARN), ERROR (or CRITICAL), in any case; nullopt otherwise.
SW_API std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;
// json or text, in any case; nullopt otherwise.
SW_API std::optional<LogFormat> parse_log_format(std::string_view text) noexcept;

// Receives each line, without its newline. Called on the thread where the thing logged happened
// (an I/O thread for requests and breakers, reload()'s caller for a reload), from several at
// once: it must be thread-safe and return quickly.
using LogSink = std::function<void(LogLevel level, std::string_view line)>;

}  // namespace sw
