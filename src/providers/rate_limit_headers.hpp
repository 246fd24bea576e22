// rate_limit_headers.hpp — reading retry and rate-limit response headers, one line at a time.
#pragma once

#include <switch/config.hpp>
#include <switch/outcome.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sw::providers {

// What the rate-limit headers of one response said. Fed header by header, because curl
// delivers header lines one at a time; names are matched case-insensitively.
struct RateLimitHeaders {
    // Raw values, trimmed, as Outcome keeps them (classify and retry_after() parse them).
    std::string retry_after;
    std::string retry_after_ms;
    std::optional<std::uint64_t> limit_requests;      // x-ratelimit-limit-requests
    std::optional<std::uint64_t> limit_tokens;        // x-ratelimit-limit-tokens
    std::optional<std::uint64_t> remaining_requests;  // x-ratelimit-remaining-requests
    std::optional<std::uint64_t> remaining_tokens;    // x-ratelimit-remaining-tokens
    std::optional<Millis> reset_requests;             // x-ratelimit-reset-requests
    std::optional<Millis> reset_tokens;               // x-ratelimit-reset-tokens

    // Records one header. Returns true when the name is one of the above (even if its value
    // did not parse, in which case the field stays unset).
    bool observe_header(std::string_view name, std::string_view value);
    // The same for a raw header line, "Name: value\r\n"; status lines and blank lines are
    // ignored. A new status line (after a redirect or a 100 Continue) does not reset: call
    // clear() when the transport sees one.
    bool observe_header_line(std::string_view line);
    // Copies the retry headers into the outcome.
    void apply_to(Outcome& outcome) const;
    void clear();
};

// A rate-limit reset duration: Go-style sequences such as "1s", "6m0s", "20ms", "1h2m3.5s",
// "250us", or a bare number of seconds ("2", "0.5"). Rounded up to whole milliseconds, so a
// caller never retries early. Nullopt for anything else, negative values included.
std::optional<Millis> parse_reset_duration(std::string_view text) noexcept;

}  // namespace sw::providers
