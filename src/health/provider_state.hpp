// provider_state.hpp — the runtime state of one provider in one pool: breaker, health, load.
#pragma once

#include "health/admission.hpp"
#include "health/breaker.hpp"
#include "health/breaker_effect.hpp"
#include "health/cooldown.hpp"
#include "health/health_stats.hpp"
#include "health/recovery.hpp"
#include "health/state_store.hpp"

#include <switch/config.hpp>
#include <switch/outcome.hpp>
#include <switch/sys/router_core.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace sw::health {

using detail::ProviderTicket;

// What recording an outcome changed that observers hear of (events.hpp).
struct RecordEffects {
    BreakerState from = BreakerState::closed;
    BreakerState to = BreakerState::closed;
    Nanos open_for{0};       // when `to` is open
    bool permanent = false;  // the breaker opened for a permanent trip
    Nanos cooldown{0};       // a cooldown this outcome started or lengthened; 0: none
    bool breaker_changed() const noexcept { return from != to; }
};

// One provider in one pool, composed of value types with one job each: the `Breaker`, the
// `Cooldown` after 429s, the `HealthStats` verdict, the `Recovery` probe of an unhealthy
// provider, and the `Admission` of the per-minute limits; the in-flight count is its own, to sit
// in the first cache line. This class decides which of them an admission and an outcome reach,
// keeps the pool's candidate cache honest (`bump`), and tells the `StateStore` of breaker
// transitions and limit use.
//
// Reads for the selection path are lock-free atomic loads. Breaker transitions, window
// updates and probe admission take `mu_`, a lock private to this provider; a closed breaker's
// admission takes no lock at all. Selection reads, for a provider with a closed breaker, the
// first cache line (cooldown, breaker, tier flags, in-flight count: eligibility) and the second
// (the health verdict, the weight), with copies of the config values they need, so that a scan
// over a pool touches two lines per provider and chases no pointer; a closed breaker's admission
// without limits touches the first line only. The third holds what a cache rebuild and the
// cost strategies read; the limits and the cold rest follow.
class alignas(64) ProviderState {
public:
    // `pool_version` is bumped whenever this provider's eligibility or tier may have changed,
    // which invalidates the pool's cached candidate list (see selector.hpp). `store` is told of
    // breaker transitions and limit use (state_store.hpp).
    void init(std::uint32_t index, const PoolConfig& pool, const ProviderConfig& provider,
              const PermanentPatterns& patterns, double cost,
              std::atomic<std::uint64_t>* pool_version, StateStore& store = in_process_store());

    // ---- Selection path: lock-free, no allocation. ----
    // Breaker admits, no 429 cooldown, rate limits have room for one request of `tokens`.
    bool eligible(TimePoint now, std::uint64_t tokens) const noexcept {
        if (cooldown_.active(now)) return false;
        if (!breaker_.admits(now)) return false;
        if (has_limits_ && !admission_.has_room(now, tokens)) return false;
        return true;
    }
    // Meets every health threshold (error rate, EWMA latency, consecutive failures).
    bool healthy(TimePoint now) const noexcept {
        if (health_.failing_or_slow()) return false;
        if (health_.stale(now)) refresh_health_cache(now);
        return !health_.error_rate_too_high();
    }
    // Unhealthy, and due for its recovery probe: `resetTimeout` has passed since it became
    // unhealthy or since its last failed probe, and no probe is in flight. Selection ranks such
    // a provider with the healthy ones (ahead of them in its priority), so that exactly one
    // request at a time can show that it recovered (see docs/routing.md, "Recovery").
    bool probe_due(TimePoint now) const noexcept { return !healthy(now) && recovery_.due(now); }
    // The breaker would admit a request now (closed, or a probe slot is free).
    bool breaker_admits(TimePoint now) const noexcept { return breaker_.admits(now); }
    std::int64_t ewma_ns() const noexcept { return health_.ewma_ns(); }
    int in_flight() const noexcept { return in_flight_.load(std::memory_order_relaxed); }
    double weight() const noexcept { return weight_.load(std::memory_order_relaxed); }
    double cost() const noexcept { return cost_; }  // +inf when unknown
    int priority() const noexcept { return priority_; }
    bool standby() const noexcept { return standby_; }
    // Claims the one measuring request of an unmeasured provider (fastest_response).
    bool try_claim_measurement() noexcept;
    void release_measurement() noexcept { measuring_.store(false, std::memory_order_release); }

