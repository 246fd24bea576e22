// scenario.hpp — the fault script of one request, parsed from a SPEC such as "status=503,fail_first=2".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mock {

// Every field's default means "behave like a healthy provider". Counts and delays are >= 0;
// -1 marks a stream fault that is off.
struct Scenario {
    // Error answers. status 0 means success; a set status is always 400..599.
    int status = 0;
    std::string error_type;
    std::string error_code;
    std::string error_message;
    bool context_length = false;
    bool content_policy = false;
    bool quota = false;
    int redirect_port = -1;
    bool reset = false;
    bool hang = false;
    bool garbage = false;  // a 200 whose body is not the protocol's JSON

    // Token endpoint: the expires_in of the tokens it issues.
    std::int64_t expires_in = 3600;

    // Extra response headers, verbatim; empty means absent.
    std::string retry_after;
    std::string retry_after_ms;

    // The faults apply to the first fail_first attempts of a scenario key only; -1 means always.
    std::int64_t fail_first = -1;
    // The faults apply to every fail_every-th attempt of a key only (N, 2N, ...); -1 means always.
    // A steady fault rate for soak tests: fail_every=5 fails 20 % of attempts.
    std::int64_t fail_every = -1;
    // The faults apply to the attempts of a key within fail_for_ms of its first attempt (since
    // the last reset) only; -1 means always. An outage of a fixed length, then recovery.
    std::int64_t fail_for_ms = -1;

    // Timing, in milliseconds.
    std::int64_t latency_ms = 0;
    std::int64_t ttft_ms = 0;
    std::int64_t chunk_delay_ms = 0;

    // Streams.
    std::int64_t chunks = 5;
    std::int64_t cut_after = -1;
    std::int64_t stall_after = -1;
    std::int64_t malformed_at = -1;
    std::int64_t stream_error_at = -1;  // content chunk N is replaced by an error event, then the end
    bool no_done = false;
    bool crlf = false;

    // The answer calls this tool (after its text, or instead of it where the dialect says so);
    // not a fault: fail_first keeps it.
    std::string tool_call;

    // Keeps timing, chunking and line endings, and drops every fault: what an attempt past
    // fail_first gets.
    void clear_faults();
    // Drops the faults when fail_first, fail_every or fail_for_ms exempt this attempt: the
    // key's `number`-th since the last reset, `ms_since_first` after its first.
    void filter_faults(std::uint64_t number, std::int64_t ms_since_first);
};

// Parses SPEC (comma-separated `key=value` items and bare flags). On a bad item returns nothing
// and sets *error to a message that names the item, so a typo in a test fails loudly.
std::optional<Scenario> parse_scenario(std::string_view spec, std::string* error);

}  // namespace mock
