// attempt_exchange.cpp — reading one attempt's answer, whole or streamed.
#include "api/attempt_exchange.hpp"

namespace sw::api {

AttemptExchange::AttemptExchange(std::unique_ptr<providers::StreamDecoder> decoder,
                                 providers::StreamFraming framing, StreamGate& gate, std::size_t max_error_body,
                                 std::shared_ptr<AttemptSink> sink)
    : gate_(gate), max_error_body_(max_error_body), sink_(std::move(sink)), decoder_(std::move(decoder)) {
    if (decoder_)
        framer_ = providers::make_framer(framing, [this](std::string_view type, std::string_view data) { on_event(type, data); });
}

void AttemptExchange::on_status(int status) {
    result_.http.status = status;
    result_.limits.clear();  // headers of an interim (1xx) response say nothing about the final one
}

void AttemptExchange::on_header(std::string_view name, std::string_view value) {
    result_.limits.observe_header(name, value);
}

bool AttemptExchange::response_started() const {
    // A stream has started with its first event: SSE comments (keep-alives) are not a token.
    return !streaming_body() || framer_->events_dispatched() > 0;
}

bool AttemptExchange::streaming_body() const {
    return framer_ && result_.http.status >= 200 && result_.http.status < 300;
}

bool AttemptExchange::on_body(std::string_view bytes) {
    AttemptResult& r = result_;
    if (!streaming_body()) {
        // Whole bodies are parsed at the end; error bodies are kept only as far as needed.
        if (r.http.status >= 200 && r.http.status < 300) r.body.append(bytes);
        else if (r.body.size() < max_error_body_) r.body.append(bytes.substr(0, max_error_body_ - r.body.size()));
        return true;
    }
    framer_->feed(bytes);
    if (framer_->failed()) r.malformed = true;
    return !r.stopped();
}

void AttemptExchange::on_event(std::string_view type, std::string_view data) {
    AttemptResult& r = result_;
    if (r.stopped() || r.done_seen) return;
    providers::ParsedChunk chunk = decoder_->next(type, data);
    if (chunk.malformed) {
        r.malformed = true;
        return;
    }
    if (chunk.has_error) {
        r.stream_error = true;
        r.error_type = std::move(chunk.error_type);
        r.error_code = std::move(chunk.error_code);
        r.error_message = std::move(chunk.error_message);
        r.error_status = chunk.error_status;
        return;
    }
    if (chunk.done) {
        r.done_seen = true;
        return;
    }
    if (chunk.skip) return;
    if (!chunk.finish_reason.empty()) {
        r.finish_seen = true;
        r.finish_reason = chunk.finish_reason;
    }
    if (chunk.usage) r.usage = *chunk.usage;
    r.text += chunk.content;
    gate_.offer(chunk.translated.empty() ? data : std::string_view(chunk.translated), chunk.has_content);
}

void AttemptExchange::on_complete(const transport::HttpResult& result) {
    if (streaming_body() && !result_.done_seen && !result_.stopped()) framer_->finish();
    result_.http = result;
    // The sink may drop the last reference to this exchange's owner: keep it for the call.
    std::shared_ptr<AttemptSink> sink = sink_;
    sink->attempt_finished(std::move(result_));
}

}  // namespace sw::api
