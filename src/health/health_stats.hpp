// health_stats.hpp — the health verdict of one provider: failure streak, EWMA latency, error rate.
#pragma once

#include "health/error_window.hpp"

#include <switch/config.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>

namespace sw::health {

// Reads are lock-free; the `..._locked` writers run under the owning provider's lock. The
// error-rate verdict is cached until the window's next bucket boundary, so that selection does
// not sum 60 buckets per candidate: `stale()` says when `refresh_error_rate()` must run. What
// the verdict reads comes first, so that it sits in one cache line (provider_state.hpp).
class HealthStats {
public:
    void configure(const PoolConfig& pool) {
        pool_ = &pool;
        consec_threshold_ = pool.health.consecutive_failures;
        response_time_ns_ = std::chrono::duration_cast<Nanos>(pool.health.response_time).count();
        window_->configure(pool.circuit_breaker.monitoring_window);
    }

    // Unhealthy by the failure streak or the latency average alone (no error-rate part).
    bool failing_or_slow() const noexcept {
        if (consec_.load(std::memory_order_relaxed) >= consec_threshold_) return true;
        return ewma_ns_.load(std::memory_order_relaxed) > response_time_ns_;  // -1 never exceeds it
    }
    bool stale(TimePoint now) const noexcept { return ns(now) >= err_valid_until_.load(std::memory_order_acquire); }
    bool error_rate_too_high() const noexcept { return err_unhealthy_.load(std::memory_order_relaxed); }
    // The verdict as last computed: the error-rate part is the cached one.
    bool unhealthy_now() const noexcept { return failing_or_slow() || error_rate_too_high(); }

    struct Change {
        bool changed = false;
        bool unhealthy = false;  // the new error-rate verdict
    };
    // Judges the error rate again, the window holding at least minRequestsThreshold requests.
    Change refresh_error_rate(TimePoint now) const noexcept {
        const auto c = window_->counts(now);
        const bool bad =
            c.total > 0 &&
            c.total >= static_cast<std::uint32_t>(std::max(pool_->circuit_breaker.min_requests_threshold, 1)) &&
            static_cast<double>(c.failures) * 100.0 > pool_->health.error_rate * static_cast<double>(c.total);
        const bool was = err_unhealthy_.exchange(bad, std::memory_order_relaxed);
        err_valid_until_.store(ns(window_->next_expiry(now)), std::memory_order_release);
        return {was != bad, bad};
    }
    std::int64_t next_time_change() const noexcept { return err_valid_until_.load(std::memory_order_acquire); }

    std::int64_t ewma_ns() const noexcept { return ewma_ns_.load(std::memory_order_relaxed); }
    int consecutive_failures() const noexcept { return consec_.load(std::memory_order_relaxed); }
    ErrorWindow::Counts counts(TimePoint now) const noexcept { return window_->counts(now); }
    bool slower_than_threshold(Nanos latency) const noexcept { return latency.count() > response_time_ns_; }

    // A success's latency; alpha = 0.2, per the contract.
    void add_latency_locked(Nanos latency) noexcept {
        const std::int64_t sample = latency.count();
        const std::int64_t old = ewma_ns_.load(std::memory_order_relaxed);
        const std::int64_t next =
            old < 0 ? sample : old + static_cast<std::int64_t>(0.2 * static_cast<double>(sample - old));
        ewma_ns_.store(next, std::memory_order_relaxed);
    }
    // An outcome the breaker counts: into the window and the failure streak.
    void count_locked(TimePoint now, bool failure) noexcept {
        window_->add(now, failure);
        if (failure)
            consec_.fetch_add(1, std::memory_order_relaxed);
        else
            consec_.store(0, std::memory_order_relaxed);
    }
    // A failed breaker probe lengthens the streak; the window is not fed while the breaker is open.
    void extend_streak_locked() noexcept { consec_.fetch_add(1, std::memory_order_relaxed); }
    // Forgets the window and the streak (a breaker's close); judged again at the next read.
    void clear_locked() noexcept {
        window_->clear();
        consec_.store(0, std::memory_order_relaxed);
        err_valid_until_.store(0, std::memory_order_release);
    }
    // A successful recovery probe: the outage is over, so its failures describe the past, and
    // the latency average starts again from this answer.
    void restart_locked(Nanos latency) noexcept {
        clear_locked();
        ewma_ns_.store(latency.count(), std::memory_order_relaxed);
    }
    // Takes the streak, the latency average and the window (if it is as long); the error rate
    // is judged again under the new thresholds.
    void carry_from_locked(const HealthStats& old) noexcept {
        consec_.store(old.consec_.load(std::memory_order_relaxed), std::memory_order_relaxed);
        ewma_ns_.store(old.ewma_ns_.load(std::memory_order_relaxed), std::memory_order_relaxed);
        window_->carry_from(*old.window_);
        err_valid_until_.store(0, std::memory_order_release);
    }

private:
    static std::int64_t ns(TimePoint t) noexcept { return t.time_since_epoch().count(); }

    std::atomic<int> consec_{0};
    int consec_threshold_ = 3;
    std::atomic<std::int64_t> ewma_ns_{-1};  // -1: not measured yet
    std::int64_t response_time_ns_ = 0;
    mutable std::atomic<std::int64_t> err_valid_until_{0};
    mutable std::atomic<bool> err_unhealthy_{false};
    const PoolConfig* pool_ = nullptr;  // the error-rate thresholds, read on a refresh only
    // 1.4 KB of buckets, kept out of line so that a pool's hot lines stay within L1.
    std::unique_ptr<ErrorWindow> window_ = std::make_unique<ErrorWindow>();
};

}  // namespace sw::health
