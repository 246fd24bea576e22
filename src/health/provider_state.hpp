// provider_state.hpp — the runtime state of one provider in one pool: breaker, health, load.
#pragma once

#include "health/error_window.hpp"
#include "health/rate_limiter.hpp"

#include <switch/config.hpp>
#include <switch/outcome.hpp>
#include <switch/sys/router_core.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace re2 {
class RE2;
}

namespace sw::health {

using detail::ProviderTicket;

// What an outcome does to the breaker.
enum class BreakerEffect : std::uint8_t { success, failure, permanent, neutral };

// Compiled permanent-failure patterns of one pool, shared by its providers.
struct PermanentPatterns {
    std::vector<std::unique_ptr<re2::RE2>> patterns;
    PermanentPatterns();
    ~PermanentPatterns();
    PermanentPatterns(PermanentPatterns&&) noexcept;
    PermanentPatterns& operator=(PermanentPatterns&&) noexcept;
    bool any_match(std::string_view text) const;
};

// What recording an outcome changed that observers hear of (events.hpp).
struct RecordEffects {
    BreakerState from = BreakerState::closed;
    BreakerState to = BreakerState::closed;
    Nanos open_for{0};       // when `to` is open
    bool permanent = false;  // the breaker opened for a permanent trip
    Nanos cooldown{0};       // a cooldown this outcome started or lengthened; 0: none
    bool breaker_changed() const noexcept { return from != to; }
};

// Decides the breaker effect of a classified outcome (see docs/routing.md, "Permanent trips").
BreakerEffect breaker_effect(ErrorClass cls, const Outcome& outcome,
                             const PermanentFailureConfig& permanent,
                             const PermanentPatterns& patterns);

// The open time of a permanent trip after `trips` earlier ones since the last close:
// max(resetTimeout * timeoutMultiplier, baseTimeoutMs) * 2^min(trips, maxBackoffMultiplier).
Nanos permanent_open_time(const CircuitBreakerConfig& cb, int trips) noexcept;

// Reads for the selection path are lock-free atomic loads. Breaker transitions, window
// updates and probe admission take `mu_`, a lock private to this provider; a closed breaker's
// admission takes no lock at all. Everything a selection reads for a provider with a closed
// breaker sits in the first cache line, with copies of the config values it needs, so that a
// scan over a pool touches one line per provider and chases no pointer.
class alignas(64) ProviderState {
public:
    // `pool_version` is bumped whenever this provider's eligibility or tier may have changed,
    // which invalidates the pool's cached candidate list (see selector.hpp).
    void init(std::uint32_t index, const PoolConfig& pool, const ProviderConfig& provider,
              const PermanentPatterns& patterns, double cost,
              std::atomic<std::uint64_t>* pool_version);

