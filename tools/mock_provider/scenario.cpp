// scenario.cpp — parses the SPEC grammar of the mock provider (see docs/mock-provider.md).
#include "scenario.hpp"

#include <charconv>

namespace mock {

namespace {

// Delays and counts are bounded so that a typo cannot schedule a timer for a century.
constexpr std::int64_t kMaxNumber = 86'400'000;

bool parse_number(std::string_view text, std::int64_t* out) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || value < 0 || value > kMaxNumber) return false;
    *out = value;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Returns an error message, or an empty string when the item was applied.
std::string apply_item(Scenario& s, std::string_view key, std::optional<std::string_view> value) {
    auto quoted = [&] { return "\"" + std::string(key) + "\""; };
    struct Flag {
        std::string_view name;
        bool Scenario::*field;
    };
    static constexpr Flag kFlags[] = {
        {"context_length", &Scenario::context_length}, {"content_policy", &Scenario::content_policy},
        {"quota", &Scenario::quota}, {"reset", &Scenario::reset}, {"hang", &Scenario::hang},
        {"no_done", &Scenario::no_done}, {"crlf", &Scenario::crlf}, {"garbage", &Scenario::garbage}};
    for (const Flag& f : kFlags) {
        if (key != f.name) continue;
        if (value) return "scenario flag " + quoted() + " takes no value";
        s.*f.field = true;
        return {};
    }

    struct Text {
        std::string_view name;
        std::string Scenario::*field;
    };
    static constexpr Text kTexts[] = {{"error_type", &Scenario::error_type},
                                      {"error_code", &Scenario::error_code},
                                      {"error_message", &Scenario::error_message},
                                      {"tool_call", &Scenario::tool_call}};
    for (const Text& t : kTexts) {
        if (key != t.name) continue;
        if (!value || value->empty()) return "scenario key " + quoted() + " needs a value";
        s.*t.field = std::string(*value);
        return {};
    }

    struct Number {
        std::string_view name;
        std::int64_t Scenario::*field;
    };
    static constexpr Number kNumbers[] = {
        {"fail_first", &Scenario::fail_first}, {"fail_every", &Scenario::fail_every},
        {"fail_for_ms", &Scenario::fail_for_ms},
        {"latency_ms", &Scenario::latency_ms},
        {"ttft_ms", &Scenario::ttft_ms},       {"chunk_delay_ms", &Scenario::chunk_delay_ms},
        {"chunks", &Scenario::chunks},         {"cut_after", &Scenario::cut_after},
        {"stall_after", &Scenario::stall_after}, {"malformed_at", &Scenario::malformed_at},
        {"stream_error_at", &Scenario::stream_error_at},
        {"expires_in", &Scenario::expires_in}};
    std::int64_t number = 0;
    auto need_number = [&]() -> std::string {
        if (!value) return "scenario key " + quoted() + " needs a value";
        if (!parse_number(*value, &number))
            return "scenario key " + quoted() + ": \"" + std::string(*value) + "\" is not a whole number in 0.." +
                   std::to_string(kMaxNumber);
        return {};
    };
    for (const Number& n : kNumbers) {
        if (key != n.name) continue;
        if (std::string e = need_number(); !e.empty()) return e;
        s.*n.field = number;
        return {};
    }

    if (key == "status") {
        if (std::string e = need_number(); !e.empty()) return e;
        if (number == 200) return {};
        if (number < 400 || number > 599) return "scenario key \"status\" must be 200 or 400..599";
        s.status = static_cast<int>(number);
        return {};
    }
    if (key == "retry_after" || key == "retry_after_ms") {
        if (std::string e = need_number(); !e.empty()) return e;
        (key == "retry_after" ? s.retry_after : s.retry_after_ms) = std::to_string(number);
        return {};
    }
    if (key == "redirect") {
        if (std::string e = need_number(); !e.empty()) return e;
        if (number < 1 || number > 65535) return "scenario key \"redirect\" must be a port in 1..65535";
        s.redirect_port = static_cast<int>(number);
        return {};
    }
    return "unknown scenario key " + quoted();
}

}  // namespace

void Scenario::clear_faults() {
    Scenario healthy;
    healthy.latency_ms = latency_ms;
    healthy.ttft_ms = ttft_ms;
    healthy.chunk_delay_ms = chunk_delay_ms;
    healthy.chunks = chunks;
    healthy.crlf = crlf;
    healthy.tool_call = std::move(tool_call);
    healthy.expires_in = expires_in;
    *this = std::move(healthy);
}

void Scenario::filter_faults(std::uint64_t number, std::int64_t ms_since_first) {
    const bool exempt = (fail_first >= 0 && number > static_cast<std::uint64_t>(fail_first)) ||
                        (fail_every > 0 && number % static_cast<std::uint64_t>(fail_every) != 0) ||
                        (fail_for_ms >= 0 && ms_since_first >= fail_for_ms);
    if (exempt) clear_faults();
}

std::optional<Scenario> parse_scenario(std::string_view spec, std::string* error) {
    Scenario s;
    while (!spec.empty()) {
        std::size_t comma = spec.find(',');
        std::string_view item = trim(spec.substr(0, comma));
        spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
        if (item.empty()) continue;
        std::size_t eq = item.find('=');
        std::string_view key = trim(item.substr(0, eq));
        std::optional<std::string_view> value;
        if (eq != std::string_view::npos) value = trim(item.substr(eq + 1));
        if (std::string e = apply_item(s, key, value); !e.empty()) {
            *error = std::move(e);
            return std::nullopt;
        }
    }
    return s;
}

}  // namespace mock
