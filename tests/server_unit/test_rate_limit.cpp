// test_rate_limit.cpp — switch-server's token buckets, on a clock the test moves.
#include "rate_limit.hpp"

#include <catch2/catch.hpp>

using server::RateLimiter;
using server::RateLimits;
using namespace std::chrono_literals;

namespace {
RateLimits minute_only(std::int64_t per_minute, std::int64_t burst = 0) {
    RateLimits l;
    l.enabled = true;
    l.per_minute = per_minute;
    l.per_hour = 0;
    l.per_day = 0;
    l.burst = burst;
    return l;
}
}  // namespace

TEST_CASE("a minute bucket refills one request per 60/N seconds", "[server][rate]") {
    RateLimiter limiter(minute_only(6));
    const auto t0 = RateLimiter::Clock::time_point{} + 1000s;
    for (int i = 0; i < 6; ++i) REQUIRE(limiter.admit("c", t0).allowed);
    auto d = limiter.admit("c", t0);
    CHECK_FALSE(d.allowed);
    CHECK(d.retry_after_seconds == 10);
    CHECK(d.remaining == 0);
    CHECK(d.reset_seconds == 60);
    CHECK_FALSE(limiter.admit("c", t0 + 9s).allowed);
    d = limiter.admit("c", t0 + 10s);
    CHECK(d.allowed);
    CHECK(d.remaining == 0);
    CHECK(limiter.admit("other", t0).allowed);  // each client has its own buckets
}

TEST_CASE("the burst size bounds the minute bucket", "[server][rate]") {
    RateLimiter limiter(minute_only(60, 2));
    const auto t0 = RateLimiter::Clock::time_point{} + 5s;
    CHECK(limiter.admit("c", t0).allowed);
    CHECK(limiter.admit("c", t0).allowed);
    const auto d = limiter.admit("c", t0);
    CHECK_FALSE(d.allowed);
    CHECK(d.limit == 2);
    CHECK(d.retry_after_seconds == 1);
    // Idle for an hour, it holds the burst again and no more.
    CHECK(limiter.admit("c", t0 + 1h).allowed);
    CHECK(limiter.admit("c", t0 + 1h).allowed);
    CHECK_FALSE(limiter.admit("c", t0 + 1h).allowed);
}

TEST_CASE("a refused request takes nothing from any bucket", "[server][rate]") {
    RateLimits l;
    l.enabled = true;
    l.per_minute = 0;
    l.per_hour = 2;
    l.per_day = 0;
    RateLimiter limiter(l);
    const auto t0 = RateLimiter::Clock::time_point{} + 1s;
    CHECK(limiter.admit("c", t0).allowed);
    CHECK(limiter.admit("c", t0).allowed);
    for (int i = 0; i < 50; ++i) CHECK_FALSE(limiter.admit("c", t0).allowed);
    // Had the refusals taken requests, the bucket would be deep below zero here.
    CHECK(limiter.admit("c", t0 + 1800s).allowed);
    CHECK_FALSE(limiter.admit("c", t0 + 1800s).allowed);
}

TEST_CASE("the hour and day buckets", "[server][rate]") {
    RateLimits l;
    l.enabled = true;
    l.per_minute = 0;
    l.per_hour = 2;
    l.per_day = 3;
    RateLimiter limiter(l);
    const auto t0 = RateLimiter::Clock::time_point{} + 1s;
    CHECK(limiter.admit("c", t0).allowed);
    CHECK(limiter.admit("c", t0).allowed);
    auto d = limiter.admit("c", t0);
    CHECK_FALSE(d.allowed);
    CHECK(d.retry_after_seconds == 1800);
    d = limiter.admit("c", t0 + 1800s);
    CHECK(d.allowed);  // the day bucket had one left
    d = limiter.admit("c", t0 + 3600s);
    CHECK_FALSE(d.allowed);
    CHECK(d.retry_after_seconds > 0);
}

TEST_CASE("RATE_LIMIT variables are read and checked", "[server][rate]") {
    std::string error;
    auto env = [](const char* name) -> std::optional<std::string> {
        if (std::string_view(name) == "RATE_LIMIT_ENABLED") return "TRUE";
        if (std::string_view(name) == "RATE_LIMIT_BURST_SIZE") return "5";
        return std::nullopt;
    };
    auto l = server::read_rate_limits(env, error);
    REQUIRE(l);
    CHECK(l->enabled);
    CHECK(l->burst == 5);
    CHECK(l->per_minute == 60);
    auto bad = [](const char* name) -> std::optional<std::string> {
        if (std::string_view(name) == "RATE_LIMIT_REQUESTS_PER_DAY") return "-1";
        return std::nullopt;
    };
    CHECK_FALSE(server::read_rate_limits(bad, error));
    CHECK(error.find("RATE_LIMIT_REQUESTS_PER_DAY") != std::string::npos);
}

TEST_CASE("new limits apply at once and start every client afresh", "[server][rate]") {
    RateLimiter limiter(minute_only(2));
    CHECK(limiter.enabled());
    const auto t0 = RateLimiter::Clock::time_point{} + 10s;
    CHECK(limiter.admit("a", t0).allowed);
    CHECK(limiter.admit("a", t0).allowed);
    CHECK_FALSE(limiter.admit("a", t0).allowed);
    limiter.set_limits(minute_only(3));
    for (int i = 0; i < 3; ++i) CHECK(limiter.admit("a", t0).allowed);
    const auto d = limiter.admit("a", t0);
    CHECK_FALSE(d.allowed);
    CHECK(d.limit == 3);
    RateLimits off = minute_only(3);
    off.enabled = false;
    limiter.set_limits(off);
    CHECK_FALSE(limiter.enabled());
}
