// provider_state.cpp — breaker transitions, health verdicts and load accounting of one provider.
#include "health/provider_state.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace sw::health {

PermanentPatterns::PermanentPatterns() = default;
PermanentPatterns::~PermanentPatterns() = default;
PermanentPatterns::PermanentPatterns(PermanentPatterns&&) noexcept = default;
PermanentPatterns& PermanentPatterns::operator=(PermanentPatterns&&) noexcept = default;

bool PermanentPatterns::any_match(std::string_view text) const {
    for (const auto& re : patterns)
        if (re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re)) return true;
    return false;
}

BreakerEffect breaker_effect(ErrorClass cls, const Outcome& outcome,
                             const PermanentFailureConfig& permanent,
                             const PermanentPatterns& patterns) {
    if (cls == ErrorClass::success) return BreakerEffect::success;
    // Server-side and network trouble is temporary by nature: never a permanent trip, even
    // when a pattern happens to match its text.
    const bool temporary = cls == ErrorClass::transient || cls == ErrorClass::timeout ||
                           outcome.http_status >= 500;
    if (permanent.enabled && !temporary) {
        if (!patterns.patterns.empty()) {
            std::string text = std::to_string(outcome.http_status);
            text += ' ';
            if (!outcome.error_message.empty())
                text += outcome.error_message;
            else if (!outcome.error_code.empty())
                text += outcome.error_code;
            else
                text += outcome.error_type;
            if (patterns.any_match(text)) return BreakerEffect::permanent;
        } else if (cls == ErrorClass::auth || cls == ErrorClass::not_found ||
                   cls == ErrorClass::quota) {
            return BreakerEffect::permanent;
        }
    }
    switch (cls) {
        case ErrorClass::transient:
        case ErrorClass::timeout:
        case ErrorClass::protocol:
        case ErrorClass::auth:
        case ErrorClass::not_found:
        case ErrorClass::quota: return BreakerEffect::failure;
        default: return BreakerEffect::neutral;
    }
}

Nanos permanent_open_time(const CircuitBreakerConfig& cb, int trips) noexcept {
    const auto& p = cb.permanent;
    const double base_ms = std::max(static_cast<double>(cb.reset_timeout.count()) *
                                        p.timeout_multiplier,
                                    static_cast<double>(p.base_timeout.count()));
    const int exponent = std::clamp(trips, 0, std::max(p.max_backoff_multiplier, 0));
    const double ms = base_ms * std::ldexp(1.0, exponent);
    return Nanos{static_cast<std::int64_t>(ms * 1e6)};
}

void ProviderState::init(std::uint32_t index, const PoolConfig& pool,
                         const ProviderConfig& provider, const PermanentPatterns& patterns,
                         double cost, std::atomic<std::uint64_t>* pool_version) {
    index_ = index;
    pool_version_ = pool_version;
    pool_ = &pool;
    provider_ = &provider;
    patterns_ = &patterns;
    cost_ = cost;
    window_->configure(pool.circuit_breaker.monitoring_window);
    rpm_.configure(provider.rate_limits.requests_per_minute.value_or(0));
    tpm_.configure(provider.rate_limits.tokens_per_minute.value_or(0));
    double w = provider.weight;
    if (pool.weighted_routing.auto_adjust && w > 0)
        w = std::clamp(w, pool.weighted_routing.min_weight, pool.weighted_routing.max_weight);
    weight_.store(w, std::memory_order_relaxed);
    cb_enabled_ = pool.circuit_breaker.enabled;
    max_probes_ = pool.circuit_breaker.half_open_max_probes;
    consec_threshold_ = pool.health.consecutive_failures;
    response_time_ns_ = std::chrono::duration_cast<Nanos>(pool.health.response_time).count();
    health_retry_ns_ =
        std::chrono::duration_cast<Nanos>(pool.circuit_breaker.reset_timeout).count();
    standby_ = provider.weight <= 0;
    priority_ = static_cast<std::uint8_t>(std::clamp(provider.priority, 0, 255));
    has_rpm_ = rpm_.enabled();
    has_tpm_ = tpm_.enabled();
}

