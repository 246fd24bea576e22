// test_classify.cpp — the outcome classification table, row by row, and Retry-After parsing.
#include "routing_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace swtest;
using sw::ErrorClass;
using sw::TransportError;

namespace {

sw::Outcome body(int status, std::string type, std::string code, std::string message) {
    sw::Outcome o;
    o.http_status = status;
    o.error_type = std::move(type);
    o.error_code = std::move(code);
    o.error_message = std::move(message);
    return o;
}

struct Case {
    const char* what;
    sw::Outcome outcome;
    ErrorClass expected;
};

}  // namespace

TEST_CASE("classify: every row of the table") {
    const Case cases[] = {
        // Transport failures.
        {"connect timeout", net(TransportError::connect_timeout), ErrorClass::timeout},
        {"first-byte timeout", net(TransportError::first_byte_timeout), ErrorClass::timeout},
        {"idle timeout", net(TransportError::idle_timeout), ErrorClass::timeout},
        {"connection refused", net(TransportError::connect_refused), ErrorClass::transient},
        {"connection reset", net(TransportError::connection_reset), ErrorClass::transient},
        {"TLS error", net(TransportError::tls), ErrorClass::transient},
        {"DNS error", net(TransportError::dns), ErrorClass::transient},
        {"malformed body", net(TransportError::protocol), ErrorClass::protocol},
        {"transport error wins over a 200", [] { auto o = ok(); o.transport = TransportError::protocol; return o; }(),
         ErrorClass::protocol},
        // Provider body signals.
        {"429 insufficient_quota (OpenAI)", body(429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota"),
         ErrorClass::quota},
        {"400 billing_not_active", body(400, "", "billing_not_active", ""), ErrorClass::quota},
        {"400 context_length_exceeded", body(400, "invalid_request_error", "context_length_exceeded", ""),
         ErrorClass::context_window},
        {"400 prompt is too long (Anthropic)", body(400, "invalid_request_error", "", "prompt is too long: 210000 tokens > 200000 maximum"),
         ErrorClass::context_window},
        {"400 maximum context length", body(400, "", "", "This model's maximum context length is 8192 tokens"),
         ErrorClass::context_window},
        {"400 content_policy_violation", body(400, "invalid_request_error", "content_policy_violation", "Your request was rejected"),
         ErrorClass::content_policy},
        {"400 content_filter (Azure)", body(400, "", "content_filter", "filtered"), ErrorClass::content_policy},
        {"529 overloaded_error (Anthropic)", body(529, "overloaded_error", "", "Overloaded"), ErrorClass::transient},
        {"400 ThrottlingException (Bedrock)", body(400, "ThrottlingException", "", "Rate exceeded"), ErrorClass::rate_limited},
        {"429 ModelNotReadyException (Bedrock)", body(429, "ModelNotReadyException", "", "not ready"), ErrorClass::transient},
        {"424 ModelErrorException (Bedrock)", body(424, "ModelErrorException", "", "model failed"), ErrorClass::transient},
        {"404 model_not_found", body(404, "invalid_request_error", "model_not_found", ""), ErrorClass::not_found},
        {"400 model_not_found", body(400, "", "model_not_found", ""), ErrorClass::not_found},
        {"400 rate_limit_exceeded", body(400, "", "rate_limit_exceeded", ""), ErrorClass::rate_limited},
        {"400 invalid_api_key (Gemini's API_KEY_INVALID)", body(400, "authentication_error", "invalid_api_key", "API key not valid"),
         ErrorClass::auth},
        // Status alone.
        {"200", ok(), ErrorClass::success},
        {"201", http(201), ErrorClass::success},
        {"401", http(401), ErrorClass::auth},
        {"402", http(402), ErrorClass::quota},
        {"403", http(403), ErrorClass::auth},
        {"404", http(404), ErrorClass::not_found},
        {"408", http(408), ErrorClass::transient},
        {"429", http(429), ErrorClass::rate_limited},
        {"429 rate_limit_error", body(429, "rate_limit_error", "", ""), ErrorClass::rate_limited},
        {"400", http(400), ErrorClass::invalid_request},
        {"422", http(422), ErrorClass::invalid_request},
        {"413", http(413), ErrorClass::invalid_request},
        {"500", http(500), ErrorClass::transient},
        {"502", http(502), ErrorClass::transient},
        {"503", http(503), ErrorClass::transient},
        {"504", http(504), ErrorClass::transient},
        {"529", http(529), ErrorClass::transient},
        {"no response", http(0), ErrorClass::protocol},
        {"302", http(302), ErrorClass::protocol},
        {"100", http(100), ErrorClass::protocol},
        // Signals are matched case-insensitively.
        {"upper-case code", body(400, "", "CONTEXT_LENGTH_EXCEEDED", ""), ErrorClass::context_window},
        // A 500 mentioning a quota word in its message is still a server error.
        {"500 with context message", body(500, "", "", "prompt is too long"), ErrorClass::transient},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        CHECK(sw::classify(c.outcome) == c.expected);
    }
}

TEST_CASE("retry_after: retry-after-ms wins, then Retry-After seconds") {
    sw::Outcome o = http(429);
    CHECK_FALSE(sw::retry_after(o).has_value());
    o.retry_after = "2";
    CHECK(sw::retry_after(o) == sw::Nanos{2s});
    o.retry_after = "1.5";
    CHECK(sw::retry_after(o) == sw::Nanos{1500ms});
    o.retry_after_ms = "250";
    CHECK(sw::retry_after(o) == sw::Nanos{250ms});
    o.retry_after_ms = "garbage";
    CHECK(sw::retry_after(o) == sw::Nanos{1500ms});
    o.retry_after = "Wed, 21 Oct 2015 07:28:00 GMT";  // HTTP-date: ignored
    CHECK_FALSE(sw::retry_after(o).has_value());
    o.retry_after = "-3";
    CHECK_FALSE(sw::retry_after(o).has_value());
}

TEST_CASE("error class names") {
    CHECK(sw::to_string(ErrorClass::rate_limited) == "rate_limited");
    CHECK(sw::to_string(ErrorClass::context_window) == "context_window");
    CHECK(sw::to_string(TransportError::first_byte_timeout) == "first_byte_timeout");
}
