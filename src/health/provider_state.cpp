// provider_state.cpp — which part of a provider's state an admission and an outcome reach.
#include "health/provider_state.hpp"

#include <algorithm>

namespace sw::health {

void ProviderState::init(std::uint32_t index, const PoolConfig& pool,
                         const ProviderConfig& provider, const PermanentPatterns& patterns,
                         double cost, std::atomic<std::uint64_t>* pool_version, StateStore& store) {
    index_ = index;
    pool_version_ = pool_version;
    pool_ = &pool;
    provider_ = &provider;
    patterns_ = &patterns;
    store_ = store.shared() ? &store : nullptr;
    cost_ = cost;
    breaker_.configure(pool.circuit_breaker);
    health_.configure(pool);
    recovery_.configure(pool.circuit_breaker);
    admission_.configure(provider.rate_limits);
    has_limits_ = admission_.has_limits();
    double w = provider.weight;
    if (pool.weighted_routing.auto_adjust && w > 0)
        w = std::clamp(w, pool.weighted_routing.min_weight, pool.weighted_routing.max_weight);
    weight_.store(w, std::memory_order_relaxed);
    standby_ = provider.weight <= 0;
    priority_ = static_cast<std::uint8_t>(std::clamp(provider.priority, 0, 255));
}

void ProviderState::refresh_health_cache(TimePoint now) const noexcept {
    const HealthStats::Change c = health_.refresh_error_rate(now);
    if (!c.changed) return;
    // Turned unhealthy by the window alone: the recovery wait starts now. Turned healthy
    // again: a later spell of ill health must start a wait of its own.
    if (c.unhealthy)
        recovery_.start_wait_if_none(now);
    else if (!health_.unhealthy_now())
        recovery_.end_wait();
    bump();
}

std::int64_t ProviderState::next_time_change(TimePoint now) const noexcept {
    const std::int64_t t = ns(now);
    std::int64_t out = INT64_MAX;
    auto consider = [&](std::int64_t v) {
        if (v > t && v < out) out = v;
    };
    consider(cooldown_.until_ns());
    consider(breaker_.next_time_change());
    consider(health_.next_time_change());
    consider(recovery_.slot_expiry());
    consider(recovery_.due_at());
    return out;
}

bool ProviderState::try_claim_measurement() noexcept {
    bool expected = false;
    return measuring_.compare_exchange_strong(expected, true, std::memory_order_acq_rel);
}

bool ProviderState::try_acquire(TimePoint now, Nanos timeout, std::uint64_t tokens,
                                ProviderTicket& ticket, bool health_probe) noexcept {
    if (cooldown_.active(now)) return false;
    if (health_probe) {
        // One claim wins: the compare-exchange from the expired (or zero) slot. It comes before
        // the breaker and the limits are asked; if they refuse, the slot is given back at once.
        const std::int64_t slot = recovery_.slot();
        std::uint32_t claim = 0;
        if (!probe_due(now) || !recovery_.claim(slot, now, timeout, claim)) return false;
        bump();
        if (!acquire_capacity(now, timeout, tokens, ticket)) {
            recovery_.free_slot();
            bump();
            return false;
        }
        ticket.health_probe = true;
        ticket.health_epoch = claim;
        return true;
    }
    return acquire_capacity(now, timeout, tokens, ticket);
}

bool ProviderState::take_limits(TimePoint now, std::uint64_t tokens) noexcept {
    if (!has_limits_) return true;
    if (!admission_.try_take(now, tokens)) return false;
    if (store_) store_->record_limit_use(key(), {.at = now, .requests = 1, .tokens = static_cast<std::int64_t>(tokens)});
    return true;
}

bool ProviderState::acquire_capacity(TimePoint now, Nanos timeout, std::uint64_t tokens,
                                     ProviderTicket& ticket) noexcept {
    ticket = ProviderTicket{};
    ticket.provider = index_;
    ticket.estimated_tokens = tokens;
    if (breaker_.passes()) {
        // The common path: no lock. A breaker that opens right now may still let this one
        // through; its report is then ignored by the breaker (the state is no longer closed).
        if (!take_limits(now, tokens)) return false;
        ticket.epoch = breaker_.epoch();
        in_flight_.fetch_add(1, std::memory_order_acq_rel);
        return true;
    }
    std::lock_guard lock(mu_);
    const Breaker::ProbeAdmission a = breaker_.admit_probe_locked(now);
    if (a.changed) bump();
    if (a.half_opened) {
        ticket.half_opened = true;
        publish(BreakerState::open, now);
    }
    if (!a.admitted || !take_limits(now, tokens)) return false;
    if (a.probe) {
        breaker_.take_probe_locked(now, timeout);
        bump();
        ticket.probe = true;
    }
    ticket.epoch = breaker_.epoch();
    in_flight_.fetch_add(1, std::memory_order_acq_rel);
    return true;
}

void ProviderState::abandon(const ProviderTicket& ticket) noexcept {
    if (ticket.provider != index_) return;
    if (ticket.measuring) release_measurement();
    std::lock_guard lock(mu_);
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    if (ticket.probe && breaker_.release_probe_locked(ticket.epoch)) bump();
    // An abandoned recovery probe proved nothing: the slot comes back, the wait is not restarted.
    if (ticket.health_probe && recovery_.holds(ticket.health_epoch)) {
        recovery_.free_slot();
        bump();
    }
}

void ProviderState::yield_probe(const ProviderTicket& ticket, TimePoint now, Nanos hold) noexcept {
    abandon(ticket);
    if (ticket.provider != index_ || !ticket.probe) return;
    std::lock_guard lock(mu_);
    // Unless a verdict came meanwhile (a close, or a longer open, applied from the store).
    if (breaker_.state() != BreakerState::half_open) return;
    breaker_.open_locked(now + hold);
    bump();
}

void ProviderState::record_health_probe_locked(const ProviderTicket& ticket, TimePoint now,
                                               const Outcome& outcome,
                                               BreakerEffect effect) noexcept {
    // A probe whose slot timed out and was claimed again decides nothing.
    if (!ticket.health_probe || !recovery_.holds(ticket.health_epoch)) return;
    recovery_.free_slot();
    switch (effect) {
        case BreakerEffect::success: {
            // The outage is over: the window and the failure streak are cleared (as a breaker's
            // close clears them), and the latency average starts again from this answer.
            const Nanos latency = std::chrono::duration_cast<Nanos>(outcome.latency);
            health_.restart_locked(latency);
            // Still slower than `responseTime`: still unhealthy, so the wait restarts.
            if (health_.slower_than_threshold(latency)) recovery_.restart_wait(now);
            break;
        }
        case BreakerEffect::failure:
        case BreakerEffect::permanent: recovery_.restart_wait(now); break;
        case BreakerEffect::neutral: break;  // a caller error or a 429 says nothing of health
    }
}

void ProviderState::close_locked() noexcept {
    health_.clear_locked();
    breaker_.close_locked();
    bump();
}

void ProviderState::update_weight_locked(TimePoint now) noexcept {
    const auto& wr = pool_->weighted_routing;
    const double base = provider_->weight;
    if (!wr.auto_adjust || base <= 0) return;
    const auto c = health_.counts(now);
    const double err = c.total ? static_cast<double>(c.failures) / c.total : 0.0;
    const double ref = static_cast<double>(std::chrono::duration_cast<Nanos>(pool_->health.response_time).count());
    const std::int64_t e = health_.ewma_ns();
    const double lat = e >= 0 ? static_cast<double>(e) : ref;
    // 2x at zero latency, 1x at the health threshold, toward 0 beyond it.
    const double speed = ref > 0 ? 2.0 * ref / (ref + lat) : 1.0;
    const double target = base * (1.0 - err) * speed;
    weight_.store(std::clamp(target, wr.min_weight, wr.max_weight), std::memory_order_relaxed);
}

// What the outcome does to the breaker and to the window that feeds it. Reports of attempts
// admitted before the breaker left `closed` do not drive it; a stale probe (its slot was
// reclaimed, or another probe decided) changes nothing.
void ProviderState::drive_breaker_locked(const ProviderTicket& ticket, TimePoint now,
                                         BreakerEffect effect) noexcept {
    const auto& cb = pool_->circuit_breaker;
    const auto reset_timeout = std::chrono::duration_cast<Nanos>(cb.reset_timeout);
    if (effect == BreakerEffect::neutral) {
        if (ticket.probe && breaker_.enabled()) breaker_.settle_probe_locked(ticket.epoch);
        return;
    }
    const bool failure = effect != BreakerEffect::success;
    if (!breaker_.enabled()) {
        health_.count_locked(now, failure);  // passes everything; the window still feeds health
    } else if (ticket.probe) {
        if (!breaker_.settle_probe_locked(ticket.epoch)) return;
        if (!failure) {
            close_locked();
            return;
        }
        health_.extend_streak_locked();
        if (effect == BreakerEffect::permanent)
            breaker_.trip_permanently_locked(now, cb);
        else
            breaker_.open_locked(now + reset_timeout);
    } else if (breaker_.state() == BreakerState::closed) {
        health_.count_locked(now, failure);
        if (effect == BreakerEffect::permanent)
            breaker_.trip_permanently_locked(now, cb);
        else if (failure && Breaker::threshold_reached(health_.consecutive_failures(), health_.counts(now), cb))
            breaker_.open_locked(now + reset_timeout);
    }
}

// The recovery wait starts when the provider turns unhealthy and ends when it is healthy.
// Written only on a change, so that a healthy provider's steady state writes nothing here.
void ProviderState::follow_health_locked(TimePoint now, bool was_unhealthy) noexcept {
    const std::int64_t since = recovery_.unhealthy_since();
    if (!health_.unhealthy_now()) {
        if (since != 0) recovery_.end_wait();
    } else if (!was_unhealthy || since == 0) {
        recovery_.restart_wait(now);
    }
}

void ProviderState::correct_token_estimate(const ProviderTicket& ticket, TimePoint now, const Outcome& outcome) noexcept {
    // Nothing to correct without a token limit, or without usage.
    if (!admission_.limits_tokens() || outcome.usage.total() == 0) return;
    const auto delta = static_cast<std::int64_t>(outcome.usage.total()) -
                       static_cast<std::int64_t>(ticket.estimated_tokens);
    admission_.correct_tokens(now, delta);
    if (store_ && delta != 0) store_->record_limit_use(key(), {.at = now, .tokens = delta});
}

RecordEffects ProviderState::record(const ProviderTicket& ticket, TimePoint now, const Outcome& outcome,
                                    ErrorClass cls) {
    if (ticket.provider != index_) return {};
    if (ticket.measuring) release_measurement();
    correct_token_estimate(ticket, now, outcome);
    const BreakerEffect effect = breaker_effect(cls, outcome, pool_->circuit_breaker.permanent, *patterns_);

    std::lock_guard lock(mu_);
    const Signature before = signature();
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    if (cls == ErrorClass::success) health_.add_latency_locked(std::chrono::duration_cast<Nanos>(outcome.latency));
    cooldown_.on_outcome_locked(cls, outcome, provider_->retry_delay, now);
    drive_breaker_locked(ticket, now, effect);
    record_health_probe_locked(ticket, now, outcome, effect);
    update_weight_locked(now);
    refresh_health_cache(now);
    follow_health_locked(now, before.unhealthy);
    return announce_locked(before, now, effect);
}

// Whatever selection derives changed: the pool's cache goes, and observers and the store hear
// of a breaker transition or a cooldown.
RecordEffects ProviderState::announce_locked(const Signature& before, TimePoint now, BreakerEffect effect) noexcept {
    RecordEffects effects;
    const Signature after = signature();
    if (after == before) return effects;
    bump();
    effects.from = before.state;
    effects.to = after.state;
    if (effects.to == BreakerState::open) {
        effects.open_for = breaker_.open_until() - now;
        effects.permanent = effect == BreakerEffect::permanent;
    }
    if (after.cooldown_until > before.cooldown_until) effects.cooldown = Nanos{after.cooldown_until - ns(now)};
    if (effects.breaker_changed()) publish(effects.from, now);
    return effects;
}

void ProviderState::publish(BreakerState from, TimePoint now, bool manual) const noexcept {
    if (!store_) return;
    store_->publish_transition(key(), {.from = from, .to = breaker_.state(), .at = now,
                                       .open_until = breaker_.open_until(),
                                       .permanent_trips = breaker_.permanent_trips_locked(), .manual = manual});
}

BreakerState ProviderState::reset_breaker(TimePoint now) {
    std::lock_guard lock(mu_);
    const BreakerState was = breaker_.state();
    close_locked();
    publish(was, now, true);
    return was;
}

RecordEffects ProviderState::apply_shared(const SharedBreakerView& view, TimePoint now) {
    std::lock_guard lock(mu_);
    if (view.epoch <= shared_epoch_) return {};
    shared_epoch_ = view.epoch;
    if (!breaker_.enabled()) return {};
    const Signature before = signature();
    const TimePoint until_before = breaker_.open_until();
    if (view.open) {
        breaker_.merge_trips_locked(view.trips);
        const TimePoint until = now + view.open_left;
        // The pessimistic side wins, as on the server: a local open that lasts longer stays.
        if (breaker_.state() != BreakerState::open || breaker_.open_until() < until) breaker_.open_locked(until);
    } else if (breaker_.state() != BreakerState::closed) {
        close_locked();
    }
    RecordEffects effects;
    const Signature after = signature();
    // A longer open changes no state but the instant the pool's cached tier must be rebuilt.
    if (after == before && breaker_.open_until() == until_before) return effects;
    bump();
    effects.from = before.state;
    effects.to = after.state;
    if (effects.to == BreakerState::open) effects.open_for = breaker_.open_until() - now;
    return effects;
}

void ProviderState::carry_from(const ProviderState& old, TimePoint now) {
    std::lock_guard old_lock(old.mu_);
    std::lock_guard lock(mu_);
    breaker_.carry_from_locked(old.breaker_, now);
    health_.carry_from_locked(old.health_);
    recovery_.carry_from(old.recovery_);
    cooldown_.carry_from_locked(old.cooldown_);
    admission_.carry_from(old.admission_);
    update_weight_locked(now);
    refresh_health_cache(now);
    if (!health_.unhealthy_now()) recovery_.end_wait();
    bump();
}

int ProviderState::permanent_trips() const {
    std::lock_guard lock(mu_);
    return breaker_.permanent_trips_locked();
}

}  // namespace sw::health
