// attempt_exchange.hpp — one attempt's HTTP exchange: it collects the status, the rate-limit
// headers and the body, and for a stream decodes each event as it arrives and offers its chunk to
// the request's stream gate. When the exchange ends it yields one value, AttemptResult, to its
// sink; it knows nothing else of the request driver.
#pragma once

#include "api/stream_gate.hpp"
#include "providers/adapter.hpp"
#include "providers/rate_limit_headers.hpp"
#include "transport/event_framer.hpp"
#include "transport/io.hpp"

#include <memory>
#include <string>

namespace sw::api {

// What one attempt's exchange gave.
struct AttemptResult {
    transport::HttpResult http;           // status, transport error, cancel, elapsed
    providers::RateLimitHeaders limits;   // Retry-After, retry-after-ms and x-ratelimit-*
    std::string body;  // a whole answer, or an error body (up to a cap)
    // A stream's own ending. stopped(): the exchange stopped itself because the stream broke (a
    // malformed event, an error event), which the transport reports as a cancel.
    bool done_seen = false;  // [DONE] or the protocol's equivalent
    bool finish_seen = false;
    bool malformed = false;
    bool stream_error = false;
    bool stopped() const { return malformed || stream_error; }
    std::string error_type, error_code, error_message;  // a stream error event's
    int error_status = 0;            // the stream error's HTTP meaning; 0 for a protocol failure
    std::string text, finish_reason;
    TokenUsage usage;
};

// Hears how an exchange ended, once.
class AttemptSink {
public:
    virtual ~AttemptSink() = default;
    virtual void attempt_finished(AttemptResult result) = 0;
};

class AttemptExchange final : public transport::HttpHandler {
public:
    // `decoder` is null for a request that does not stream; `gate` then goes unused. `gate`
    // must outlive the exchange (the sink, which owns it, is held until the end).
    AttemptExchange(std::unique_ptr<providers::StreamDecoder> decoder, providers::StreamFraming framing,
                    StreamGate& gate, std::size_t max_error_body, std::shared_ptr<AttemptSink> sink);

    void on_status(int status) override;
    void on_header(std::string_view name, std::string_view value) override;
    bool on_body(std::string_view bytes) override;
    bool response_started() const override;
    void on_complete(const transport::HttpResult& result) override;

private:
    void on_event(std::string_view type, std::string_view data);
    bool streaming_body() const;

    AttemptResult result_;
    StreamGate& gate_;
    std::size_t max_error_body_;
    std::shared_ptr<AttemptSink> sink_;
    std::unique_ptr<providers::StreamDecoder> decoder_;
    std::unique_ptr<transport::EventFramer> framer_;
};

}  // namespace sw::api