    // ---- Attempt lifecycle. ----
    // Takes capacity for one attempt: in-flight count, a probe slot when half-open, rate-limit
    // units. `timeout` bounds a probe: after it, an unreported probe's slot comes back.
    // With `health_probe`, the attempt is the recovery probe of an unhealthy provider and also
    // claims that one slot; it fails when the probe is no longer due (another request took it).
    bool try_acquire(TimePoint now, Nanos timeout, std::uint64_t tokens,
                     ProviderTicket& ticket, bool health_probe = false) noexcept;
    // Records the outcome of an acquired attempt and returns its capacity.
    // A 429 without Retry-After cools the provider down for retryDelay * 2^(streak - 1),
    // capped at kMaxBackoff, where streak counts consecutive 429s.
    RecordEffects record(const ProviderTicket& ticket, TimePoint now, const Outcome& outcome,
                         ErrorClass cls);
    // Returns an acquired attempt's capacity without an outcome (the request was abandoned).
    void abandon(const ProviderTicket& ticket) noexcept;
    // A half-open probe that was not sent, because another process holds the shared probe claim
    // (docs/scaling.md): its capacity comes back and the breaker is open again for `hold`, or
    // until that process's verdict reaches this one. Nothing is published: the shared breaker is
    // the claim holder's to change.
    void yield_probe(const ProviderTicket& ticket, TimePoint now, Nanos hold) noexcept;
    // When this provider could next be admitted, ignoring the breaker: the end of the 429
    // cooldown and of the rate-limit wait.
    TimePoint ready_at(TimePoint now, std::uint64_t tokens) const noexcept {
        return std::max(cooldown_.until(), admission_.ready_at(now, tokens));
    }
    // Closes the breaker by hand at `now`; returns the state it was in.
    BreakerState reset_breaker(TimePoint now);
    // Applies what a shared store says the breaker is (what other processes did), unless it is
    // stale (its epoch not newer than the last applied). An open opens the local breaker until
    // `now + open_left`, never shortening a local open, and merges the trip count; a close
    // closes it (clearing the window, as a close does). Nothing is published back: the store
    // already knows. Returns what changed, for observers.
    RecordEffects apply_shared(const SharedBreakerView& view, TimePoint now);
    // Takes what `old` (the same provider in the same pool, under the previous configuration)
    // has learned: breaker, health, cooldown and rate-limit use. Called on a state nobody uses
    // yet; `old` may be in use. See docs/transport.md, "Reloading the configuration".
    void carry_from(const ProviderState& old, TimePoint now);

