// clock.cpp — the production and fake clocks and the SplitMix64 random source.
#include <switch/clock.hpp>
#include <switch/testing/fake_clock.hpp>

#include <random>
#include <thread>

namespace sw {

Clock::~Clock() = default;
Random::~Random() = default;

TimePoint SteadyClock::now() const noexcept {
    return std::chrono::time_point_cast<Nanos>(std::chrono::steady_clock::now());
}

void SteadyClock::sleep_until(TimePoint t) { std::this_thread::sleep_until(t); }

void FakeClock::sleep_until(TimePoint t) {
    const std::int64_t target = t.time_since_epoch().count();
    std::int64_t cur = ns_.load(std::memory_order_acquire);
    while (cur < target &&
           !ns_.compare_exchange_weak(cur, target, std::memory_order_acq_rel)) {
    }
}

std::uint64_t SplitMixRandom::next_u64() noexcept {
    // One fetch_add per draw: distinct threads always get distinct states.
    std::uint64_t z = state_.fetch_add(0x9e3779b97f4a7c15ULL, std::memory_order_relaxed) +
                      0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t random_seed() {
    std::random_device rd;
    const auto t = static_cast<std::uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count());
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^ (t * 0x9e3779b97f4a7c15ULL);
}

}  // namespace sw
