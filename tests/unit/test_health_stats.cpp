// test_health_stats.cpp — the HealthStats value type alone: streak, EWMA, cached error-rate verdict.
#include "health/health_stats.hpp"

#include <switch/testing/fake_clock.hpp>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using sw::health::HealthStats;

namespace {

sw::PoolConfig pool() {
    sw::PoolConfig p;
    p.health.consecutive_failures = 3;
    p.health.response_time = 1000ms;
    p.health.error_rate = 20;
    p.circuit_breaker.min_requests_threshold = 5;
    p.circuit_breaker.monitoring_window = 60000ms;
    return p;
}

}  // namespace

TEST_CASE("HealthStats: the failure streak and the latency average each make a provider unhealthy") {
    sw::FakeClock clock;
    const sw::PoolConfig p = pool();
    HealthStats h;
    h.configure(p);
    CHECK(h.ewma_ns() == -1);
    CHECK_FALSE(h.failing_or_slow());
    for (int i = 0; i < 3; ++i) h.count_locked(clock.now(), true);
    CHECK(h.failing_or_slow());
    h.count_locked(clock.now(), false);
    CHECK(h.consecutive_failures() == 0);
    CHECK_FALSE(h.failing_or_slow());

    h.add_latency_locked(500ms);
    CHECK(h.ewma_ns() == sw::Nanos(500ms).count());
    h.add_latency_locked(3000ms);  // 500 + 0.2 * 2500 = 1000: at the threshold, not beyond it
    CHECK(h.ewma_ns() == sw::Nanos(1000ms).count());
    CHECK_FALSE(h.failing_or_slow());
    h.add_latency_locked(1500ms);
    CHECK(h.failing_or_slow());
}

TEST_CASE("HealthStats: the error-rate verdict waits for enough requests and holds until the next bucket") {
    sw::FakeClock clock;
    const sw::PoolConfig p = pool();
    HealthStats h;
    h.configure(p);
    CHECK(h.stale(clock.now()));
    for (int i = 0; i < 4; ++i) h.count_locked(clock.now(), i % 2 == 0);
    CHECK_FALSE(h.refresh_error_rate(clock.now()).changed);  // 4 requests: fewer than 5
    CHECK_FALSE(h.stale(clock.now()));
    h.count_locked(clock.now(), false);
    CHECK_FALSE(h.stale(clock.now()));  // cached until the bucket boundary
    CHECK_FALSE(h.error_rate_too_high());
    const auto change = h.refresh_error_rate(clock.now());
    CHECK(change.changed);
    CHECK(change.unhealthy);  // 2 of 5 = 40 % > 20 %
    CHECK(h.unhealthy_now());
    clock.set(sw::TimePoint{sw::Nanos{h.next_time_change()}});
    CHECK(h.stale(clock.now()));
}

TEST_CASE("HealthStats: clearing forgets the window and the streak, a restart also resets the average") {
    sw::FakeClock clock;
    const sw::PoolConfig p = pool();
    HealthStats h;
    h.configure(p);
    for (int i = 0; i < 5; ++i) h.count_locked(clock.now(), true);
    h.add_latency_locked(900ms);
    h.clear_locked();
    CHECK(h.consecutive_failures() == 0);
    CHECK(h.counts(clock.now()).total == 0);
    CHECK(h.ewma_ns() == sw::Nanos(900ms).count());
    CHECK(h.stale(clock.now()));
    h.restart_locked(200ms);
    CHECK(h.ewma_ns() == sw::Nanos(200ms).count());
    CHECK(h.slower_than_threshold(1001ms));
    CHECK_FALSE(h.slower_than_threshold(1000ms));
}

TEST_CASE("HealthStats: carried over, the window comes only when the new one is as long") {
    sw::FakeClock clock;
    const sw::PoolConfig p = pool();
    HealthStats old;
    old.configure(p);
    old.count_locked(clock.now(), true);
    old.add_latency_locked(300ms);

    HealthStats same;
    same.configure(p);
    same.carry_from_locked(old);
    CHECK(same.consecutive_failures() == 1);
    CHECK(same.ewma_ns() == sw::Nanos(300ms).count());
    CHECK(same.counts(clock.now()).failures == 1);

    sw::PoolConfig longer = p;
    longer.circuit_breaker.monitoring_window = 120000ms;
    HealthStats other;
    other.configure(longer);
    other.carry_from_locked(old);
    CHECK(other.consecutive_failures() == 1);
    CHECK(other.counts(clock.now()).total == 0);
}
