// request_driver.cpp — one request on its I/O thread: attempts, failover, streaming rules.
#include "api/request_driver.hpp"

#include "common/json_writer.hpp"
#include "common/notify.hpp"
#include "routing/cost.hpp"

#include <fmt/format.h>

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

// The status a failed request reports to its caller.
int status_for(const RouteResult& r) {
    switch (r.error) {
        case RouteError::none: return 200;
        case RouteError::unknown_model: return 404;
        case RouteError::deadline_exceeded: return 504;
        case RouteError::rejected: {
            for (auto it = r.attempts.rbegin(); it != r.attempts.rend(); ++it)
                if (it->http_status >= 400 && it->http_status < 500) return it->http_status;
            return 400;
        }
        case RouteError::exhausted:
        case RouteError::attempts_exceeded:
            return r.error_class == ErrorClass::rate_limited ? 429 : 502;
        case RouteError::stream_interrupted: return 502;
        case RouteError::cancelled: return 499;
        case RouteError::would_deadlock: return 400;
    }
    return 502;
}

}  // namespace

RequestOptions routing_options(RequestId id, const providers::RequestCheck& check, const ChatOptions& chat) {
    RequestOptions ro;
    ro.request_id = id;
    ro.deadline = chat.deadline;
    ro.streaming = check.stream;
    ro.estimated_tokens = check.estimated_tokens;
    return ro;
}

void report_request_finished(RouterObserver& observer, RequestId id, providers::Endpoint endpoint, bool streaming,
                             const ChatResponse& response, TimePoint submitted,
                             std::optional<TimePoint> first_content, TimePoint now) {
    std::optional<Nanos> ttft;
    if (first_content) ttft = *first_content - submitted;
    const RequestFinishedEvent e{.time = now,
                                 .request = id,
                                 .operation = endpoint == providers::Endpoint::embeddings ? "embeddings" : "chat",
                                 .streaming = streaming,
                                 .status = response.status,
                                 .error_class = response.error_class,
                                 .trace = response.trace,
                                 .cost_usd = response.cost_usd,
                                 .latency = now - submitted,
                                 .time_to_first_token = ttft};
    notify(observer, &RouterObserver::on_request_finished, e);
}

// ---- RequestDriver ---------------------------------------------------------------------------

RequestDriver::RequestDriver(DriverHost& host, RequestId id, std::shared_ptr<const Generation> generation,
                             providers::Endpoint endpoint, std::string request_json, providers::RequestCheck check,
                             AttemptLoop loop, ChunkCallback on_chunk, DoneCallback done, TimePoint submitted)
    : host_(host),
      id_(id),
      generation_(std::move(generation)),
      endpoint_(endpoint),
      request_json_(std::move(request_json)),
      check_(std::move(check)),
      loop_(std::move(loop)),
      on_chunk_(std::move(on_chunk)),
      done_(std::move(done)),
      submitted_(submitted) {}

void RequestDriver::step() {
    if (finished_) return;
    if (cancelled_ || host_.io().loop.stopping()) {
        ChatResponse r;
        r.status = 499;
        r.error = cancelled_ ? "cancelled" : "the router is shutting down";
        r.error_class = ErrorClass::cancelled;
        r.trace = loop_.take_result();
        r.trace.ok = false;
        r.trace.error = RouteError::cancelled;
        r.trace.error_class = ErrorClass::cancelled;
        finish(std::move(r));
        return;
    }
    const TimePoint now = host_.io().loop.clock().now();
    AttemptLoop::Action action = loop_.next(now);
    switch (action.kind) {
        case AttemptLoop::Action::Kind::attempt: send(action.attempt); break;
        case AttemptLoop::Action::Kind::wait: {
            auto self = shared_from_this();
            host_.io().loop.post_at(action.wait_until, [self] { self->step(); });
            break;
        }
        case AttemptLoop::Action::Kind::done: finish(response_from(loop_.take_result())); break;
    }
}