void ProviderState::refresh_health_cache(TimePoint now) const noexcept {
    const auto c = window_->counts(now);
    const auto& h = pool_->health;
    const bool bad =
        c.total > 0 &&
        c.total >= static_cast<std::uint32_t>(std::max(pool_->circuit_breaker.min_requests_threshold, 1)) &&
        static_cast<double>(c.failures) * 100.0 > h.error_rate * static_cast<double>(c.total);
    const bool was = err_unhealthy_.exchange(bad, std::memory_order_relaxed);
    err_valid_until_.store(ns(window_->next_expiry(now)), std::memory_order_release);
    if (was != bad) {
        // Turned unhealthy by the window alone: the recovery wait starts now. Turned healthy
        // again: a later spell of ill health must start a wait of its own.
        if (bad) {
            std::int64_t none = 0;
            unhealthy_since_.compare_exchange_strong(none, ns(now), std::memory_order_acq_rel);
        } else if (!unhealthy_now()) {
            unhealthy_since_.store(0, std::memory_order_release);
        }
        bump();
    }
}

bool ProviderState::try_claim_measurement() noexcept {
    bool expected = false;
    return measuring_.compare_exchange_strong(expected, true, std::memory_order_acq_rel);
}

bool ProviderState::try_acquire(TimePoint now, Nanos timeout, std::uint64_t tokens,
                                ProviderTicket& ticket, bool health_probe) noexcept {
    if (cooldown_until_.load(std::memory_order_acquire) > ns(now)) return false;
    if (health_probe) {
        // One claim wins: the compare-exchange from the expired (or zero) slot. It comes before
        // the breaker and the limits are asked; if they refuse, the slot is given back at once.
        std::int64_t slot = health_probe_until_.load(std::memory_order_acquire);
        if (!probe_due(now) ||
            !health_probe_until_.compare_exchange_strong(slot, ns(now) + timeout.count(),
                                                         std::memory_order_acq_rel))
            return false;
        const std::uint32_t claim = health_epoch_.fetch_add(1, std::memory_order_acq_rel) + 1;
        bump();
        if (!acquire_capacity(now, timeout, tokens, ticket)) {
            health_probe_until_.store(0, std::memory_order_release);
            bump();
            return false;
        }
        ticket.health_probe = true;
        ticket.health_epoch = claim;
        return true;
    }
    return acquire_capacity(now, timeout, tokens, ticket);
}

bool ProviderState::acquire_capacity(TimePoint now, Nanos timeout, std::uint64_t tokens,
                                     ProviderTicket& ticket) noexcept {
    const auto& cb = pool_->circuit_breaker;
    auto take_rate = [&]() noexcept {
        if (rpm_.enabled() && !rpm_.try_take(now, 1)) return false;
        if (tpm_.enabled() && !tpm_.try_take(now, tokens)) {
            if (rpm_.enabled()) rpm_.adjust(now, -1);
            return false;
        }
        return true;
    };
    ticket = ProviderTicket{};
    ticket.provider = index_;
    ticket.estimated_tokens = tokens;
    if (!cb.enabled ||
        static_cast<BreakerState>(state_.load(std::memory_order_acquire)) == BreakerState::closed) {
        // The common path: no lock. A breaker that opens right now may still let this one
        // through; its report is then ignored by the breaker (the state is no longer closed).
        if (!take_rate()) return false;
        ticket.epoch = epoch_.load(std::memory_order_acquire);
        in_flight_.fetch_add(1, std::memory_order_acq_rel);
        return true;
    }
    std::lock_guard lock(mu_);
    auto s = static_cast<BreakerState>(state_.load(std::memory_order_acquire));
    if (s == BreakerState::open) {
        if (ns(now) < open_until_.load(std::memory_order_acquire) || cb.half_open_max_probes <= 0)
            return false;
        state_.store(static_cast<std::uint8_t>(BreakerState::half_open), std::memory_order_release);
        epoch_.fetch_add(1, std::memory_order_acq_rel);
        probes_.store(0, std::memory_order_release);
        probe_expiry_.store(0, std::memory_order_release);
        bump();
        s = BreakerState::half_open;
        ticket.half_opened = true;
    }
    if (s == BreakerState::half_open) {
        if (probes_.load(std::memory_order_acquire) >= cb.half_open_max_probes) {
            if (ns(now) < probe_expiry_.load(std::memory_order_acquire)) return false;
            // Every probe outlived its attempt timeout: take the slots back. The late reports
            // carry the old epoch and are ignored.
            probes_.store(0, std::memory_order_release);
            epoch_.fetch_add(1, std::memory_order_acq_rel);
            bump();
        }
        if (!take_rate()) return false;
        probes_.fetch_add(1, std::memory_order_acq_rel);
        bump();
        const std::int64_t expiry = ns(now) + timeout.count();
        if (expiry > probe_expiry_.load(std::memory_order_acquire))
            probe_expiry_.store(expiry, std::memory_order_release);
        ticket.probe = true;
    } else if (!take_rate()) {  // closed in the meantime
        return false;
    }
    ticket.epoch = epoch_.load(std::memory_order_acquire);
    in_flight_.fetch_add(1, std::memory_order_acq_rel);
    return true;
}

