// attempt_outcome.cpp — an attempt's result as an Outcome and, when it served, an answer.
#include "api/attempt_outcome.hpp"

#include <algorithm>

namespace sw::api {

namespace {

bool is_success(int status) { return status >= 200 && status < 300; }

// How long the provider said it has no room left, from x-ratelimit-remaining-* at 0.
Millis rate_limit_reset(const providers::RateLimitHeaders& h) {
    Millis reset{0};
    if (h.remaining_requests == 0u && h.reset_requests) reset = std::max(reset, *h.reset_requests);
    if (h.remaining_tokens == 0u && h.reset_tokens) reset = std::max(reset, *h.reset_tokens);
    return reset;
}

}  // namespace

AttemptVerdict judge_attempt(AttemptResult a, const providers::Adapter& adapter,
                             const providers::AnswerContext& context, providers::Endpoint endpoint, bool streaming,
                             bool content_delivered) {
    AttemptVerdict v;
    Outcome& o = v.outcome;
    const transport::HttpResult& http = a.http;
    o.http_status = http.status;
    o.transport = http.error;
    o.latency = http.elapsed;
    a.limits.apply_to(o);
    o.rate_limit_reset = rate_limit_reset(a.limits);
    o.content_delivered = content_delivered;
    const bool http_ok = http.error == TransportError::none && is_success(http.status);
    if (!is_success(http.status) && http.status != 0) {
        auto parsed = adapter.parse_response_from(context, endpoint, http.status, a.body);
        o.error_type = std::move(parsed.error_type);
        o.error_code = std::move(parsed.error_code);
        o.error_message = std::move(parsed.error_message);
    } else if (http_ok && streaming) {
        if (a.stopped() || !(a.done_seen || a.finish_seen)) {
            // A malformed event, an error inside the stream, or a body that ended without a
            // finish reason or [DONE]: never a success. An error the provider gave a meaning
            // (a blocked prompt, a rate limit) is classified by that meaning.
            if (a.stream_error && a.error_status != 0) o.http_status = a.error_status;
            else o.transport = TransportError::protocol;
            o.error_type = std::move(a.error_type);
            o.error_code = std::move(a.error_code);
            o.error_message = std::move(a.error_message);
        } else {
            o.usage = a.usage;
            v.answer = Answer{{}, std::move(a.text), std::move(a.finish_reason)};
        }
    } else if (http_ok) {
        auto parsed = adapter.parse_response_from(context, endpoint, http.status, a.body);
        if (!parsed.parsed && parsed.error_status != 0) {
            o.http_status = parsed.error_status;
            o.error_type = std::move(parsed.error_type);
            o.error_code = std::move(parsed.error_code);
            o.error_message = std::move(parsed.error_message);
        } else if (!parsed.parsed) {
            o.transport = TransportError::protocol;
        } else {
            o.usage = parsed.usage;
            v.answer = Answer{parsed.body.empty() ? std::move(a.body) : std::move(parsed.body), std::move(parsed.text),
                              std::move(parsed.finish_reason)};
        }
    }
    return v;
}

}  // namespace sw::api
