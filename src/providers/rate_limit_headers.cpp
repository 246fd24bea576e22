// rate_limit_headers.cpp — parsing retry and rate-limit response headers.
#include "providers/rate_limit_headers.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace sw::providers {

namespace {

char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

std::string_view trim(std::string_view s) noexcept {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

std::optional<std::uint64_t> parse_count(std::string_view s) noexcept {
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t n = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
}

// A non-negative decimal number at the front of `s`; advances `s` past it.
std::optional<double> take_number(std::string_view& s) noexcept {
    std::size_t i = 0;
    double whole = 0;
    bool digits = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        whole = whole * 10 + (s[i++] - '0');
        digits = true;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        double scale = 0.1;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            whole += (s[i++] - '0') * scale;
            scale /= 10;
            digits = true;
        }
    }
    if (!digits) return std::nullopt;
    s.remove_prefix(i);
    return whole;
}

}  // namespace

std::optional<Millis> parse_reset_duration(std::string_view text) noexcept {
    std::string_view s = trim(text);
    if (s.empty()) return std::nullopt;
    double total_ms = 0;
    bool any = false;
    while (!s.empty()) {
        const std::optional<double> n = take_number(s);
        if (!n) return std::nullopt;
        double unit_ms;
        if (s.empty()) {
            if (any) return std::nullopt;  // "1m30" is ambiguous: refuse it
            unit_ms = 1000;                // a bare number is seconds
        } else if (s.starts_with("ms")) {
            unit_ms = 1, s.remove_prefix(2);
        } else if (s.starts_with("us")) {
            unit_ms = 1e-3, s.remove_prefix(2);
        } else if (s.starts_with("\xC2\xB5s")) {  // µs
            unit_ms = 1e-3, s.remove_prefix(3);
        } else if (s.starts_with("ns")) {
            unit_ms = 1e-6, s.remove_prefix(2);
        } else if (s.front() == 'h') {
            unit_ms = 3600e3, s.remove_prefix(1);
        } else if (s.front() == 'm') {
            unit_ms = 60e3, s.remove_prefix(1);
        } else if (s.front() == 's') {
            unit_ms = 1e3, s.remove_prefix(1);
        } else {
            return std::nullopt;
        }
        total_ms += *n * unit_ms;
        any = true;
    }
    // Rounded up, with a little tolerance for binary fractions (0.1 + 0.2 ...).
    const double ms = std::ceil(total_ms - 1e-6);
    if (!(ms < 1e15)) return std::nullopt;  // absurd; also catches NaN
    return Millis(static_cast<Millis::rep>(std::max(ms, 0.0)));
}

bool RateLimitHeaders::observe_header(std::string_view name, std::string_view value) {
    name = trim(name);
    value = trim(value);
    if (iequals(name, "retry-after")) {
        retry_after.assign(value);
    } else if (iequals(name, "retry-after-ms")) {
        retry_after_ms.assign(value);
    } else if (iequals(name, "x-ratelimit-limit-requests")) {
        limit_requests = parse_count(value);
    } else if (iequals(name, "x-ratelimit-limit-tokens")) {
        limit_tokens = parse_count(value);
    } else if (iequals(name, "x-ratelimit-remaining-requests")) {
        remaining_requests = parse_count(value);
    } else if (iequals(name, "x-ratelimit-remaining-tokens")) {
        remaining_tokens = parse_count(value);
    } else if (iequals(name, "x-ratelimit-reset-requests")) {
        reset_requests = parse_reset_duration(value);
    } else if (iequals(name, "x-ratelimit-reset-tokens")) {
        reset_tokens = parse_reset_duration(value);
    } else {
        return false;
    }
    return true;
}

bool RateLimitHeaders::observe_header_line(std::string_view line) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;  // status line or the blank end line
    return observe_header(line.substr(0, colon), line.substr(colon + 1));
}

void RateLimitHeaders::apply_to(Outcome& outcome) const {
    outcome.retry_after = retry_after;
    outcome.retry_after_ms = retry_after_ms;
}

void RateLimitHeaders::clear() { *this = RateLimitHeaders{}; }

}  // namespace sw::providers
