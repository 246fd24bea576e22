// rate_limiter.hpp — a lock-free per-minute limit (requests or tokens) for one provider.
#pragma once

#include <switch/clock.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace sw::health {

// GCRA, the token bucket expressed as one "theoretical arrival time" (TAT): a bucket of
// `limit` units refilling evenly over a minute. Taking `cost` units moves the TAT forward by
// cost * (60 s / limit); it is allowed while the TAT stays within a minute of now. One atomic
// word, so checks are one load and takes one CAS. A cost larger than the whole bucket is
// admitted when the bucket is full, rather than never.
class RateLimiter {
public:
    void configure(std::uint64_t per_minute) noexcept {
        limit_ = per_minute;
        interval_ = per_minute ? kPeriod / static_cast<double>(per_minute) : 0;
    }
    bool enabled() const noexcept { return limit_ != 0; }

    bool has_room(TimePoint now, std::uint64_t cost) const noexcept {
        return admits(tat_.load(std::memory_order_acquire), ns(now), cost);
    }

    bool try_take(TimePoint now, std::uint64_t cost) noexcept {
        const std::int64_t t = ns(now);
        std::int64_t tat = tat_.load(std::memory_order_acquire);
        for (;;) {
            if (!admits(tat, t, cost)) return false;
            const std::int64_t next = std::max(tat, t) + charge(cost);
            if (tat_.compare_exchange_weak(tat, next, std::memory_order_acq_rel)) return true;
        }
    }

    // Corrects an earlier take by `delta` units (negative refunds).
    void adjust(TimePoint now, std::int64_t delta) noexcept {
        if (delta == 0) return;
        const std::int64_t t = ns(now);
        std::int64_t tat = tat_.load(std::memory_order_acquire);
        for (;;) {
            const std::int64_t d = static_cast<std::int64_t>(static_cast<double>(delta) * interval_);
            // A refund never moves the TAT into the past (no credit beyond a full bucket);
            // a charge starts from now if the bucket was full.
            const std::int64_t next = delta > 0 ? std::max(tat, t) + d : std::max(tat + d, t);
            if (tat_.compare_exchange_weak(tat, next, std::memory_order_acq_rel)) return;
        }
    }

    // The earliest time at which `cost` units fit.
    TimePoint ready_at(TimePoint now, std::uint64_t cost) const noexcept {
        const std::int64_t tat = tat_.load(std::memory_order_acquire);
        std::int64_t t = cost > limit_ ? tat : tat + charge(cost) - static_cast<std::int64_t>(kPeriod);
        return TimePoint{Nanos{std::max(t, ns(now))}};
    }

    void reset() noexcept { tat_.store(0, std::memory_order_release); }
    // Takes `other`'s use of its bucket when both have the same limit; otherwise starts full.
    void carry_from(const RateLimiter& other) noexcept {
        tat_.store(other.limit_ == limit_ ? other.tat_.load(std::memory_order_acquire) : 0, std::memory_order_release);
    }

private:
    static constexpr double kPeriod = 60e9;  // one minute in ns
    static std::int64_t ns(TimePoint t) noexcept { return t.time_since_epoch().count(); }
    std::int64_t charge(std::uint64_t cost) const noexcept {
        return static_cast<std::int64_t>(static_cast<double>(cost) * interval_);
    }
    bool admits(std::int64_t tat, std::int64_t now, std::uint64_t cost) const noexcept {
        if (limit_ == 0) return true;
        if (cost > limit_) return tat <= now;
        return std::max(tat, now) + charge(cost) - now <= static_cast<std::int64_t>(kPeriod);
    }

    std::uint64_t limit_ = 0;
    double interval_ = 0;  // ns per unit
    std::atomic<std::int64_t> tat_{0};
};

}  // namespace sw::health
