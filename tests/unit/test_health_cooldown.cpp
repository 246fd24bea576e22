// test_health_cooldown.cpp — the Cooldown value type alone: 429 backoff, Retry-After, quota resets.
#include "health/cooldown.hpp"

#include <switch/testing/fake_clock.hpp>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using sw::ErrorClass;
using sw::health::Cooldown;

namespace {

sw::Outcome status(int code) {
    sw::Outcome o;
    o.http_status = code;
    return o;
}

// A cooldown on a fake clock, for a provider whose retryDelay is 1 s.
struct Cooling {
    sw::FakeClock clock;
    Cooldown cooldown;
    void report(ErrorClass cls, const sw::Outcome& o) { cooldown.on_outcome_locked(cls, o, 1000ms, clock.now()); }
    void limited(const sw::Outcome& o = status(429)) { report(ErrorClass::rate_limited, o); }
    // The cooldown ends `d` from now.
    bool ends_in(sw::Nanos d) const { return cooldown.until() == clock.now() + d; }
};

}  // namespace

TEST_CASE("Cooldown: consecutive 429s double the wait, capped at kMaxBackoff, a success ends the streak") {
    Cooling c;
    CHECK_FALSE(c.cooldown.active(c.clock.now()));
    c.limited();
    CHECK(c.ends_in(1s));
    CHECK(c.cooldown.active(c.clock.now()));
    c.limited();
    CHECK(c.ends_in(2s));
    for (int i = 0; i < 10; ++i) c.limited();
    CHECK(c.ends_in(sw::kMaxBackoff));

    c.clock.advance(sw::kMaxBackoff);
    CHECK_FALSE(c.cooldown.active(c.clock.now()));
    c.report(ErrorClass::success, status(200));
    c.limited();
    CHECK(c.ends_in(1s));
}

TEST_CASE("Cooldown: Retry-After sets the wait, and a shorter one never cuts a longer wait short") {
    Cooling c;
    sw::Outcome limited = status(429);
    limited.retry_after = "5";
    c.limited(limited);
    CHECK(c.ends_in(5s));
    limited.retry_after = "1";
    c.limited(limited);
    CHECK(c.ends_in(5s));
}

TEST_CASE("Cooldown: a quota reset cools down even a success, the cooldown and its streak carry over") {
    Cooling c;
    sw::Outcome served = status(200);
    served.rate_limit_reset = 3000ms;
    c.report(ErrorClass::success, served);
    CHECK(c.ends_in(3s));

    c.limited();
    Cooling next;
    next.clock.set(c.clock.now());
    next.cooldown.carry_from_locked(c.cooldown);
    CHECK(next.cooldown.until() == c.cooldown.until());
    next.clock.advance(3s);
    next.limited();
    CHECK(next.ends_in(2s));  // the second 429 in a row
}