    // ---- Introspection. ----
    // The earliest instant at which this provider's eligibility or health changes by time
    // alone (cooldown end, open timeout, probe expiry, health window bucket); INT64_MAX if none.
    // Out of line: only a rebuild of the pool's cached tier asks, and inlined into the scan it
    // would stretch the loop that every uncached selection runs.
    std::int64_t next_time_change(TimePoint now) const noexcept;
    bool has_rate_limits() const noexcept { return has_limits_; }
    BreakerState breaker_state() const noexcept { return breaker_.state(); }
    TimePoint open_until() const noexcept { return breaker_.open_until(); }
    TimePoint cooldown_until() const noexcept { return cooldown_.until(); }
    int probes_in_flight() const noexcept { return breaker_.probes_in_flight(); }
    int consecutive_failures() const noexcept { return health_.consecutive_failures(); }
    int permanent_trips() const;
    ErrorWindow::Counts window_counts(TimePoint now) const noexcept { return health_.counts(now); }
    const ProviderConfig& config() const noexcept { return *provider_; }
    const PoolConfig& pool() const noexcept { return *pool_; }
    StateKey key() const noexcept { return {pool_->id, provider_->name}; }

private:
    static std::int64_t ns(TimePoint t) noexcept { return t.time_since_epoch().count(); }
    void refresh_health_cache(TimePoint now) const noexcept;
    void bump() const noexcept {
        if (pool_version_) pool_version_->fetch_add(1, std::memory_order_acq_rel);
    }
    // What selection derives from this provider, apart from time: compared before and after a
    // recording to decide whether the pool's candidate cache must go.
    struct Signature {
        BreakerState state;
        int probes;
        std::int64_t cooldown_until;
        std::int64_t unhealthy_since;
        std::int64_t health_probe_until;
        bool unhealthy;
        bool operator==(const Signature&) const = default;
    };
    Signature signature() const noexcept {
        return {breaker_.state(), breaker_.probes_in_flight(), cooldown_.until_ns(),
                recovery_.unhealthy_since(), recovery_.slot_expiry(), health_.unhealthy_now()};
    }
    bool acquire_capacity(TimePoint now, Nanos timeout, std::uint64_t tokens,
                          ProviderTicket& ticket) noexcept;
    bool take_limits(TimePoint now, std::uint64_t tokens) noexcept;
    void drive_breaker_locked(const ProviderTicket& ticket, TimePoint now, BreakerEffect effect) noexcept;
    void record_health_probe_locked(const ProviderTicket& ticket, TimePoint now,
                                    const Outcome& outcome, BreakerEffect effect) noexcept;
    void follow_health_locked(TimePoint now, bool was_unhealthy) noexcept;
    void correct_token_estimate(const ProviderTicket& ticket, TimePoint now, const Outcome& outcome) noexcept;
    RecordEffects announce_locked(const Signature& before, TimePoint now, BreakerEffect effect) noexcept;
    void close_locked() noexcept;
    void update_weight_locked(TimePoint now) noexcept;
    void publish(BreakerState from, TimePoint now, bool manual = false) const noexcept;

    // ---- First cache line: eligibility. ----
    Cooldown cooldown_;
    Breaker breaker_;
    bool standby_ = false;
    bool has_limits_ = false;  // a copy of admission_.has_limits(), so eligibility stays here
    std::uint8_t priority_ = 1;
    std::atomic<bool> measuring_{false};
    // Attempts admitted and not yet reported; in-flight attempts report to the state that
    // admitted them, so a reload does not carry it.
    std::atomic<int> in_flight_{0};

    // ---- Second line: the health verdict, and the weight derived from it. ----
    alignas(64) HealthStats health_;
    std::atomic<double> weight_{1};

    // ---- Third line: what a cache rebuild and the cost strategies read, then cold. ----
    alignas(64) Recovery recovery_;
    double cost_ = 0;
    std::uint32_t index_ = 0;
    const PoolConfig* pool_ = nullptr;
    const ProviderConfig* provider_ = nullptr;

    // ---- Fourth line: the per-minute limits; then cold. ----
    alignas(64) Admission admission_;
    const PermanentPatterns* patterns_ = nullptr;
    std::atomic<std::uint64_t>* pool_version_ = nullptr;
    StateStore* store_ = nullptr;  // null for a store that is not shared: nothing to tell
    mutable std::mutex mu_;
    std::int64_t shared_epoch_ = 0;  // the last SharedBreakerView applied (under mu_)
};

// The layout above, checked: each group fits the line it starts.
static_assert(sizeof(Cooldown) + sizeof(Breaker) + 4 + sizeof(std::atomic<int>) <= 64,
              "eligibility and a closed breaker's admission must fit the first cache line");
static_assert(sizeof(HealthStats) + sizeof(std::atomic<double>) <= 64, "the health verdict must fit one line");
static_assert(sizeof(Recovery) + sizeof(double) + 4 + 2 * sizeof(void*) <= 64, "recovery must fit one line");
static_assert(sizeof(Admission) + 2 * sizeof(void*) <= 64, "the limits must fit one line");

}  // namespace sw::health
