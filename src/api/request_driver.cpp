// request_driver.cpp — one request on its I/O thread: routing steps, credentials, attempts.
#include "api/request_driver.hpp"

#include "common/notify.hpp"
#include "routing/cost.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sw::api {


void report_request_finished(RouterObserver& observer, RequestId id, const RequestOrigin& origin,
                             providers::Endpoint endpoint, bool streaming,
                             const ChatResponse& response, TimePoint submitted,
                             std::optional<TimePoint> first_content, TimePoint now) {
    std::optional<Nanos> ttft;
    if (first_content) ttft = *first_content - submitted;
    const RequestFinishedEvent e{.time = now,
                                 .request = id,
                                 .correlation_id = origin.correlation_id,
                                 .client_id = origin.client_id,
                                 .operation = endpoint == providers::Endpoint::embeddings ? "embeddings" : "chat",
                                 .streaming = streaming,
                                 .status = response.status,
                                 .error_class = response.error_class,
                                 .trace = response.trace,
                                 .cost_usd = response.cost_usd,
                                 .latency = now - submitted,
                                 .time_to_first_token = ttft,
                                 .finish_reason = response.finish_reason,
                                 .trace_context = origin.trace.valid() ? &origin.trace : nullptr};
    notify(observer, &RouterObserver::on_request_finished, e);
}

// ---- RequestDriver ---------------------------------------------------------------------------

RequestDriver::RequestDriver(DriverHost& host, RequestId id, std::shared_ptr<const Generation> generation,
                             providers::Endpoint endpoint, std::string request_json, providers::RequestCheck check,
                             BegunRequest begun, ChunkCallback on_chunk, DoneCallback done, TimePoint submitted)
    : host_(host),
      id_(id),
      generation_(std::move(generation)),
      endpoint_(endpoint),
      request_json_(std::move(request_json)),
      check_(std::move(check)),
      loop_(std::move(begun.loop)),
      done_(std::move(done)),
      // The time to first token is read only for observers.
      gate_(std::move(on_chunk), host.observer() ? &host.io().loop.clock() : nullptr),
      submitted_(submitted),
      origin_(std::move(begun.origin)) {
    if (begun.route) response_.routed_by(std::move(*begun.route));
}

void RequestDriver::step() {
    if (finished_) return;
    const transport::EventLoop& thread = host_.io().loop;
    if (cancelled_ || thread.stopping()) {
        finish(response_.cancelled(loop_.take_result(), !cancelled_));
        return;
    }
    AttemptLoop::Action action = loop_.next(thread.clock().now());
    switch (action.kind) {
        case AttemptLoop::Action::Kind::attempt: send(action.attempt); break;
        case AttemptLoop::Action::Kind::wait: {
            auto self = shared_from_this();
            host_.io().loop.post_at(action.wait_until, [self] { self->step(); });
            break;
        }
        case AttemptLoop::Action::Kind::done: {
            // A stream's whole-attempt timer is the time left rounded down to whole
            // milliseconds, so it can end up to 1 ms before the deadline.
            const bool past_deadline = thread.clock().now() + Millis(1) >= loop_.deadline();
            finish(response_.build(loop_.take_result(), past_deadline));
            break;
        }
    }
}

void RequestDriver::send(const AttemptRequest& attempt) {
    provider_ = attempt.provider;
    adapter_ = &providers::adapter_for(*provider_);
    shared_taken_.reset();
    if (generation_->shared && attempt.probe) {
        claim_probe(attempt);
        return;
    }
    reserve_budget(attempt);
}

// Each answer from Redis comes within its call timeout, on another thread or at once: it is
// brought back to this one. A cancel meanwhile finishes the request, and the answer is ignored.
void RequestDriver::claim_probe(const AttemptRequest& attempt) {
    auto self = shared_from_this();
    const std::uint64_t wait = ++shared_wait_;
    generation_->shared->claim_probe(attempt.pool->id, attempt.provider->name, [self, attempt, wait](redis::ProbeClaim c) {
        self->host_.io().loop.post([self, attempt, wait, c] { self->probe_claimed(attempt, wait, c); });
    });
}

