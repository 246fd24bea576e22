// attempt_loop.cpp — the per-request state machine: selection, retries, failover, deadline.
#include "common/notify.hpp"
#include "routing/core_state.hpp"
#include "routing/cost.hpp"
#include "routing/selector.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <new>
#include <stdexcept>
#include <string>

namespace sw {
namespace {

Millis ceil_ms(Nanos d) {
    if (d.count() <= 0) return Millis{0};
    return std::chrono::ceil<Millis>(d);
}

// Less time than this left is no time at all: the request ends with deadline_exceeded.
constexpr Millis kMinAttemptTime{1};

}  // namespace

AttemptLoop::AttemptLoop(std::shared_ptr<Impl> core, std::string model, std::uint32_t chain_of,
                         const RequestOptions& options, TimePoint now)
    : core_(std::move(core)), options_(options) {
    result_.model = std::move(model);
    deadline_ = now + std::chrono::duration_cast<Nanos>(
                          core_->config->deadlines.whole(options.streaming, options.deadline));
    last_report_ = now;
    if (chain_of != kNoChain) {
        const Impl::Chain& chain = core_->chains[chain_of];
        chain_ = chain.pools;
        offset_ = chain.offsets;
        slots_ = chain.slots;
    }
    flags_.assign(2 * slots_ + 2 * chain_.size(), 0);
    if (core_->observer) {
        const RouteDecisionEvent e{.time = now, .request = options_.request_id, .model = result_.model,
                                   .pool = chain_.empty() ? std::string_view()
                                                          : std::string_view(core_->pools[chain_[0]].config->id)};
        notify(*core_->observer, &RouterObserver::on_route_decision, e);
    }
    if (chain_.empty()) finish(RouteError::unknown_model, ErrorClass::not_found, {});
    else if (options_.max_cost_usd) apply_budget(*options_.max_cost_usd);
}

void AttemptLoop::apply_budget(double max_cost_usd) {
    std::size_t affordable = 0;
    for (std::size_t pos = 0; pos < chain_.size(); ++pos) {
        const routing::PoolRuntime& pool = core_->pools[chain_[pos]];
        for (std::uint32_t local = 0; local < pool.count; ++local) {
            const ProviderConfig& pc = core_->provider(pool, local).config();
            const std::optional<double> cost = routing::cost_of(pc, options_.estimated_usage);
            if (cost && *cost <= max_cost_usd) {
                ++affordable;
                continue;
            }
            exclude(pos, local);
            over_budget_ += fmt::format("{}{}/{} ({})", over_budget_.empty() ? "" : ", ", pool.config->id, pc.name,
                                        cost ? fmt::format("estimated {:.6g} USD", *cost) : "price unknown");
        }
    }
    if (affordable == 0)
        finish(RouteError::rejected, ErrorClass::invalid_request,
               fmt::format("no provider for \"{}\" fits the budget of {:.6g} USD: {}", result_.model, max_cost_usd,
                           over_budget_));
}

AttemptLoop::AttemptLoop(AttemptLoop&&) noexcept = default;

AttemptLoop& AttemptLoop::operator=(AttemptLoop&& other) noexcept {
    if (this != &other) {
        this->~AttemptLoop();
        new (this) AttemptLoop(std::move(other));
    }
    return *this;
}

AttemptLoop::~AttemptLoop() { release_in_flight(); }

void AttemptLoop::release_in_flight() noexcept {
    // A moved-from loop has no core and owns nothing.
    if (core_ && in_flight_) {
        core_->providers[ticket_.provider].abandon(ticket_);
        in_flight_ = false;
    }
}

void AttemptLoop::exclude(std::size_t pos, std::uint32_t local) noexcept {
    excluded(pos)[local] = 1;
}

bool AttemptLoop::start_attempt(std::size_t pos, std::uint32_t local, TimePoint now,
                                Action& out, bool health_probe) {
    routing::PoolRuntime& pool = core_->pools[chain_[pos]];
    health::ProviderState& p = core_->provider(pool, local);
    // Whole milliseconds, rounded down, so that an attempt never outlives the request.
    const Millis timeout = std::min(
        p.config().timeout, std::chrono::floor<Millis>(deadline_ - now));
    if (timeout < kMinAttemptTime) return false;
    detail::ProviderTicket ticket;
    if (!p.try_acquire(now, timeout, options_.estimated_tokens, ticket, health_probe)) return false;
    ticket_ = ticket;
    in_flight_ = true;
    cur_pos_ = pos;
    cur_local_ = local;
    std::uint8_t& tries = tries_at(pos, local);
    if (tries < 255) ++tries;
    ++attempts_;
    pending_backoff_ = waited_ ? ceil_ms(now - last_report_) : Millis{0};
    waited_ = false;
    out.kind = Action::Kind::attempt;
    out.attempt.pool = pool.config;
    out.attempt.provider = &p.config();
    out.attempt.attempt_number = attempts_;
    out.attempt.provider_attempt = tries;
    out.attempt.timeout = timeout;
    out.attempt.deadline = deadline_;
    out.attempt.estimated_tokens = options_.estimated_tokens;
    out.attempt.probe = ticket.probe;
    if (core_->observer) {
        RouterObserver& o = *core_->observer;
        if (ticket.half_opened) {
            const BreakerTransitionEvent e{.time = now, .pool = pool.config->id, .provider = p.config().name,
                                           .from = BreakerState::open, .to = BreakerState::half_open};
            notify(o, &RouterObserver::on_breaker_transition, e);
        }
        const AttemptStartedEvent e{.time = now, .request = options_.request_id, .model = result_.model,
                                    .pool = pool.config->id, .provider = p.config().name,
                                    .attempt_number = attempts_, .provider_attempt = tries, .timeout = timeout,
                                    .breaker_probe = ticket.probe, .health_probe = ticket.health_probe};
        notify(o, &RouterObserver::on_attempt_started, e);
    }
    return true;
}

bool AttemptLoop::select_in_chain(TimePoint now, Action& out, bool health_gate) {
    auto attempt_in = [&](std::size_t pos) {
        routing::PoolRuntime& pool = core_->pools[chain_[pos]];
        std::uint8_t* excl = excluded(pos);
        bool started = false;
        for (std::uint32_t guard = 0; guard <= pool.count && !started; ++guard) {
            const routing::Pick pick =
                routing::select_provider(*core_, pool, excl, now, options_.estimated_tokens);
            if (pick.local < 0) break;
            const auto local = static_cast<std::uint32_t>(pick.local);
            if (start_attempt(pos, local, now, out, pick.health_probe)) {
                ticket_.measuring = pick.measuring;
                started = true;
            } else {
                if (pick.measuring) core_->provider(pool, local).release_measurement();
                excl[local] = 2;  // lost a race for this one; skip it for this selection only
            }
        }
        for (std::uint32_t i = 0; i < pool.count; ++i)
            if (excl[i] == 2) excl[i] = 0;
        return started;
    };

    if (!health_gate) {
        // Every pool was skipped for health: still try the best remaining candidate, in chain
        // order, rather than fail without trying.
        for (std::size_t pos = 0; pos < chain_.size(); ++pos)
            if (skipped(pos) && attempt_in(pos)) return true;
        return false;
    }
    while (pos_ < chain_.size()) {
        routing::PoolRuntime& pool = core_->pools[chain_[pos_]];
        if (!entered(pos_)) {
            entered(pos_) = 1;
            if (routing::healthy_providers(*core_, pool, now) <
                pool.config->health.min_healthy_providers) {
                skipped(pos_) = 1;
                result_.skipped_pools.push_back(pool.config->id);
            }
        }
        if (!skipped(pos_) && attempt_in(pos_)) return true;
        ++pos_;
    }
    return false;
}

bool AttemptLoop::plan_wait(TimePoint now, Action& out) {
    // The chain is exhausted for now. Some providers may only be cooling down after a 429 or
    // waiting for rate-limit room: wait for the earliest one if that ends before the deadline.
    for (int round = 0; round < 4; ++round) {
        bool found = false;
        TimePoint best = TimePoint::max();
        std::size_t best_pos = 0;
        std::uint32_t best_local = 0;
        for (std::size_t pos = 0; pos < chain_.size(); ++pos) {
            routing::PoolRuntime& pool = core_->pools[chain_[pos]];
            const auto& cost = pool.config->cost_optimization;
            for (std::uint32_t local = 0; local < pool.count; ++local) {
                if (excluded(pos)[local]) continue;
                if (skipped(pos) && tries_at(pos, local) == 0) continue;
                if (!entered(pos)) continue;
                const health::ProviderState& p = core_->provider(pool, local);
                if (tries_at(pos, local) >= 1 + p.config().max_retries) continue;
                if (cost.max_cost_per_token && std::isfinite(p.cost()) &&
                    p.cost() > *cost.max_cost_per_token)
                    continue;
                if (!p.breaker_admits(now)) continue;  // never wait on an open breaker
                const TimePoint t = p.ready_at(now, options_.estimated_tokens);
                if (t < deadline_ && t < best) {
                    best = t;
                    best_pos = pos;
                    best_local = local;
                    found = true;
                }
            }
        }
        if (!found) return false;
        if (best > now) {
            retry_planned_ = true;
            retry_pos_ = best_pos;
            retry_local_ = best_local;
            retry_at_ = best;
            waited_ = true;
            out.kind = Action::Kind::wait;
            out.wait_until = best;
            return true;
        }
        if (start_attempt(best_pos, best_local, now, out)) return true;
        exclude(best_pos, best_local);
    }
    return false;
}

AttemptLoop::Action AttemptLoop::next(TimePoint now) {
    Action out;
    if (done_) return out;
    if (in_flight_) throw std::logic_error("AttemptLoop::next: an attempt is still in flight");
    if (deadline_ - now < kMinAttemptTime) {
        finish(RouteError::deadline_exceeded, result_.error_class, {});
        return out;
    }
    if (attempts_ >= options_.max_attempts) {
        finish(RouteError::attempts_exceeded, result_.error_class, {});
        return out;
    }
    if (retry_planned_) {
        if (now < retry_at_) {
            out.kind = Action::Kind::wait;
            out.wait_until = retry_at_;
            waited_ = true;
            return out;
        }
        retry_planned_ = false;
        if (start_attempt(retry_pos_, retry_local_, now, out)) return out;
        // The breaker or a limit no longer admits it: move on.
        exclude(retry_pos_, retry_local_);
    }
    if (select_in_chain(now, out, true)) return out;
    if (attempts_ == 0 && !result_.skipped_pools.empty() && select_in_chain(now, out, false))
        return out;
    if (plan_wait(now, out)) return out;
    finish(RouteError::exhausted, result_.error_class, {});
    out = Action{};
    return out;
}

void AttemptLoop::report(const Outcome& outcome, TimePoint now) {
    if (!in_flight_ || done_)
        throw std::logic_error("AttemptLoop::report: no attempt in flight");
    in_flight_ = false;
    routing::PoolRuntime& pool = core_->pools[chain_[cur_pos_]];
    health::ProviderState& p = core_->provider(pool, cur_local_);
    const ProviderConfig& pc = p.config();
    const ErrorClass cls = classify(outcome);
    const health::RecordEffects effects = p.record(ticket_, now, outcome, cls);
    last_report_ = now;

    AttemptRecord rec;
    rec.pool_id = pool.config->id;
    rec.provider = pc.name;
    rec.http_status = outcome.http_status;
    rec.transport = outcome.transport;
    rec.error_class = cls;
    if (cls != ErrorClass::success)
        rec.error_code = !outcome.error_code.empty() ? outcome.error_code : outcome.error_type;
    rec.started = now - outcome.latency;
    rec.latency = outcome.latency;
    rec.backoff_waited = pending_backoff_;
    rec.cost_usd = routing::cost_of(pc, outcome.usage);
    result_.attempts.push_back(std::move(rec));
    result_.error_class = cls;
    if (core_->observer) notify_report(result_.attempts.back(), outcome, effects, now);

    if (cls == ErrorClass::success) {
        done_ = true;
        result_.ok = true;
        result_.error = RouteError::none;
        result_.pool_id = pool.config->id;
        result_.provider = pc.name;
        result_.used_fallback = chain_[cur_pos_] != chain_[0];
        result_.usage = outcome.usage;
        return;
    }
    if (outcome.content_delivered) {
        finish(RouteError::stream_interrupted, cls, {});
        return;
    }
    // A failed recovery probe is not retried on the same provider: its wait restarted, and the
    // request fails over like any other whose provider is unhealthy.
    if (ticket_.health_probe && cls == ErrorClass::transient) {
        exclude(cur_pos_, cur_local_);
        return;
    }
    const int tries = tries_at(cur_pos_, cur_local_);
    const int max_tries = 1 + std::max(pc.max_retries, 0);
    switch (cls) {
        case ErrorClass::transient: {
            if (tries < max_tries) {
                Nanos wait = full_jitter_backoff(pc.retry_delay, tries - 1, *core_->random);
                if (auto ra = retry_after(outcome)) wait = std::max(wait, *ra);
                if (now + wait < deadline_) {
                    retry_planned_ = true;
                    retry_pos_ = cur_pos_;
                    retry_local_ = cur_local_;
                    retry_at_ = now + wait;
                    return;
                }
            }
            exclude(cur_pos_, cur_local_);
            return;
        }
        case ErrorClass::rate_limited:
            // The provider is cooling down; traffic goes elsewhere now, and plan_wait comes
            // back to it after the cooldown if nothing else served.
            if (tries >= max_tries) exclude(cur_pos_, cur_local_);
            return;
        case ErrorClass::context_window:
            finish(RouteError::rejected, cls,
                   "the prompt exceeds the context window of provider \"" + pc.name + "\"");
            return;
        case ErrorClass::content_policy:
            finish(RouteError::rejected, cls,
                   "provider \"" + pc.name + "\" rejected the content: " +
                       (outcome.error_message.empty() ? std::string("content policy violation")
                                                      : outcome.error_message));
            return;
        case ErrorClass::invalid_request:
            finish(RouteError::rejected, cls,
                   "provider \"" + pc.name + "\" rejected the request as invalid (HTTP " +
                       std::to_string(outcome.http_status) + ")");
            return;
        default:  // timeout, quota, auth, not_found, protocol: fail over at once
            exclude(cur_pos_, cur_local_);
            return;
    }
}

void AttemptLoop::yield_probe(TimePoint now, Nanos hold) {
    if (!in_flight_ || done_ || !ticket_.probe)
        throw std::logic_error("AttemptLoop::yield_probe: no breaker probe in flight");
    const routing::PoolRuntime& pool = core_->pools[chain_[cur_pos_]];
    core_->provider(pool, cur_local_).yield_probe(ticket_, now, hold);
    AttemptRecord rec;
    rec.error_class = ErrorClass::cancelled;  // counts against nothing
    rec.error_code = "probe_elsewhere";
    pass_over(now, std::move(rec));
}

void AttemptLoop::refuse_over_budget(TimePoint now) {
    if (!in_flight_ || done_) throw std::logic_error("AttemptLoop::refuse_over_budget: no attempt in flight");
    const routing::PoolRuntime& pool = core_->pools[chain_[cur_pos_]];
    core_->provider(pool, cur_local_).abandon(ticket_);
    AttemptRecord rec;
    rec.http_status = 429;
    rec.error_class = ErrorClass::rate_limited;
    rec.error_code = kBudgetExceeded;
    result_.error_class = ErrorClass::rate_limited;
    pass_over(now, std::move(rec));
}

void AttemptLoop::pass_over(TimePoint now, AttemptRecord rec) {
    in_flight_ = false;
    const routing::PoolRuntime& pool = core_->pools[chain_[cur_pos_]];
    exclude(cur_pos_, cur_local_);
    last_report_ = now;
    // Listed, so that every attempt_started has its attempt_finished, and the trace says why the
    // provider was passed over.
    rec.pool_id = pool.config->id;
    rec.provider = core_->provider(pool, cur_local_).config().name;
    rec.started = now;
    rec.backoff_waited = pending_backoff_;
    result_.attempts.push_back(std::move(rec));
    if (core_->observer) notify_report(result_.attempts.back(), Outcome{}, health::RecordEffects{}, now);
}

void AttemptLoop::notify_report(const AttemptRecord& record, const Outcome& outcome,
                                const health::RecordEffects& effects, TimePoint now) const {
    RouterObserver& o = *core_->observer;
    const AttemptFinishedEvent finished{.time = now, .request = options_.request_id, .model = result_.model,
                                        .record = record, .usage = outcome.usage};
    notify(o, &RouterObserver::on_attempt_finished, finished);
    if (effects.breaker_changed()) {
        const BreakerTransitionEvent e{.time = now, .pool = record.pool_id, .provider = record.provider,
                                       .from = effects.from, .to = effects.to,
                                       .open_for = ceil_ms(effects.open_for), .permanent = effects.permanent};
        notify(o, &RouterObserver::on_breaker_transition, e);
    }
    if (effects.cooldown.count() > 0) {
        const CooldownEvent e{.time = now, .pool = record.pool_id, .provider = record.provider,
                              .duration = ceil_ms(effects.cooldown)};
        notify(o, &RouterObserver::on_cooldown, e);
    }
}

void AttemptLoop::finish(RouteError error, ErrorClass cls, std::string reason) {
    done_ = true;
    retry_planned_ = false;
    result_.ok = false;
    result_.error = error;
    result_.error_class = cls;
    std::string msg;
    const std::string quoted = "\"" + result_.model + "\"";
    switch (error) {
        case RouteError::unknown_model: msg = "unknown model or pool " + quoted; break;
        case RouteError::exhausted:
            msg = result_.attempts.empty() ? "no eligible provider for " + quoted
                                           : "every provider failed for " + quoted;
            break;
        case RouteError::deadline_exceeded:
            msg = "the request deadline ran out for " + quoted;
            break;
        case RouteError::attempts_exceeded:
            msg = "the attempt limit (" + std::to_string(options_.max_attempts) +
                  ") was reached for " + quoted;
            break;
        case RouteError::stream_interrupted:
            msg = "the stream failed after content was delivered for " + quoted;
            break;
        case RouteError::rejected: msg = std::move(reason); break;
        case RouteError::cancelled: msg = "cancelled"; break;
        case RouteError::would_deadlock: break;  // refused before any loop exists
        case RouteError::none: break;
    }
    if (!result_.attempts.empty()) {
        msg += "; attempts:";
        int i = 0;
        for (const AttemptRecord& a : result_.attempts) {
            msg += " [" + std::to_string(++i) + "] " + a.pool_id + "/" + a.provider + ": ";
            if (a.transport != TransportError::none)
                msg += std::string(to_string(a.transport));
            else
                msg += "HTTP " + std::to_string(a.http_status);
            msg += " (" + std::string(to_string(a.error_class));
            if (!a.error_code.empty()) msg += ", " + a.error_code;
            msg += ", " + std::to_string(std::chrono::duration_cast<Millis>(a.latency).count()) + " ms)";
        }
    }
    if (error != RouteError::rejected && !over_budget_.empty())
        msg += fmt::format("; not tried, over the budget of {:.6g} USD: {}", *options_.max_cost_usd, over_budget_);
    if (!result_.skipped_pools.empty()) {
        msg += "; skipped unhealthy pools:";
        for (const std::string& id : result_.skipped_pools) msg += " " + id;
    }
    result_.message = std::move(msg);
}

}  // namespace sw
