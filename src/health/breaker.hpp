// breaker.hpp — the circuit breaker of one provider in one pool: closed, open, half-open.
#pragma once

#include "health/error_window.hpp"

#include <switch/config.hpp>
#include <switch/trace.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace sw::health {

// The open time of a permanent trip after `trips` earlier ones since the last close:
// max(resetTimeout * timeoutMultiplier, baseTimeoutMs) * 2^min(trips, maxBackoffMultiplier).
Nanos permanent_open_time(const CircuitBreakerConfig& cb, int trips) noexcept;

// Reads (`admits`, `state`, `epoch`) are lock-free and may run at any time. Every method named
// `..._locked` is a transition and runs under the owning provider's lock, which serialises
// them. `epoch` changes on every transition, so that the report of an attempt admitted under an
// earlier state cannot drive one. 40 bytes, so that it shares its cache line with the cooldown
// and the tier flags (see provider_state.hpp).
class Breaker {
public:
    void configure(const CircuitBreakerConfig& cb) noexcept {
        enabled_ = cb.enabled;
        max_probes_ = cb.half_open_max_probes;
    }
    bool enabled() const noexcept { return enabled_; }
    BreakerState state() const noexcept {
        return static_cast<BreakerState>(state_.load(std::memory_order_acquire));
    }
    // Lets a request through without a lock: disabled, or closed.
    bool passes() const noexcept { return !enabled_ || state() == BreakerState::closed; }
    // Would admit a request now (closed, or a probe slot is free).
    bool admits(TimePoint now) const noexcept {
        if (!enabled_) return true;
        switch (state()) {
            case BreakerState::closed: return true;
            case BreakerState::open: return ns(now) >= open_until_.load(std::memory_order_acquire) && max_probes_ > 0;
            case BreakerState::half_open:
                return probes_.load(std::memory_order_acquire) < max_probes_ ||
                       ns(now) >= probe_expiry_.load(std::memory_order_acquire);
        }
        return false;
    }
    std::uint32_t epoch() const noexcept { return epoch_.load(std::memory_order_acquire); }
    TimePoint open_until() const noexcept { return TimePoint{Nanos{open_until_.load(std::memory_order_acquire)}}; }
    int probes_in_flight() const noexcept { return probes_.load(std::memory_order_acquire); }
    int permanent_trips_locked() const noexcept { return trips_; }
    // When the state may change by time alone (open timeout, probe expiry); INT64_MAX if never.
    std::int64_t next_time_change() const noexcept {
        switch (state()) {
            case BreakerState::open: return open_until_.load(std::memory_order_acquire);
            case BreakerState::half_open: return probe_expiry_.load(std::memory_order_acquire);
            case BreakerState::closed: break;
        }
        return INT64_MAX;
    }