void RequestDriver::probe_claimed(const AttemptRequest& attempt, std::uint64_t wait, redis::ProbeClaim claim) {
    if (finished_ || shared_wait_ != wait) return;
    ++shared_wait_;
    if (claim == redis::ProbeClaim::not_yet) {
        // Another process sends the probe; its verdict reaches this one through the watch.
        loop_.yield_probe(host_.io().loop.clock().now(), generation_->shared->probe_timeout());
        step();
        return;
    }
    // Claimed; or closed (no probe is needed: the attempt goes as any); or no answer (local).
    reserve_budget(attempt);
}

void RequestDriver::reserve_budget(const AttemptRequest& attempt) {
    if (generation_->config->budgets.empty()) {
        admit(attempt);
        return;
    }
    BudgetRequest request;
    request.budgets = &generation_->config->budgets;
    request.book = generation_->budgets;
    request.shared = generation_->shared;
    request.provider = provider_;
    request.subject = {origin_.client_id, loop_.result().model, attempt.pool->id};
    request.estimate = estimated_usage(check_);
    // Budget windows are on the UTC calendar; Redis counts them on its own clock.
    request.now_s = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch()).count();
    auto self = shared_from_this();
    const std::uint64_t wait = ++shared_wait_;
    api::reserve_budget(request, [self, attempt, wait](BudgetReservation r) {
        self->host_.io().loop.post([self, attempt, wait, r = std::move(r)]() mutable {
            self->budget_reserved(attempt, wait, std::move(r));
        });
    });
}

void RequestDriver::budget_reserved(const AttemptRequest& attempt, std::uint64_t wait, BudgetReservation reservation) {
    if (finished_ || shared_wait_ != wait) {
        // Given up on meanwhile: what was taken for it comes back.
        if (reservation.verdict == BudgetReservation::Verdict::held)
            settle_budget(*generation_->budgets, generation_->shared, reservation.hold, 0);
        return;
    }
    ++shared_wait_;
    if (reservation.verdict == BudgetReservation::Verdict::refused) {
        response_.local_failure(provider_->name, reservation.reason);
        loop_.refuse_over_budget(host_.io().loop.clock().now());
        step();
        return;
    }
    if (reservation.verdict == BudgetReservation::Verdict::held) budget_hold_ = std::move(reservation.hold);
    admit(attempt);
}

void RequestDriver::settle_budget_hold(const Outcome* outcome) {
    if (!budget_hold_) return;
    routing::MicroUsd real = 0;
    if (outcome && outcome->usage.total() > 0)
        real = routing::micro_usd_ceil(routing::cost_of(*provider_, outcome->usage).value_or(0));
    else if (budget_hold_->sent && (!outcome || outcome->content_delivered || classify(*outcome) == ErrorClass::success))
        real = budget_hold_->reserved;  // answered (or cancelled mid-answer) without usage: it stands
    settle_budget(*generation_->budgets, generation_->shared, *budget_hold_, real);
    budget_hold_.reset();
}

void RequestDriver::admit(const AttemptRequest& attempt) {
    if (generation_->shared && has_shared_limits(*provider_)) {
        auto self = shared_from_this();
        const std::uint64_t wait = ++shared_wait_;
        admit_shared(*generation_->shared, attempt, [self, attempt, wait](SharedAdmission admission) {
            self->host_.io().loop.post([self, attempt, wait, admission] { self->shared_admission(attempt, wait, admission); });
        });
        return;
    }
    send_with_credentials(attempt);
}

void RequestDriver::shared_admission(const AttemptRequest& attempt, std::uint64_t wait, const SharedAdmission& admission) {
    if (finished_ || shared_wait_ != wait) return;
    ++shared_wait_;
    if (admission.verdict == SharedAdmission::Verdict::refused) {
        // As the provider's own 429 would be, without the round trip: it cools down until the
        // shared limits have room, and the request fails over or waits for it.
        Outcome refused;
        refused.http_status = 429;
        refused.error_code = "shared_rate_limit";
        refused.retry_after_ms = std::to_string(admission.wait.count());
        report_local_failure(refused, fmt::format("provider \"{}\": its rate limit, shared with other processes through "
                                                  "Redis, has no room for {} ms",
                                                  provider_->name, admission.wait.count()));
        return;
    }
    if (admission.verdict == SharedAdmission::Verdict::admitted) shared_taken_ = attempt;
    send_with_credentials(attempt);
}