void ProviderState::abandon(const ProviderTicket& ticket) noexcept {
    if (ticket.provider != index_) return;
    if (ticket.measuring) release_measurement();
    std::lock_guard lock(mu_);
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    if (ticket.probe && epoch_.load(std::memory_order_acquire) == ticket.epoch &&
        probes_.load(std::memory_order_acquire) > 0) {
        probes_.fetch_sub(1, std::memory_order_acq_rel);
        bump();
    }
    // An abandoned recovery probe proved nothing: the slot comes back, the wait is not restarted.
    if (ticket.health_probe && health_epoch_.load(std::memory_order_acquire) == ticket.health_epoch) {
        health_probe_until_.store(0, std::memory_order_release);
        bump();
    }
}

void ProviderState::record_health_probe_locked(const ProviderTicket& ticket, TimePoint now,
                                               const Outcome& outcome,
                                               BreakerEffect effect) noexcept {
    // A probe whose slot timed out and was claimed again decides nothing.
    if (!ticket.health_probe || health_epoch_.load(std::memory_order_acquire) != ticket.health_epoch)
        return;
    health_probe_until_.store(0, std::memory_order_release);
    switch (effect) {
        case BreakerEffect::success: {
            // The outage is over: the failures that made it unhealthy describe the past, so
            // the window and the failure streak are cleared (as a breaker's close clears them),
            // and the latency average starts again from this answer.
            const std::int64_t latency = std::chrono::duration_cast<Nanos>(outcome.latency).count();
            window_->clear();
            consec_.store(0, std::memory_order_relaxed);
            ewma_ns_.store(latency, std::memory_order_relaxed);
            err_valid_until_.store(0, std::memory_order_release);
            // Still slower than `responseTime`: still unhealthy, so the wait restarts.
            if (latency > response_time_ns_) unhealthy_since_.store(ns(now), std::memory_order_release);
            break;
        }
        case BreakerEffect::failure:
        case BreakerEffect::permanent:
            unhealthy_since_.store(ns(now), std::memory_order_release);  // the wait restarts
            break;
        case BreakerEffect::neutral: break;  // a caller error or a 429 says nothing of health
    }
}

void ProviderState::open_locked(TimePoint until) noexcept {
    open_until_.store(ns(until), std::memory_order_release);
    probes_.store(0, std::memory_order_release);
    state_.store(static_cast<std::uint8_t>(BreakerState::open), std::memory_order_release);
    epoch_.fetch_add(1, std::memory_order_acq_rel);
    bump();
}

void ProviderState::close_locked() noexcept {
    window_->clear();
    consec_.store(0, std::memory_order_relaxed);
    trips_ = 0;
    probes_.store(0, std::memory_order_release);
    probe_expiry_.store(0, std::memory_order_release);
    open_until_.store(0, std::memory_order_release);
    state_.store(static_cast<std::uint8_t>(BreakerState::closed), std::memory_order_release);
    epoch_.fetch_add(1, std::memory_order_acq_rel);
    err_valid_until_.store(0, std::memory_order_release);
    bump();
}

void ProviderState::update_weight_locked(TimePoint now) noexcept {
    const auto& wr = pool_->weighted_routing;
    const double base = provider_->weight;
    if (!wr.auto_adjust || base <= 0) return;
    const auto c = window_->counts(now);
    const double err = c.total ? static_cast<double>(c.failures) / c.total : 0.0;
    const double ref = static_cast<double>(std::chrono::duration_cast<Nanos>(pool_->health.response_time).count());
    const std::int64_t e = ewma_ns_.load(std::memory_order_relaxed);
    const double lat = e >= 0 ? static_cast<double>(e) : ref;
    // 2x at zero latency, 1x at the health threshold, toward 0 beyond it.
    const double speed = ref > 0 ? 2.0 * ref / (ref + lat) : 1.0;
    const double target = base * (1.0 - err) * speed;
    weight_.store(std::clamp(target, wr.min_weight, wr.max_weight), std::memory_order_relaxed);
}