    // What a probe admission did; `changed` says selection must look again.
    struct ProbeAdmission {
        bool admitted = false;
        bool probe = false;        // admitted as a half-open breaker's probe (else it closed meanwhile)
        bool half_opened = false;  // this admission moved the breaker from open to half-open
        bool changed = false;
    };
    // The admission of a breaker that is not closed: an open one whose time is up turns
    // half-open; a half-open one whose probes all outlived their timeout takes their slots back
    // (their late reports carry the old epoch and are ignored). Takes no slot: `take_probe_locked`
    // does, once the rest of the admission (the rate limits) has agreed. Closed in the
    // meantime: admitted, as a plain request.
    ProbeAdmission admit_probe_locked(TimePoint now) noexcept {
        ProbeAdmission a;
        auto s = state();
        if (s == BreakerState::open) {
            if (ns(now) < open_until_.load(std::memory_order_acquire) || max_probes_ <= 0) return a;
            transition_locked(BreakerState::half_open);
            probes_.store(0, std::memory_order_release);
            probe_expiry_.store(0, std::memory_order_release);
            s = BreakerState::half_open;
            a.half_opened = a.changed = true;
        }
        if (s == BreakerState::half_open && probes_.load(std::memory_order_acquire) >= max_probes_) {
            if (ns(now) < probe_expiry_.load(std::memory_order_acquire)) return a;
            probes_.store(0, std::memory_order_release);
            epoch_.fetch_add(1, std::memory_order_acq_rel);
            a.changed = true;
        }
        a.admitted = true;
        a.probe = s == BreakerState::half_open;
        return a;
    }
    // Takes a probe slot, held until the probe reports or `timeout` has passed.
    void take_probe_locked(TimePoint now, Nanos timeout) noexcept {
        probes_.fetch_add(1, std::memory_order_acq_rel);
        const std::int64_t expiry = ns(now) + timeout.count();
        if (expiry > probe_expiry_.load(std::memory_order_acquire)) probe_expiry_.store(expiry, std::memory_order_release);
    }
    // Gives back the slot of a probe admitted at `epoch`, if it still holds one. True if it did.
    bool release_probe_locked(std::uint32_t epoch) noexcept {
        if (epoch_.load(std::memory_order_acquire) != epoch || probes_.load(std::memory_order_acquire) <= 0)
            return false;
        probes_.fetch_sub(1, std::memory_order_acq_rel);
        return true;
    }
    // A probe's report decides only while its breaker is half-open in the epoch that admitted
    // it; its slot is then released. False for a stale probe, which changes nothing.
    bool settle_probe_locked(std::uint32_t epoch) noexcept {
        if (state() != BreakerState::half_open || epoch_.load(std::memory_order_acquire) != epoch) return false;
        probes_.fetch_sub(1, std::memory_order_acq_rel);
        return true;
    }
    // Whether the failures counted while closed open the breaker: the consecutive count, or
    // the failure share of a window that holds enough requests.
    static bool threshold_reached(int consecutive, ErrorWindow::Counts c, const CircuitBreakerConfig& cb) noexcept {
        const bool by_share = c.total >= static_cast<std::uint32_t>(std::max(cb.min_requests_threshold, 1)) &&
                              static_cast<double>(c.failures) * 100.0 >=
                                  cb.error_threshold_percentage * static_cast<double>(c.total);
        return consecutive >= cb.failure_threshold || by_share;
    }
    void open_locked(TimePoint until) noexcept {
        open_until_.store(ns(until), std::memory_order_release);
        probes_.store(0, std::memory_order_release);
        transition_locked(BreakerState::open);
    }
    // Opens for a permanent trip, for longer with each one since the last close.
    void trip_permanently_locked(TimePoint now, const CircuitBreakerConfig& cb) noexcept {
        open_locked(now + permanent_open_time(cb, trips_));
        ++trips_;
    }
    // Another process's permanent-trip count, learned through a shared store: the larger wins,
    // so that every process backs off as long as the one that tripped most.
    void merge_trips_locked(int trips) noexcept { trips_ = std::max(trips_, trips); }
    void close_locked() noexcept {
        trips_ = 0;
        probes_.store(0, std::memory_order_release);
        probe_expiry_.store(0, std::memory_order_release);
        open_until_.store(0, std::memory_order_release);
        transition_locked(BreakerState::closed);
    }
    // Takes what `old` learned, if both configurations have a breaker. Probes in flight belong to
    // the old state and report there, so a half-open breaker comes over as open and due for a
    // new probe at once. Both locks are held.
    void carry_from_locked(const Breaker& old, TimePoint now) noexcept {
        if (!enabled_ || !old.enabled_) return;
        trips_ = old.trips_;
        const BreakerState s = old.state();
        if (s == BreakerState::closed) return;
        open_until_.store(s == BreakerState::open ? old.open_until_.load(std::memory_order_acquire) : ns(now),
                          std::memory_order_release);
        state_.store(static_cast<std::uint8_t>(BreakerState::open), std::memory_order_release);
    }

private:
    static std::int64_t ns(TimePoint t) noexcept { return t.time_since_epoch().count(); }
    void transition_locked(BreakerState to) noexcept {
        state_.store(static_cast<std::uint8_t>(to), std::memory_order_release);
        epoch_.fetch_add(1, std::memory_order_acq_rel);
    }

    std::atomic<std::int64_t> open_until_{0};
    std::atomic<std::int64_t> probe_expiry_{0};
    std::atomic<int> probes_{0};
    int max_probes_ = 1;
    std::atomic<std::uint32_t> epoch_{0};
    int trips_ = 0;  // permanent trips since the last close
    std::atomic<std::uint8_t> state_{0};
    bool enabled_ = true;
};

}  // namespace sw::health