void RequestDriver::send_with_credentials(const AttemptRequest& attempt) {
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
        transport::EventLoop& thread = host_.io().loop;
        thread.post_at(thread.clock().now() + attempt.timeout, [self, wait] { self->credentials_late(wait); });
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
    add_trace_headers(request.headers);
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
    // The exchange holds this request (and so the gate) until it reports its result.
    auto exchange = std::make_shared<AttemptExchange>(check_.stream ? adapter_->open_stream(context) : nullptr,
                                                      adapter_->stream_framing(), gate_, 64 * 1024,
                                                      std::shared_ptr<AttemptSink>(shared_from_this(), this));
    in_flight_ = true;
    if (budget_hold_) budget_hold_->sent = true;
    exchange_ = host_.io().http.submit(std::move(request), std::move(exchange));
}

void RequestDriver::cancel() {
    if (finished_ || cancelled_) return;
    cancelled_ = true;
    if (in_flight_) host_.io().http.cancel(exchange_);  // its completion finishes the request
    else step();  // waiting for a backoff or for credentials: finish now
}

void RequestDriver::attempt_finished(AttemptResult result) {
    in_flight_ = false;
    if (result.http.cancelled && !result.stopped()) {
        step();  // cancelled by the caller or by shutdown
        return;
    }
    // An attempt whose timers were cut to the time the request had left, and that timed out,
    // used up the request's deadline, whatever the clock says a moment later.
    // (A whole answer's idle timeout is its total one; a stream's is its own.)
    const TransportError e = result.http.error;
    response_.attempt_ended(timers_cut_to_deadline_ &&
                            (e == TransportError::first_byte_timeout || e == TransportError::connect_timeout ||
                             (!check_.stream && e == TransportError::idle_timeout)));
    AttemptVerdict verdict = judge_attempt(std::move(result), *adapter_, {*provider_, stamp_}, endpoint_,
                                           check_.stream, gate_.content_delivered());
    if (shared_taken_ && verdict.outcome.usage.total() > 0)
        correct_shared_tokens(*generation_->shared, *shared_taken_,
                              static_cast<std::int64_t>(verdict.outcome.usage.total()) -
                                  static_cast<std::int64_t>(shared_taken_->estimated_tokens));
    if (verdict.answer) {
        gate_.attempt_succeeded();
        response_.served(*provider_, std::move(*verdict.answer));
    } else {
        gate_.attempt_failed();
    }
    report(verdict.outcome);
}

void RequestDriver::add_trace_headers(std::vector<std::string>& headers) const {
    const TraceContext& trace = origin_.trace;
    if (!trace.valid() || !generation_->config->monitoring.tracing.propagate) return;
    // The attempt's own span when the router records spans, so that the upstream's spans hang
    // under it; otherwise the caller's span, passed on as it came.
    std::uint64_t parent = trace.parent_span_id;
    if (trace.span_id != 0) {
        const int attempt = origin_.earlier_attempts + static_cast<int>(loop_.result().attempts.size()) + 1;
        parent = attempt_span_id(trace.span_id, attempt);
    }
    headers.push_back("traceparent: " + format_traceparent(trace.trace_id, parent, trace.flags));
    if (!trace.tracestate.empty()) headers.push_back("tracestate: " + trace.tracestate);
}

void RequestDriver::report_local_failure(Outcome& outcome, std::string reason) {
    response_.local_failure(provider_->name, reason);
    outcome.error_message = std::move(reason);
    report(outcome);
}

void RequestDriver::report(const Outcome& outcome) {
    settle_budget_hold(&outcome);
    loop_.report(outcome, host_.io().loop.clock().now());
    step();
}

void RequestDriver::finish(ChatResponse response) {
    if (finished_) return;
    finished_ = true;
    settle_budget_hold(nullptr);  // cancelled with an attempt unsettled
    // The caller already has part of an answer: say plainly that it is incomplete.
    if (!response.ok()) gate_.interrupt(response.error);
    // Before the done callback, so that whoever the caller asks next (metrics, a ledger) has it.
    if (RouterObserver* o = host_.observer())
        report_request_finished(*o, id_, origin_, endpoint_, check_.stream, response, submitted_, gate_.first_content(),
                                host_.io().loop.clock().now());
    if (done_) done_(std::move(response));
    host_.finished(id_);
}

}  // namespace sw::api