void ProviderState::extend_cooldown_locked(std::int64_t until) noexcept {
    if (until > cooldown_until_.load(std::memory_order_acquire))
        cooldown_until_.store(until, std::memory_order_release);
}

RecordEffects ProviderState::record(const ProviderTicket& ticket, TimePoint now, const Outcome& outcome,
                                    ErrorClass cls) {
    RecordEffects effects;
    if (ticket.provider != index_) return effects;
    if (ticket.measuring) release_measurement();
    // Correct the token estimate from the real usage; nothing to correct without usage.
    if (tpm_.enabled() && outcome.usage.total() > 0)
        tpm_.adjust(now, static_cast<std::int64_t>(outcome.usage.total()) -
                             static_cast<std::int64_t>(ticket.estimated_tokens));
    const BreakerEffect effect = breaker_effect(cls, outcome, pool_->circuit_breaker.permanent,
                                                *patterns_);
    const auto& cb = pool_->circuit_breaker;

    std::lock_guard lock(mu_);
    const Signature before = signature();
    const std::int64_t cooldown_before = before.cooldown_until;
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    if (cls == ErrorClass::success) {
        rate_limited_streak_ = 0;
        const std::int64_t sample =
            std::chrono::duration_cast<Nanos>(outcome.latency).count();
        const std::int64_t old = ewma_ns_.load(std::memory_order_relaxed);
        // alpha = 0.2, per the contract.
        const std::int64_t next =
            old < 0 ? sample
                    : old + static_cast<std::int64_t>(0.2 * static_cast<double>(sample - old));
        ewma_ns_.store(next, std::memory_order_relaxed);
    } else if (cls == ErrorClass::rate_limited) {
        ++rate_limited_streak_;
        Nanos cd;
        if (auto ra = retry_after(outcome)) {
            cd = *ra;
        } else {
            const int n = std::min(rate_limited_streak_ - 1, 20);
            const auto delay = std::chrono::duration_cast<Nanos>(provider_->retry_delay) * (std::int64_t{1} << n);
            cd = std::min<Nanos>(delay, std::chrono::duration_cast<Nanos>(kMaxBackoff));
        }
        extend_cooldown_locked(ns(now) + cd.count());
    }
    // A provider that says its quota is used up until a reset gets no traffic until then, even
    // when this answer itself succeeded.
    if (outcome.rate_limit_reset.count() > 0) {
        extend_cooldown_locked(ns(now) + std::chrono::duration_cast<Nanos>(outcome.rate_limit_reset).count());
    }

    auto count_in_window = [&](bool failure) {
        window_->add(now, failure);
        if (failure)
            consec_.fetch_add(1, std::memory_order_relaxed);
        else
            consec_.store(0, std::memory_order_relaxed);
    };

    const auto s = static_cast<BreakerState>(state_.load(std::memory_order_acquire));
    if (!cb.enabled) {
        // Passes everything; the window still feeds health and autoAdjust.
        if (effect != BreakerEffect::neutral) count_in_window(effect != BreakerEffect::success);
    } else if (ticket.probe) {
        if (s == BreakerState::half_open && ticket.epoch == epoch_.load(std::memory_order_acquire)) {
            probes_.fetch_sub(1, std::memory_order_acq_rel);
            switch (effect) {
                case BreakerEffect::success: close_locked(); break;
                case BreakerEffect::failure:
                    consec_.fetch_add(1, std::memory_order_relaxed);
                    open_locked(now + std::chrono::duration_cast<Nanos>(cb.reset_timeout));
                    break;
                case BreakerEffect::permanent:
                    consec_.fetch_add(1, std::memory_order_relaxed);
                    open_locked(now + permanent_open_time(cb, trips_));
                    ++trips_;
                    break;
                case BreakerEffect::neutral: break;
            }
        }
        // A stale probe (its slot was reclaimed, or another probe decided) changes nothing.
    } else if (s == BreakerState::closed) {
        switch (effect) {
            case BreakerEffect::success: count_in_window(false); break;
            case BreakerEffect::failure: {
                count_in_window(true);
                const auto c = window_->counts(now);
                const bool by_count = consec_.load(std::memory_order_relaxed) >= cb.failure_threshold;
                const bool by_share =
                    c.total >= static_cast<std::uint32_t>(std::max(cb.min_requests_threshold, 1)) &&
                    static_cast<double>(c.failures) * 100.0 >=
                        cb.error_threshold_percentage * static_cast<double>(c.total);
                if (by_count || by_share)
                    open_locked(now + std::chrono::duration_cast<Nanos>(cb.reset_timeout));
                break;
            }
            case BreakerEffect::permanent:
                count_in_window(true);
                open_locked(now + permanent_open_time(cb, trips_));
                ++trips_;
                break;
            case BreakerEffect::neutral: break;
        }
    }
    // Reports of attempts admitted before the breaker left `closed` do not drive it.
    record_health_probe_locked(ticket, now, outcome, effect);
    update_weight_locked(now);
    refresh_health_cache(now);
    // The recovery wait starts when the provider turns unhealthy and ends when it is healthy.
    // Written only on a change, so that a healthy provider's steady state writes nothing here.
    const std::int64_t since = unhealthy_since_.load(std::memory_order_relaxed);
    if (!unhealthy_now()) {
        if (since != 0) unhealthy_since_.store(0, std::memory_order_release);
    } else if (!before.unhealthy || since == 0) {
        unhealthy_since_.store(ns(now), std::memory_order_release);
    }
    const Signature after = signature();
    if (!(after == before)) {
        bump();
        effects.from = static_cast<BreakerState>(before.state);
        effects.to = static_cast<BreakerState>(after.state);
        if (effects.to == BreakerState::open) {
            effects.open_for = Nanos{open_until_.load(std::memory_order_relaxed) - ns(now)};
            effects.permanent = effect == BreakerEffect::permanent;
        }
        if (after.cooldown_until > cooldown_before) effects.cooldown = Nanos{after.cooldown_until - ns(now)};
    }
    return effects;
}

