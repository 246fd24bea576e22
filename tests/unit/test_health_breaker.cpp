// test_health_breaker.cpp — the Breaker value type alone: admission, probes, epochs, carry-over.
#include "health/breaker.hpp"

#include <switch/testing/fake_clock.hpp>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using sw::BreakerState;
using sw::health::Breaker;

namespace {

sw::CircuitBreakerConfig config(int probes = 1) {
    sw::CircuitBreakerConfig cb;
    cb.half_open_max_probes = probes;
    cb.reset_timeout = 10000ms;
    return cb;
}

}  // namespace

TEST_CASE("Breaker: a closed breaker passes, an open one admits nothing until its time is up") {
    sw::FakeClock clock;
    Breaker b;
    b.configure(config());
    CHECK(b.passes());
    CHECK(b.admits(clock.now()));
    CHECK(b.next_time_change() == INT64_MAX);

    const std::uint32_t epoch = b.epoch();
    b.open_locked(clock.now() + 10s);
    CHECK(b.epoch() != epoch);
    CHECK_FALSE(b.passes());
    CHECK_FALSE(b.admits(clock.now()));
    CHECK_FALSE(b.admit_probe_locked(clock.now()).admitted);
    CHECK(b.next_time_change() == (clock.now() + 10s).time_since_epoch().count());

    clock.advance(10s);
    CHECK(b.admits(clock.now()));
    const Breaker::ProbeAdmission a = b.admit_probe_locked(clock.now());
    CHECK(a.admitted);
    CHECK(a.probe);
    CHECK(a.half_opened);
    CHECK(b.state() == BreakerState::half_open);
}

TEST_CASE("Breaker: half-open admits max probes, and takes back the slots of probes that outlive their timeout") {
    sw::FakeClock clock;
    Breaker b;
    b.configure(config(2));
    b.open_locked(clock.now());
    for (int i = 0; i < 2; ++i) {
        REQUIRE(b.admit_probe_locked(clock.now()).admitted);
        b.take_probe_locked(clock.now(), 5s);
    }
    CHECK(b.probes_in_flight() == 2);
    CHECK_FALSE(b.admits(clock.now()));
    CHECK_FALSE(b.admit_probe_locked(clock.now()).admitted);

    const std::uint32_t stale = b.epoch();
    clock.advance(5s);
    const Breaker::ProbeAdmission a = b.admit_probe_locked(clock.now());
    CHECK(a.admitted);
    CHECK(a.changed);
    CHECK_FALSE(a.half_opened);
    CHECK(b.probes_in_flight() == 0);
    // The reclaimed probes' late reports carry the old epoch: they neither settle nor release.
    CHECK_FALSE(b.settle_probe_locked(stale));
    CHECK_FALSE(b.release_probe_locked(stale));
}

TEST_CASE("Breaker: a probe of the current epoch settles once, closing forgets the permanent trips") {
    sw::FakeClock clock;
    Breaker b;
    const auto cb = config();
    b.configure(cb);
    b.trip_permanently_locked(clock.now(), cb);
    CHECK(b.permanent_trips_locked() == 1);
    CHECK(b.open_until() == clock.now() + sw::health::permanent_open_time(cb, 0));
    clock.set(b.open_until());
    REQUIRE(b.admit_probe_locked(clock.now()).admitted);
    b.take_probe_locked(clock.now(), 1s);
    const std::uint32_t epoch = b.epoch();
    CHECK(b.settle_probe_locked(epoch));
    CHECK(b.probes_in_flight() == 0);
    b.close_locked();
    CHECK(b.state() == BreakerState::closed);
    CHECK(b.permanent_trips_locked() == 0);
    CHECK_FALSE(b.settle_probe_locked(epoch));  // closed: no probe decides any more
}

TEST_CASE("Breaker: the closed breaker's thresholds, by count and by share") {
    auto cb = config();
    cb.failure_threshold = 3;
    cb.min_requests_threshold = 4;
    cb.error_threshold_percentage = 50;
    CHECK(Breaker::threshold_reached(3, {3, 3}, cb));
    CHECK_FALSE(Breaker::threshold_reached(2, {3, 2}, cb));  // too few requests for the share
    CHECK(Breaker::threshold_reached(1, {4, 2}, cb));         // 50 % of 4
    CHECK_FALSE(Breaker::threshold_reached(1, {5, 2}, cb));
}

TEST_CASE("Breaker: a disabled breaker admits everything") {
    sw::FakeClock clock;
    auto cb = config();
    cb.enabled = false;
    Breaker b;
    b.configure(cb);
    CHECK(b.passes());
    CHECK(b.admits(clock.now()));
}

TEST_CASE("Breaker: carried over a reload, open stays open and half-open comes back open and due") {
    sw::FakeClock clock;
    Breaker open;
    open.configure(config());
    open.open_locked(clock.now() + 7s);
    Breaker half;
    half.configure(config());
    half.open_locked(clock.now());
    REQUIRE(half.admit_probe_locked(clock.now()).half_opened);

    Breaker a;
    a.configure(config());
    a.carry_from_locked(open, clock.now());
    CHECK(a.state() == BreakerState::open);
    CHECK(a.open_until() == clock.now() + 7s);
    Breaker b;
    b.configure(config());
    b.carry_from_locked(half, clock.now());
    CHECK(b.state() == BreakerState::open);
    CHECK(b.admits(clock.now()));

    auto off = config();
    off.enabled = false;
    Breaker c;
    c.configure(off);
    c.carry_from_locked(open, clock.now());
    CHECK(c.state() == BreakerState::closed);
}
