// cooldown.hpp — the time a provider gets no traffic because it said so: 429s and quota resets.
#pragma once

#include <switch/outcome.hpp>
#include <switch/sys/router_core.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace sw::health {

// `until` is read lock-free by selection; `on_outcome` runs under the owning provider's lock.
// A cooldown only ever lengthens, so a short Retry-After never cuts a longer wait short.
class Cooldown {
public:
    bool active(TimePoint now) const noexcept { return until_.load(std::memory_order_acquire) > ns(now); }
    std::int64_t until_ns() const noexcept { return until_.load(std::memory_order_acquire); }
    TimePoint until() const noexcept { return TimePoint{Nanos{until_ns()}}; }

    // A 429 cools down until Retry-After, or else for retryDelay * 2^(streak - 1), capped at
    // kMaxBackoff, where streak counts consecutive 429s; a success ends the streak. A quota
    // reset (`rate_limit_reset`) cools down until it, whatever the class, even on a success.
    void on_outcome_locked(ErrorClass cls, const Outcome& outcome, Millis retry_delay, TimePoint now) noexcept {
        if (cls == ErrorClass::success) {
            streak_ = 0;
        } else if (cls == ErrorClass::rate_limited) {
            ++streak_;
            Nanos cd;
            if (auto ra = retry_after(outcome)) {
                cd = *ra;
            } else {
                const int n = std::min(streak_ - 1, 20);
                const auto delay = std::chrono::duration_cast<Nanos>(retry_delay) * (std::int64_t{1} << n);
                cd = std::min<Nanos>(delay, std::chrono::duration_cast<Nanos>(kMaxBackoff));
            }
            extend_locked(ns(now) + cd.count());
        }
        if (outcome.rate_limit_reset.count() > 0)
            extend_locked(ns(now) + std::chrono::duration_cast<Nanos>(outcome.rate_limit_reset).count());
    }
    // Takes the old configuration's cooldown and streak: both are the provider's, not the config's.
    void carry_from_locked(const Cooldown& old) noexcept {
        until_.store(old.until_ns(), std::memory_order_release);
        streak_ = old.streak_;
    }

private:
    static std::int64_t ns(TimePoint t) noexcept { return t.time_since_epoch().count(); }
    void extend_locked(std::int64_t until) noexcept {
        if (until > until_.load(std::memory_order_acquire)) until_.store(until, std::memory_order_release);
    }

    std::atomic<std::int64_t> until_{0};
    int streak_ = 0;  // consecutive 429s
};

}  // namespace sw::health
