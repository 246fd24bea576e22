// outcome.hpp — what one attempt returned, and the error class that decides what happens next.
#pragma once

#include <switch/clock.hpp>
#include <switch/config.hpp>
#include <switch/switch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sw {

// The error classes of the behaviour contract (semantics.md, "Error classes").
enum class ErrorClass : std::uint8_t {
    success,
    transient,        // 5xx, 529, 408, reset, refused: retry with backoff, then fail over
    timeout,          // connect, first-byte or idle timeout: fail over
    rate_limited,     // 429: cooldown, fail over at once
    quota,            // 402, insufficient_quota, billing: fail over, permanent path
    auth,             // 401, 403: fail over, permanent path
    not_found,        // 404, model not found: fail over, permanent path
    context_window,   // prompt too long: no retry, no failover
    content_policy,   // the provider refused the content: the reason goes back to the caller
    invalid_request,  // other 400 / 422: the caller's error
    protocol,         // malformed JSON or SSE, truncated body, no HTTP response: fail over
    cancelled         // the caller cancelled, or the router shut down: no attempt's verdict
};

// A failure below HTTP, as the transport reports it.
enum class TransportError : std::uint8_t {
    none,
    connect_refused,
    connection_reset,
    connect_timeout,
    first_byte_timeout,
    idle_timeout,
    tls,
    dns,
    protocol  // unparseable response, malformed SSE, truncated body
};

struct TokenUsage {
    std::uint64_t input_tokens = 0;
    std::uint64_t output_tokens = 0;
    std::uint64_t total() const { return input_tokens + output_tokens; }
};

// The result of one attempt, filled by the transport and the provider adapter.
struct Outcome {
    int http_status = 0;  // 0 when no HTTP response arrived
    TransportError transport = TransportError::none;
    // From the provider's error body: `error.type`, `error.code`, `error.message` (or the
    // provider's equivalents, e.g. Bedrock's `__type`).
    std::string error_type;
    std::string error_code;
    std::string error_message;
    // Raw values of the `Retry-After` and `retry-after-ms` response headers, if present.
    std::string retry_after;
    std::string retry_after_ms;
    // From `x-ratelimit-remaining-requests` / `-tokens` at 0: the provider has no room for this
    // long (its `x-ratelimit-reset-*`). Whatever the outcome, the provider cools down that long.
    Millis rate_limit_reset{0};
    Nanos latency{0};  // of the exchange, on the router's clock
    TokenUsage usage;
    // Streaming: true once any content byte has reached the caller. After that a failure ends
    // the stream and is never retried or failed over.
    bool content_delivered = false;
};

// Classifies an outcome. One table, first matching row wins (see classify.cpp). Thread-safe.
SW_API ErrorClass classify(const Outcome& outcome) noexcept;

// The delay the provider asked for: `retry-after-ms` if parseable, else `Retry-After` in
// (possibly fractional) seconds. HTTP-date values are ignored (routing has no wall clock).
SW_API std::optional<Nanos> retry_after(const Outcome& outcome) noexcept;

SW_API std::string_view to_string(ErrorClass c) noexcept;
SW_API std::string_view to_string(TransportError e) noexcept;

}  // namespace sw