void RequestDriver::send(const AttemptRequest& attempt) {
    provider_ = attempt.provider;
    adapter_ = &providers::adapter_for(*provider_);
    if (provider_->credentials_ref.empty()) {
        send_with(attempt, credentials::CredentialResult{});
        return;
    }
    // At once when the store's credentials are cached; after a token exchange otherwise. A
    // cancel meanwhile finishes the request at once (nothing is in flight), and this is a no-op.
    auto self = shared_from_this();
    const std::uint64_t wait = ++credential_wait_;
    auto ready = [self, attempt, wait](const credentials::CredentialResult& c) {
        if (self->credential_wait_ != wait) return;  // given up on: the attempt already timed out
        ++self->credential_wait_;
        self->send_with(attempt, c);
    };
    generation_->credentials[host_.io_thread_index()]->acquire(provider_->credentials_ref, std::move(ready));
    if (credential_wait_ == wait) {
        // A token exchange is under way. Waiting for it is part of the attempt, so the provider's
        // timeout (clipped to the request deadline) bounds it, as it bounds a slow answer.
        host_.io().loop.post_at(host_.io().loop.clock().now() + attempt.timeout,
                               [self, wait] { self->credentials_late(wait); });
    }
}

void RequestDriver::credentials_late(std::uint64_t wait) {
    if (finished_ || credential_wait_ != wait) return;
    ++credential_wait_;
    Outcome failed;
    failed.transport = TransportError::first_byte_timeout;
    failed.error_code = "credentials_timeout";
    report_local_failure(failed, fmt::format("credential store \"{}\": the token exchange did not finish within the "
                                             "attempt's timeout",
                                             provider_->credentials_ref));
}

void RequestDriver::send_with(const AttemptRequest& attempt, const credentials::CredentialResult& credentials) {
    if (finished_) return;
    Outcome failed;
    if (!credentials.ok()) {
        // No credentials means this provider cannot be used now: an authentication failure, so
        // the request fails over. The reason names the store and variable, never a value.
        failed.http_status = 401;
        failed.error_code = "credentials_unavailable";
        report_local_failure(failed, credentials.error);
        return;
    }
    const auto wall_time = std::chrono::system_clock::now();
    stamp_ = providers::ResponseStamp::draw(wall_time, *host_.options().random);
    const providers::AttemptContext context{*provider_, generation_->config->find_model(loop_.result().model),
                                            credentials.view, wall_time, stamp_};
    std::string prepare_error;
    auto prepared = adapter_->prepare(endpoint_, request_json_, context, prepare_error);
    if (!prepared) {
        failed.transport = TransportError::protocol;
        failed.error_code = "unsupported_request";
        report_local_failure(failed, std::move(prepare_error));
        return;
    }
    const RouterOptions& opts = host_.options();
    transport::HttpRequest request;
    request.url = std::move(prepared->url);
    request.headers = std::move(prepared->headers);
    request.body = std::move(prepared->body);
    request.connect_timeout = std::min(opts.connect_timeout, attempt.timeout);
    request.verify_tls = !provider_->insecure_skip_tls_verify_for_loopback_tests;
    request.max_response_bytes = opts.max_response_bytes;
    timers_cut_to_deadline_ = attempt.timeout < provider_->timeout;
    if (check_.stream) {
        // A stream may run long: the provider's timeout bounds the wait for its first byte,
        // the idle timeout each silence after that, and the request deadline the whole.
        request.first_byte_timeout = attempt.timeout;
        request.idle_timeout = opts.stream_idle_timeout;
        auto left = std::chrono::duration_cast<Millis>(attempt.deadline - host_.io().loop.clock().now());
        request.total_timeout = std::max(Millis(1), left);
    } else {
        request.total_timeout = attempt.timeout;
    }
    auto handler = std::make_shared<AttemptHandler>(
        shared_from_this(), check_.stream ? adapter_->open_stream(context) : nullptr, 64 * 1024);
    in_flight_ = true;
    exchange_ = host_.io().http.submit(std::move(request), std::move(handler));
}

void RequestDriver::cancel() {
    if (finished_ || cancelled_) return;
    cancelled_ = true;
    if (in_flight_) host_.io().http.cancel(exchange_);  // its completion finishes the request
    else step();  // waiting for a backoff or for credentials: finish now
}

void RequestDriver::mark_content_delivered() {
    content_delivered_ = true;
    if (!first_content_ && host_.observer()) first_content_ = host_.io().loop.clock().now();
}

void RequestDriver::deliver(std::string_view chunk_json) {
    if (on_chunk_) on_chunk_(chunk_json);
}

