// test_health_admission.cpp — the Admission value type alone: the per-minute limits.
#include "health/admission.hpp"

#include <switch/testing/fake_clock.hpp>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using sw::health::Admission;

TEST_CASE("Admission: without limits everything has room") {
    sw::FakeClock clock;
    Admission a;
    a.configure({});
    CHECK_FALSE(a.has_limits());
    CHECK(a.try_take(clock.now(), 1000000));
    CHECK(a.ready_at(clock.now(), 1000000) == clock.now());
}

TEST_CASE("Admission: a request takes from both limits or from neither") {
    sw::FakeClock clock;
    sw::RateLimits limits;
    limits.requests_per_minute = 2;
    limits.tokens_per_minute = 100;
    Admission a;
    a.configure(limits);
    CHECK(a.has_limits());
    CHECK(a.limits_tokens());
    CHECK(a.try_take(clock.now(), 80));
    CHECK_FALSE(a.has_room(clock.now(), 80));
    CHECK_FALSE(a.try_take(clock.now(), 80));  // the tokens refuse: the request is given back
    CHECK(a.try_take(clock.now(), 20));        // so one request is still left
    CHECK_FALSE(a.has_room(clock.now(), 1));
    CHECK(a.ready_at(clock.now(), 1) == clock.now() + 30s);
}

TEST_CASE("Admission: the real usage corrects the token estimate, use carries over a reload when the limit is the same") {
    sw::FakeClock clock;
    sw::RateLimits limits;
    limits.tokens_per_minute = 100;
    Admission a;
    a.configure(limits);
    REQUIRE(a.try_take(clock.now(), 90));
    a.correct_tokens(clock.now(), -80);  // it used 10
    CHECK(a.has_room(clock.now(), 90));

    Admission same;
    same.configure(limits);
    same.carry_from(a);
    CHECK_FALSE(same.has_room(clock.now(), 91));

    limits.tokens_per_minute = 1000;
    Admission raised;
    raised.configure(limits);
    raised.carry_from(a);
    CHECK(raised.has_room(clock.now(), 1000));
}
