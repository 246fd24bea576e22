// fake_clock.hpp — a clock for tests: time moves only when the test moves it (testing tier:
// for tests of libswitch and of code that embeds it; not needed to route).
#pragma once

#include <switch/clock.hpp>

#include <atomic>
#include <cstdint>

namespace sw {

// A clock that only moves when told to. sleep_until() jumps forward at once, so tests that
// wait for minutes run in microseconds. Thread-safe.
class SW_API FakeClock final : public Clock {
public:
    // Starts well after the epoch, so that "0" can mean "never" in stored deadlines.
    explicit FakeClock(TimePoint start = TimePoint{} + std::chrono::hours(1)) noexcept
        : ns_(start.time_since_epoch().count()) {}
    TimePoint now() const noexcept override {
        return TimePoint{Nanos{ns_.load(std::memory_order_acquire)}};
    }
    void sleep_until(TimePoint t) override;  // never moves backwards
    void advance(Nanos d) noexcept { ns_.fetch_add(d.count(), std::memory_order_acq_rel); }
    void set(TimePoint t) noexcept {
        ns_.store(t.time_since_epoch().count(), std::memory_order_release);
    }

private:
    std::atomic<std::int64_t> ns_;
};

}  // namespace sw
