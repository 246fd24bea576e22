// clock.hpp — injected time and randomness, so that routing is exact under a fake clock.
#pragma once

#include <switch/switch.h>

#include <atomic>
#include <chrono>
#include <cstdint>

namespace sw {

using Nanos = std::chrono::nanoseconds;
// A point on the monotonic clock. Routing never looks at wall time.
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Nanos>;

// The source of time for every routing component. Implementations are thread-safe.
class SW_API Clock {
public:
    virtual ~Clock();
    virtual TimePoint now() const noexcept = 0;
    // Blocks the calling thread until `t` (a fake clock jumps there instead). Only the
    // synchronous driver calls this; the routing state machine never waits by itself.
    virtual void sleep_until(TimePoint t) = 0;
};

// Production clock: std::chrono::steady_clock.
class SW_API SteadyClock final : public Clock {
public:
    TimePoint now() const noexcept override;
    void sleep_until(TimePoint t) override;
};

// A source of uniform random bits. Implementations are thread-safe.
class SW_API Random {
public:
    virtual ~Random();
    virtual std::uint64_t next_u64() noexcept = 0;
    // Uniform in [0, 1), from the top 53 bits.
    double uniform() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
};

// SplitMix64 over one atomic counter: lock-free, thread-safe, and deterministic for a given
// seed when one thread draws. Production seeds it with random_seed().
class SW_API SplitMixRandom final : public Random {
public:
    explicit SplitMixRandom(std::uint64_t seed) noexcept : state_(seed) {}
    std::uint64_t next_u64() noexcept override;

private:
    std::atomic<std::uint64_t> state_;
};

// A seed from std::random_device mixed with the steady clock.
SW_API std::uint64_t random_seed();

}  // namespace sw
