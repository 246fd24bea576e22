// trace_context.cpp — W3C traceparent read and written, and attempts' span ids (tracing.hpp).
#include <switch/tracing.hpp>

#include <fmt/format.h>

namespace sw {

namespace {

// `digits` lowercase hex digits as a number; nullopt for anything else. W3C allows only
// lowercase.
std::optional<std::uint64_t> hex(std::string_view digits) noexcept {
    std::uint64_t v = 0;
    for (char c : digits) {
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else return std::nullopt;
        v = (v << 4) | static_cast<std::uint64_t>(d);
    }
    return v;
}

}  // namespace

std::optional<TraceContext> parse_traceparent(std::string_view h) noexcept {
    // version "-" trace-id "-" parent-id "-" trace-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55.
    if (h.size() < 55 || h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
    const auto version = hex(h.substr(0, 2));
    if (!version || *version == 0xff) return std::nullopt;
    // Version 00 is exactly 55 characters; a later version may add fields after a dash.
    if (*version == 0 ? h.size() != 55 : (h.size() > 55 && h[55] != '-')) return std::nullopt;
    const auto high = hex(h.substr(3, 16)), low = hex(h.substr(19, 16));
    const auto parent = hex(h.substr(36, 16));
    const auto flags = hex(h.substr(53, 2));
    if (!high || !low || !parent || !flags) return std::nullopt;
    TraceContext context;
    context.trace_id = {*high, *low};
    context.parent_span_id = *parent;
    context.flags = static_cast<std::uint8_t>(*flags);
    if (!context.trace_id.valid() || context.parent_span_id == 0) return std::nullopt;
    return context;
}

std::string format_traceparent(const TraceId& trace_id, std::uint64_t span_id, std::uint8_t flags) {
    return fmt::format("00-{:016x}{:016x}-{:016x}-{:02x}", trace_id.high, trace_id.low, span_id, flags);
}

std::uint64_t attempt_span_id(std::uint64_t request_span_id, int attempt_number) noexcept {
    // SplitMix64's finaliser over the request's span and the attempt number: distinct attempts
    // of one request get unrelated ids, and none is the request's own.
    std::uint64_t z = request_span_id + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(attempt_number);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return z != 0 ? z : 1;
}

std::string_view to_string(SpanKind kind) noexcept { return kind == SpanKind::client ? "client" : "internal"; }

}  // namespace sw