    // ---- Selection path: lock-free, no allocation. ----
    // Breaker admits, no 429 cooldown, rate limits have room for one request of `tokens`.
    bool eligible(TimePoint now, std::uint64_t tokens) const noexcept {
        if (cooldown_until_.load(std::memory_order_acquire) > ns(now)) return false;
        if (!breaker_admits(now)) return false;
        if (has_rpm_ && !rpm_.has_room(now, 1)) return false;
        if (has_tpm_ && !tpm_.has_room(now, tokens)) return false;
        return true;
    }
    // Meets every health threshold (error rate, EWMA latency, consecutive failures).
    bool healthy(TimePoint now) const noexcept {
        if (consec_.load(std::memory_order_relaxed) >= consec_threshold_) return false;
        const std::int64_t ewma = ewma_ns_.load(std::memory_order_relaxed);
        if (ewma > response_time_ns_) return false;  // -1 (unmeasured) never exceeds it
        if (ns(now) >= err_valid_until_.load(std::memory_order_acquire)) refresh_health_cache(now);
        return !err_unhealthy_.load(std::memory_order_relaxed);
    }
    // Unhealthy, and due for its recovery probe: `resetTimeout` has passed since it became
    // unhealthy or since its last failed probe, and no probe is in flight. Selection ranks such
    // a provider with the healthy ones (ahead of them in its priority), so that exactly one
    // request at a time can show that it recovered (see docs/routing.md, "Recovery").
    bool probe_due(TimePoint now) const noexcept {
        if (healthy(now)) return false;
        const std::int64_t t = ns(now);
        if (t < health_probe_until_.load(std::memory_order_acquire)) return false;
        std::int64_t since = unhealthy_since_.load(std::memory_order_acquire);
        if (since == 0) {  // it turned unhealthy by time alone: its wait starts now
            unhealthy_since_.compare_exchange_strong(since, t, std::memory_order_acq_rel);
            return false;
        }
        return t >= since + health_retry_ns_;
    }
    // The breaker would admit a request now (closed, or a probe slot is free).
    bool breaker_admits(TimePoint now) const noexcept {
        if (!cb_enabled_) return true;
        switch (static_cast<BreakerState>(state_.load(std::memory_order_acquire))) {
            case BreakerState::closed: return true;
            case BreakerState::open:
                return ns(now) >= open_until_.load(std::memory_order_acquire) && max_probes_ > 0;
            case BreakerState::half_open:
                return probes_.load(std::memory_order_acquire) < max_probes_ ||
                       ns(now) >= probe_expiry_.load(std::memory_order_acquire);
        }
        return false;
    }
    std::int64_t ewma_ns() const noexcept { return ewma_ns_.load(std::memory_order_relaxed); }
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
    // When this provider could next be admitted, ignoring the breaker: the end of the 429
    // cooldown and of the rate-limit wait.
    TimePoint ready_at(TimePoint now, std::uint64_t tokens) const noexcept;
    // Returns the state the breaker was in.
    BreakerState reset_breaker();
    // Takes what `old` (the same provider in the same pool, under the previous configuration)
    // has learned: breaker, health, cooldown and rate-limit use. Called on a state nobody uses
    // yet; `old` may be in use. See docs/transport.md, "Reloading the configuration".
    void carry_from(const ProviderState& old, TimePoint now);

    // ---- Introspection. ----
    // The earliest instant at which this provider's eligibility or health changes by time
    // alone (cooldown end, open timeout, probe expiry, health window bucket); INT64_MAX if none.
    std::int64_t next_time_change(TimePoint now) const noexcept {
        const std::int64_t t = ns(now);
        std::int64_t out = INT64_MAX;
        auto consider = [&](std::int64_t v) {
            if (v > t && v < out) out = v;
        };
        consider(cooldown_until_.load(std::memory_order_acquire));
        switch (static_cast<BreakerState>(state_.load(std::memory_order_acquire))) {
            case BreakerState::open: consider(open_until_.load(std::memory_order_acquire)); break;
            case BreakerState::half_open:
                consider(probe_expiry_.load(std::memory_order_acquire));
                break;
            case BreakerState::closed: break;
        }
        consider(err_valid_until_.load(std::memory_order_acquire));
        consider(health_probe_until_.load(std::memory_order_acquire));
        if (const std::int64_t since = unhealthy_since_.load(std::memory_order_acquire))
            consider(since + health_retry_ns_);
        return out;
    }
    bool has_rate_limits() const noexcept { return has_rpm_ || has_tpm_; }
    BreakerState breaker_state() const noexcept {
        return static_cast<BreakerState>(state_.load(std::memory_order_acquire));
    }
    TimePoint open_until() const noexcept { return tp(open_until_.load(std::memory_order_acquire)); }
    TimePoint cooldown_until() const noexcept {
        return tp(cooldown_until_.load(std::memory_order_acquire));
    }
    int probes_in_flight() const noexcept { return probes_.load(std::memory_order_acquire); }
    int consecutive_failures() const noexcept { return consec_.load(std::memory_order_relaxed); }
    int permanent_trips() const;
    ErrorWindow::Counts window_counts(TimePoint now) const noexcept { return window_->counts(now); }
    const ProviderConfig& config() const noexcept { return *provider_; }
    const PoolConfig& pool() const noexcept { return *pool_; }

private:
    static TimePoint tp(std::int64_t ns) noexcept { return TimePoint{Nanos{ns}}; }
    static std::int64_t ns(TimePoint t) noexcept { return t.time_since_epoch().count(); }
    void refresh_health_cache(TimePoint now) const noexcept;
    void bump() const noexcept {
        if (pool_version_) pool_version_->fetch_add(1, std::memory_order_acq_rel);
    }
    // What selection derives from this provider, apart from time: compared before and after a
    // recording to decide whether the pool's candidate cache must go.
    struct Signature {
        std::uint8_t state;
        int probes;
        std::int64_t cooldown_until;
        std::int64_t unhealthy_since;
        std::int64_t health_probe_until;
        bool unhealthy;
        bool operator==(const Signature&) const = default;
    };
    Signature signature() const noexcept {
        return {state_.load(std::memory_order_relaxed), probes_.load(std::memory_order_relaxed),
                cooldown_until_.load(std::memory_order_relaxed),
                unhealthy_since_.load(std::memory_order_relaxed),
                health_probe_until_.load(std::memory_order_relaxed), unhealthy_now()};
    }
    // The health verdict as last computed: the error-rate part is the cached one.
    bool unhealthy_now() const noexcept {
        return consec_.load(std::memory_order_relaxed) >= consec_threshold_ ||
               ewma_ns_.load(std::memory_order_relaxed) > response_time_ns_ ||
               err_unhealthy_.load(std::memory_order_relaxed);
    }
    bool acquire_capacity(TimePoint now, Nanos timeout, std::uint64_t tokens,
                          ProviderTicket& ticket) noexcept;
    void open_locked(TimePoint until) noexcept;
    void extend_cooldown_locked(std::int64_t until) noexcept;
    void record_health_probe_locked(const ProviderTicket& ticket, TimePoint now,
                                    const Outcome& outcome, BreakerEffect effect) noexcept;
    void close_locked() noexcept;
    void update_weight_locked(TimePoint now) noexcept;