TimePoint ProviderState::ready_at(TimePoint now, std::uint64_t tokens) const noexcept {
    TimePoint t = std::max(now, cooldown_until());
    if (rpm_.enabled()) t = std::max(t, rpm_.ready_at(now, 1));
    if (tpm_.enabled()) t = std::max(t, tpm_.ready_at(now, tokens));
    return t;
}

BreakerState ProviderState::reset_breaker() {
    std::lock_guard lock(mu_);
    const auto was = static_cast<BreakerState>(state_.load(std::memory_order_acquire));
    close_locked();
    return was;
}

void ProviderState::carry_from(const ProviderState& old, TimePoint now) {
    std::lock_guard old_lock(old.mu_);
    std::lock_guard lock(mu_);
    // The breaker, if both configurations have one. Probes in flight belong to the old state and
    // report there, so a half-open breaker comes over as open and due for a new probe at once.
    if (cb_enabled_ && old.cb_enabled_) {
        trips_ = old.trips_;
        const auto s = static_cast<BreakerState>(old.state_.load(std::memory_order_acquire));
        if (s != BreakerState::closed) {
            open_until_.store(s == BreakerState::open ? old.open_until_.load(std::memory_order_acquire) : ns(now),
                              std::memory_order_release);
            state_.store(static_cast<std::uint8_t>(BreakerState::open), std::memory_order_release);
        }
    }
    // Health: the failure streak, the latency average and the error window (if it is as long).
    consec_.store(old.consec_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    ewma_ns_.store(old.ewma_ns_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    window_->carry_from(*old.window_);
    unhealthy_since_.store(old.unhealthy_since_.load(std::memory_order_acquire), std::memory_order_release);
    err_valid_until_.store(0, std::memory_order_release);  // judged again under the new thresholds
    // The 429 cooldown, and how much of each per-minute limit is used (if the limit is the same).
    cooldown_until_.store(old.cooldown_until_.load(std::memory_order_acquire), std::memory_order_release);
    rate_limited_streak_ = old.rate_limited_streak_;
    rpm_.carry_from(old.rpm_);
    tpm_.carry_from(old.tpm_);
    update_weight_locked(now);
    refresh_health_cache(now);
    if (!unhealthy_now()) unhealthy_since_.store(0, std::memory_order_release);
    bump();
}

int ProviderState::permanent_trips() const {
    std::lock_guard lock(mu_);
    return trips_;
}

}  // namespace sw::health
