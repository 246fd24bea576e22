// recovery.hpp — the recovery probe of an unhealthy provider (docs/routing.md, "Recovery").
#pragma once

#include <switch/clock.hpp>
#include <switch/config.hpp>

#include <atomic>
#include <cstdint>

namespace sw::health {

// `unhealthy_since` is when the provider became unhealthy, or when its last recovery probe
// failed (0: healthy). `probe_until` is when the recovery probe in flight stops holding its slot
// (0: none in flight). `epoch` changes with every claim, so that a probe whose slot timed out
// cannot decide. The slot is claimed lock-free (one compare-and-swap wins); the rest runs under
// the owning provider's lock.
class Recovery {
public:
    void configure(const CircuitBreakerConfig& cb) noexcept {
        retry_ns_ = std::chrono::duration_cast<Nanos>(cb.reset_timeout).count();
    }

    // For an unhealthy provider: due for its probe once `resetTimeout` has passed since it became
    // unhealthy or since its last failed probe, with no probe in flight.
    bool due(TimePoint now) const noexcept {
        const std::int64_t t = ns(now);
        if (t < probe_until_.load(std::memory_order_acquire)) return false;
        std::int64_t since = unhealthy_since_.load(std::memory_order_acquire);
        if (since == 0) {  // it turned unhealthy by time alone: its wait starts now
            unhealthy_since_.compare_exchange_strong(since, t, std::memory_order_acq_rel);
            return false;
        }
        return t >= since + retry_ns_;
    }
    // The slot as seen before `due` is asked, for `claim`.
    std::int64_t slot() const noexcept { return probe_until_.load(std::memory_order_acquire); }
    // Claims the slot seen as `seen` for `timeout`; false when another request took it first.
    // The claim's epoch goes into `claim`.
    bool claim(std::int64_t seen, TimePoint now, Nanos timeout, std::uint32_t& claim) noexcept {
        if (!probe_until_.compare_exchange_strong(seen, ns(now) + timeout.count(), std::memory_order_acq_rel))
            return false;
        claim = epoch_.fetch_add(1, std::memory_order_acq_rel) + 1;
        return true;
    }
    // The probe of `claim` still holds the slot (it was not reclaimed and claimed again).
    bool holds(std::uint32_t claim) const noexcept { return epoch_.load(std::memory_order_acquire) == claim; }
    void free_slot() noexcept { probe_until_.store(0, std::memory_order_release); }
    // The wait starts again from `now` (a failed probe, or a success still too slow).
    void restart_wait(TimePoint now) noexcept { unhealthy_since_.store(ns(now), std::memory_order_release); }
    // Turned unhealthy by the window alone: the wait starts now, unless it already runs.
    // Both may run on the selection path, which judges health lazily (hence `const`).
    void start_wait_if_none(TimePoint now) const noexcept {
        std::int64_t none = 0;
        unhealthy_since_.compare_exchange_strong(none, ns(now), std::memory_order_acq_rel);
    }
    void end_wait() const noexcept { unhealthy_since_.store(0, std::memory_order_release); }
    std::int64_t unhealthy_since() const noexcept { return unhealthy_since_.load(std::memory_order_acquire); }

    // When the probe's slot comes back, and when the probe becomes due; 0 when none applies.
    std::int64_t slot_expiry() const noexcept { return probe_until_.load(std::memory_order_acquire); }
    std::int64_t due_at() const noexcept {
        const std::int64_t since = unhealthy_since();
        return since ? since + retry_ns_ : 0;
    }
    // The wait carries over a reload; a probe in flight reports to the old state.
    void carry_from(const Recovery& old) noexcept {
        unhealthy_since_.store(old.unhealthy_since(), std::memory_order_release);
    }

private:
    static std::int64_t ns(TimePoint t) noexcept { return t.time_since_epoch().count(); }

    mutable std::atomic<std::int64_t> unhealthy_since_{0};
    std::atomic<std::int64_t> probe_until_{0};
    std::int64_t retry_ns_ = 0;  // resetTimeout
    std::atomic<std::uint32_t> epoch_{0};
};

}  // namespace sw::health