void RequestDriver::attempt_finished(AttemptHandler& a, const transport::HttpResult& result) {
    in_flight_ = false;
    if (result.cancelled && !a.malformed && !a.stream_error) {
        step();  // cancelled by the caller or by shutdown
        return;
    }
    // An attempt whose timers were cut to the time the request had left, and that timed out,
    // used up the request's deadline, whatever the clock says a moment later.
    // (A whole answer's idle timeout is its total one; a stream's is its own.)
    deadline_spent_ = timers_cut_to_deadline_ && (result.error == TransportError::first_byte_timeout ||
                                                  result.error == TransportError::connect_timeout ||
                                                  (!check_.stream && result.error == TransportError::idle_timeout));
    Outcome o;
    o.http_status = result.status;
    o.transport = result.error;
    o.latency = result.elapsed;
    a.limits.apply_to(o);
    o.rate_limit_reset = rate_limit_reset(a.limits);
    o.content_delivered = content_delivered_;
    const bool http_ok = result.error == TransportError::none && is_success(result.status);
    if (!is_success(result.status) && result.status != 0) {
        auto parsed = adapter_->parse_response_from({*provider_, stamp_}, endpoint_, result.status, a.body);
        o.error_type = parsed.error_type;
        o.error_code = parsed.error_code;
        o.error_message = parsed.error_message;
    } else if (http_ok && check_.stream) {
        if (a.malformed || a.stream_error || !(a.done_seen || a.finish_seen)) {
            // A malformed event, an error inside the stream, or a body that ended without a
            // finish reason or [DONE]: never a success. An error the provider gave a meaning
            // (a blocked prompt, a rate limit) is classified by that meaning.
            if (a.stream_error && a.error_status != 0) o.http_status = a.error_status;
            else o.transport = TransportError::protocol;
            o.error_type = a.error_type;
            o.error_code = a.error_code;
            o.error_message = a.error_message;
        } else {
            // A stream that succeeded without any content (e.g. an empty answer) still owes
            // the caller the chunks it held back.
            for (const auto& h : a.held) deliver(h);
            a.held.clear();
            o.usage = a.usage;
            text_ = std::move(a.text);
            finish_reason_ = std::move(a.finish_reason);
        }
    } else if (http_ok) {
        auto parsed = adapter_->parse_response_from({*provider_, stamp_}, endpoint_, result.status, a.body);
        if (!parsed.parsed && parsed.error_status != 0) {
            o.http_status = parsed.error_status;
            o.error_type = std::move(parsed.error_type);
            o.error_code = std::move(parsed.error_code);
            o.error_message = std::move(parsed.error_message);
        } else if (!parsed.parsed) {
            o.transport = TransportError::protocol;
        } else {
            o.usage = parsed.usage;
            body_ = parsed.body.empty() ? std::move(a.body) : std::move(parsed.body);
            text_ = std::move(parsed.text);
            finish_reason_ = std::move(parsed.finish_reason);
        }
    }
    report(o);
}

void RequestDriver::report_local_failure(Outcome& outcome, std::string reason) {
    std::string line = fmt::format("; provider \"{}\": {}", provider_->name, reason);
    if (local_failures_.find(line) == std::string::npos) local_failures_ += line;
    outcome.error_message = std::move(reason);
    report(outcome);
}

void RequestDriver::report(const Outcome& outcome) {
    loop_.report(outcome, host_.io().loop.clock().now());
    step();
}

ChatResponse RequestDriver::response_from(RouteResult trace) {
    ChatResponse r;
    r.trace = std::move(trace);
    const RouteResult& result = r.trace;
    r.status = status_for(result);
    r.error_class = result.error_class;
    if (result.ok) {
        r.error_class = ErrorClass::success;
        r.body = std::move(body_);
        r.text = std::move(text_);
        r.finish_reason = std::move(finish_reason_);
        r.usage = result.usage;
        if (provider_) r.cost_usd = routing::cost_of(*provider_, result.usage);
    } else {
        r.error = result.message.empty() ? std::string(to_string(result.error)) : result.message;
        r.error += local_failures_;
        // However the last attempt ended, a request that used up its deadline timed out. A
        // stream's whole-attempt timer is the time left rounded down to whole milliseconds, so
        // it can end up to 1 ms before the deadline.
        const bool past_deadline = host_.io().loop.clock().now() + Millis(1) >= loop_.deadline();
        if (result.error != RouteError::rejected && (deadline_spent_ || past_deadline)) {
            r.status = 504;
            r.error = "deadline exceeded; " + r.error;
        }
    }
    return r;
}