    // ---- First cache line: what selection reads. ----
    std::atomic<std::uint8_t> state_{0};
    mutable std::atomic<bool> err_unhealthy_{false};
    std::atomic<bool> measuring_{false};
    bool cb_enabled_ = true;
    bool standby_ = false;
    bool has_rpm_ = false;
    bool has_tpm_ = false;
    std::uint8_t priority_ = 1;
    std::atomic<int> probes_{0};
    std::atomic<int> consec_{0};
    std::atomic<int> in_flight_{0};
    int max_probes_ = 1;
    int consec_threshold_ = 3;
    std::int64_t response_time_ns_ = 0;
    std::atomic<std::int64_t> open_until_{0};
    std::atomic<std::int64_t> cooldown_until_{0};
    std::atomic<std::int64_t> ewma_ns_{-1};  // -1: not measured yet
    // The error-rate verdict is cached until the window's next bucket boundary, so that the
    // selection path does not sum the window for every candidate.
    mutable std::atomic<std::int64_t> err_valid_until_{0};

    // ---- Second line: read by some strategies, by half-open breakers, by recovery probes
    // and by limits. ----
    std::atomic<std::int64_t> probe_expiry_{0};
    // Recovery of an unhealthy provider. `unhealthy_since_` is when it became unhealthy, or
    // when its last recovery probe failed (0: healthy); `health_probe_until_` is when the
    // recovery probe in flight stops holding its slot (0: none in flight). `health_epoch_`
    // changes with every claim, so that a probe whose slot timed out cannot decide.
    mutable std::atomic<std::int64_t> unhealthy_since_{0};
    std::atomic<std::int64_t> health_probe_until_{0};
    std::atomic<std::uint32_t> health_epoch_{0};
    std::int64_t health_retry_ns_ = 0;  // resetTimeout
    std::atomic<double> weight_{1};
    double cost_ = 0;
    RateLimiter rpm_;
    RateLimiter tpm_;

    // ---- Cold: recording and introspection. ----
    std::uint32_t index_ = 0;
    const PoolConfig* pool_ = nullptr;
    const ProviderConfig* provider_ = nullptr;
    const PermanentPatterns* patterns_ = nullptr;
    std::atomic<std::uint64_t>* pool_version_ = nullptr;
    // Breaker. `epoch_` changes on every transition, so that reports of attempts admitted
    // under an earlier state cannot drive a transition.
    std::atomic<std::uint32_t> epoch_{0};
    int trips_ = 0;                // permanent trips since the last successful close; under mu_
    int rate_limited_streak_ = 0;  // consecutive 429s; under mu_
    mutable std::mutex mu_;
    // 1.4 KB of buckets, kept out of line so that a pool's hot lines stay within L1.
    std::unique_ptr<ErrorWindow> window_ = std::make_unique<ErrorWindow>();
};

}  // namespace sw::health
