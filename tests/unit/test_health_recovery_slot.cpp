// test_health_recovery_slot.cpp — the Recovery value type alone: the wait, the one probe slot, epochs.
#include "health/recovery.hpp"

#include <switch/testing/fake_clock.hpp>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using sw::health::Recovery;

namespace {

// A Recovery whose wait is 10 s (resetTimeout).
struct Configured : Recovery {
    Configured() {
        sw::CircuitBreakerConfig cb;
        cb.reset_timeout = 10000ms;
        configure(cb);
    }
};

}  // namespace

TEST_CASE("Recovery: due resetTimeout after the provider turned unhealthy, the wait starting when first asked") {
    sw::FakeClock clock;
    Configured r;
    CHECK(r.due_at() == 0);
    CHECK_FALSE(r.due(clock.now()));  // starts the wait
    CHECK(r.unhealthy_since() == clock.now().time_since_epoch().count());
    clock.advance(9999ms);
    CHECK_FALSE(r.due(clock.now()));
    clock.advance(1ms);
    CHECK(r.due(clock.now()));
    r.end_wait();
    CHECK(r.unhealthy_since() == 0);
    r.start_wait_if_none(clock.now());
    r.start_wait_if_none(clock.now() + 1s);  // already waiting: unchanged
    CHECK(r.due_at() == (clock.now() + 10s).time_since_epoch().count());
}

TEST_CASE("Recovery: one claim wins the slot, which holds until freed or its timeout passes") {
    sw::FakeClock clock;
    Configured r;
    r.restart_wait(clock.now() - 10s);
    REQUIRE(r.due(clock.now()));
    const std::int64_t seen = r.slot();
    std::uint32_t first = 0;
    std::uint32_t second = 0;
    CHECK(r.claim(seen, clock.now(), 2s, first));
    CHECK_FALSE(r.claim(seen, clock.now(), 2s, second));  // lost the race
    CHECK_FALSE(r.due(clock.now()));
    CHECK(r.holds(first));
    CHECK(r.slot_expiry() == (clock.now() + 2s).time_since_epoch().count());

    clock.advance(2s);  // the probe never reported: the slot comes back
    REQUIRE(r.due(clock.now()));
    CHECK(r.claim(r.slot(), clock.now(), 2s, second));
    CHECK_FALSE(r.holds(first));  // its late report decides nothing
    CHECK(r.holds(second));
    r.free_slot();
    CHECK(r.due(clock.now()));
}

TEST_CASE("Recovery: the wait carries over a reload, a probe in flight does not") {
    sw::FakeClock clock;
    Configured old;
    old.restart_wait(clock.now());
    std::uint32_t claim = 0;
    REQUIRE(old.claim(old.slot(), clock.now(), 5s, claim));
    Configured next;
    next.carry_from(old);
    CHECK(next.unhealthy_since() == old.unhealthy_since());
    CHECK(next.slot_expiry() == 0);
}