void RequestDriver::finish(ChatResponse response) {
    if (finished_) return;
    finished_ = true;
    if (check_.stream && content_delivered_ && !response.ok() && on_chunk_) {
        // The caller already has part of an answer: say plainly that it is incomplete.
        JsonWriter w;
        w.begin_object().key("error").begin_object();
        w.key("type").string("stream_interrupted").key("message").string(response.error);
        w.end_object().end_object();
        on_chunk_(w.take());
    }
    // Before the done callback, so that whoever the caller asks next (metrics, a ledger) has it.
    if (RouterObserver* o = host_.observer())
        report_request_finished(*o, id_, endpoint_, check_.stream, response, submitted_, first_content_,
                                host_.io().loop.clock().now());
    if (done_) done_(std::move(response));
    host_.finished(id_);
}

// ---- AttemptHandler --------------------------------------------------------------------------

AttemptHandler::AttemptHandler(std::shared_ptr<RequestDriver> d, std::unique_ptr<providers::StreamDecoder> decoder,
                               std::size_t max_error_body)
    : driver(std::move(d)), max_error_body_(max_error_body), decoder_(std::move(decoder)) {
    if (decoder_)
        framer_ = providers::make_framer(driver->adapter().stream_framing(),
                                         [this](std::string_view type, std::string_view data) { on_event(type, data); });
}

void AttemptHandler::on_status(int s) {
    status = s;
    limits.clear();  // headers of an interim (1xx) response say nothing about the final one
}

void AttemptHandler::on_header(std::string_view name, std::string_view value) { limits.observe_header(name, value); }

bool AttemptHandler::response_started() const {
    // A stream has started with its first event: SSE comments (keep-alives) are not a token.
    return !streaming_body() || framer_->events_dispatched() > 0;
}

bool AttemptHandler::streaming_body() const { return framer_ && status >= 200 && status < 300; }

bool AttemptHandler::on_body(std::string_view bytes) {
    if (!streaming_body()) {
        // Whole bodies are parsed at the end; error bodies are kept only as far as needed.
        if (status >= 200 && status < 300) body.append(bytes);
        else if (body.size() < max_error_body_) body.append(bytes.substr(0, max_error_body_ - body.size()));
        return true;
    }
    framer_->feed(bytes);
    if (framer_->failed()) malformed = true;
    return !(malformed || stream_error);
}

void AttemptHandler::on_event(std::string_view type, std::string_view data) {
    if (malformed || stream_error || done_seen) return;
    providers::ParsedChunk chunk = decoder_->next(type, data);
    if (chunk.malformed) {
        malformed = true;
        return;
    }
    if (chunk.has_error) {
        stream_error = true;
        error_type = std::move(chunk.error_type);
        error_code = std::move(chunk.error_code);
        error_message = std::move(chunk.error_message);
        error_status = chunk.error_status;
        return;
    }
    if (chunk.done) {
        done_seen = true;
        return;
    }
    if (chunk.skip) return;
    if (!chunk.finish_reason.empty()) {
        finish_seen = true;
        finish_reason = chunk.finish_reason;
    }
    if (chunk.usage) usage = *chunk.usage;
    text += chunk.content;
    std::string_view json = chunk.translated.empty() ? data : std::string_view(chunk.translated);
    if (driver->content_delivered()) {
        driver->deliver(json);
    } else if (chunk.has_content) {
        // The first content byte: from here on the caller has part of the answer, so this
        // request can no longer fail over.
        driver->mark_content_delivered();
        for (const auto& h : held) driver->deliver(h);
        held.clear();
        driver->deliver(json);
    } else {
        held.emplace_back(json);
    }
}

void AttemptHandler::on_complete(const transport::HttpResult& result) {
    if (streaming_body() && !done_seen && !malformed && !stream_error) framer_->finish();
    // Completing can release the last reference to the driver; keep it alive for the call.
    std::shared_ptr<RequestDriver> keep = driver;
    keep->attempt_finished(*this, result);
}

}  // namespace sw::api
