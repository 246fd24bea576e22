// classify.cpp — the one table that maps an attempt's outcome to an error class.
#include <switch/outcome.hpp>

#include <array>
#include <charconv>
#include <cmath>

namespace sw {
namespace {

bool contains_ci(std::string_view hay, std::string_view needle) noexcept {
    if (needle.empty() || hay.size() < needle.size()) return false;
    auto lower = [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t j = 0;
        while (j < needle.size() && lower(hay[i + j]) == lower(needle[j])) ++j;
        if (j == needle.size()) return true;
    }
    return false;
}

// Which part of the outcome a row looks at.
enum class Field : std::uint8_t {
    status,     // the HTTP status range alone
    type_code,  // error.type or error.code contains the needle (case-insensitive)
    message,    // error.message contains the needle (case-insensitive)
    transport   // the transport error equals `kind`
};

struct Row {
    int lo, hi;  // HTTP status range the row applies to (inclusive)
    Field field;
    std::string_view needle;
    TransportError kind;
    ErrorClass cls;
};

constexpr auto T = TransportError::none;
// First match wins. Transport rows first (there is no trustworthy status then), then provider
// body signals (more specific than the status), then the status alone.
constexpr std::array kTable{
    // Transport failures.
    Row{0, 999, Field::transport, {}, TransportError::connect_timeout, ErrorClass::timeout},
    Row{0, 999, Field::transport, {}, TransportError::first_byte_timeout, ErrorClass::timeout},
    Row{0, 999, Field::transport, {}, TransportError::idle_timeout, ErrorClass::timeout},
    Row{0, 999, Field::transport, {}, TransportError::connect_refused, ErrorClass::transient},
    Row{0, 999, Field::transport, {}, TransportError::connection_reset, ErrorClass::transient},
    Row{0, 999, Field::transport, {}, TransportError::tls, ErrorClass::transient},
    Row{0, 999, Field::transport, {}, TransportError::dns, ErrorClass::transient},
    Row{0, 999, Field::transport, {}, TransportError::protocol, ErrorClass::protocol},
    // Provider body signals.
    Row{400, 599, Field::type_code, "insufficient_quota", T, ErrorClass::quota},
    Row{400, 599, Field::type_code, "billing", T, ErrorClass::quota},
    Row{400, 499, Field::type_code, "context_length_exceeded", T, ErrorClass::context_window},
    Row{400, 499, Field::message, "prompt is too long", T, ErrorClass::context_window},
    Row{400, 499, Field::message, "maximum context length", T, ErrorClass::context_window},
    Row{400, 499, Field::type_code, "content_policy_violation", T, ErrorClass::content_policy},
    Row{400, 499, Field::type_code, "content_filter", T, ErrorClass::content_policy},
    Row{400, 599, Field::type_code, "overloaded_error", T, ErrorClass::transient},
    Row{400, 599, Field::type_code, "ThrottlingException", T, ErrorClass::rate_limited},
    Row{400, 599, Field::type_code, "ModelNotReadyException", T, ErrorClass::transient},  // Bedrock, 429
    Row{400, 599, Field::type_code, "ModelErrorException", T, ErrorClass::transient},     // Bedrock, 424
    Row{400, 599, Field::type_code, "model_not_found", T, ErrorClass::not_found},
    Row{400, 499, Field::type_code, "rate_limit", T, ErrorClass::rate_limited},
    Row{400, 499, Field::type_code, "invalid_api_key", T, ErrorClass::auth},  // Gemini: 400 API_KEY_INVALID
    // Status alone.
    Row{200, 299, Field::status, {}, T, ErrorClass::success},
    Row{401, 401, Field::status, {}, T, ErrorClass::auth},
    Row{402, 402, Field::status, {}, T, ErrorClass::quota},
    Row{403, 403, Field::status, {}, T, ErrorClass::auth},
    Row{404, 404, Field::status, {}, T, ErrorClass::not_found},
    Row{408, 408, Field::status, {}, T, ErrorClass::transient},
    Row{429, 429, Field::status, {}, T, ErrorClass::rate_limited},
    Row{400, 499, Field::status, {}, T, ErrorClass::invalid_request},
    Row{500, 599, Field::status, {}, T, ErrorClass::transient},
};

bool matches(const Row& row, const Outcome& o) noexcept {
    if (row.field == Field::transport) return o.transport == row.kind;
    if (o.transport != TransportError::none) return false;
    if (o.http_status < row.lo || o.http_status > row.hi) return false;
    switch (row.field) {
        case Field::status: return true;
        case Field::type_code:
            return contains_ci(o.error_type, row.needle) || contains_ci(o.error_code, row.needle);
        case Field::message: return contains_ci(o.error_message, row.needle);
        case Field::transport: break;
    }
    return false;
}

std::optional<double> parse_number(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    if (s.empty()) return std::nullopt;
    double v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size() || !std::isfinite(v) || v < 0)
        return std::nullopt;
    return v;
}

}  // namespace

ErrorClass classify(const Outcome& outcome) noexcept {
    for (const Row& row : kTable)
        if (matches(row, outcome)) return row.cls;
    // 1xx, 3xx, or no response at all: nothing usable came back.
    return ErrorClass::protocol;
}

std::optional<Nanos> retry_after(const Outcome& outcome) noexcept {
    // Cap absurd values so that the arithmetic below cannot overflow; a day is beyond any
    // request deadline anyway.
    constexpr double kMaxSeconds = 86400;
    if (auto ms = parse_number(outcome.retry_after_ms))
        return Nanos{static_cast<std::int64_t>(std::min(*ms / 1000.0, kMaxSeconds) * 1e9)};
    if (auto s = parse_number(outcome.retry_after))
        return Nanos{static_cast<std::int64_t>(std::min(*s, kMaxSeconds) * 1e9)};
    return std::nullopt;
}

std::string_view to_string(ErrorClass c) noexcept {
    switch (c) {
        case ErrorClass::success: return "success";
        case ErrorClass::transient: return "transient";
        case ErrorClass::timeout: return "timeout";
        case ErrorClass::rate_limited: return "rate_limited";
        case ErrorClass::quota: return "quota";
        case ErrorClass::auth: return "auth";
        case ErrorClass::not_found: return "not_found";
        case ErrorClass::context_window: return "context_window";
        case ErrorClass::content_policy: return "content_policy";
        case ErrorClass::invalid_request: return "invalid_request";
        case ErrorClass::protocol: return "protocol";
        case ErrorClass::cancelled: return "cancelled";
    }
    return "unknown";
}

std::string_view to_string(TransportError e) noexcept {
    switch (e) {
        case TransportError::none: return "none";
        case TransportError::connect_refused: return "connect_refused";
        case TransportError::connection_reset: return "connection_reset";
        case TransportError::connect_timeout: return "connect_timeout";
        case TransportError::first_byte_timeout: return "first_byte_timeout";
        case TransportError::idle_timeout: return "idle_timeout";
        case TransportError::tls: return "tls";
        case TransportError::dns: return "dns";
        case TransportError::protocol: return "protocol";
    }
    return "unknown";
}

}  // namespace sw
