// test_rate_limits.cpp — requestsPerMinute and tokensPerMinute buckets, and 429 cooldowns.
#include "routing/selector.hpp"
#include "routing_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace swtest;

TEST_CASE("requestsPerMinute: the bucket empties and refills evenly") {
    Harness h;
    auto a = provider("a");
    a.rate_limits.requests_per_minute = 2;
    h.config->pools.push_back(pool("p", {a}));
    h.build();
    auto& s = h.state("p", "a");
    const auto t0 = h.now();
    CHECK(attempt(s, h.now(), ok()));
    CHECK(attempt(s, h.now(), ok()));
    CHECK_FALSE(s.eligible(h.now(), 0));
    CHECK_FALSE(attempt(s, h.now(), ok()));
    CHECK(s.ready_at(h.now(), 0) == t0 + 30s);
    h.clock->set(t0 + 30s - 1ms);
    CHECK_FALSE(s.eligible(h.now(), 0));
    h.clock->set(t0 + 30s);
    CHECK(s.eligible(h.now(), 0));
    CHECK(attempt(s, h.now(), ok()));
    CHECK_FALSE(attempt(s, h.now(), ok()));
}

TEST_CASE("tokensPerMinute: estimated before the call, corrected from usage after it") {
    Harness h;
    auto a = provider("a");
    a.rate_limits.tokens_per_minute = 1000;
    h.config->pools.push_back(pool("p", {a}));
    h.build();
    auto& s = h.state("p", "a");
    sw::detail::ProviderTicket t1, t2;
    REQUIRE(s.try_acquire(h.now(), 30s, 600, t1));
    CHECK_FALSE(s.eligible(h.now(), 600));  // 600 + 600 > 1000
    CHECK(s.eligible(h.now(), 400));
    auto o = ok();
    o.usage = {60, 40};  // the call used 100 tokens, not 600
    s.record(t1, h.now(), o, sw::ErrorClass::success);
    CHECK(s.eligible(h.now(), 600));  // 100 + 600 <= 1000
    REQUIRE(s.try_acquire(h.now(), 30s, 600, t2));
    auto big = ok();
    big.usage = {900, 300};  // 1200 used: more than estimated, the bucket owes
    s.record(t2, h.now(), big, sw::ErrorClass::success);
    CHECK_FALSE(s.eligible(h.now(), 1));
    h.clock->advance(18s);  // 1300 used: the 300 over the bucket drain in 18 s
    CHECK_FALSE(s.eligible(h.now(), 1));
    h.clock->advance(60ms);  // one token drains per 60 ms
    CHECK(s.eligible(h.now(), 1));
    CHECK_FALSE(s.eligible(h.now(), 100));
}

TEST_CASE("a request larger than the whole token bucket is admitted only when it is full") {
    Harness h;
    auto a = provider("a");
    a.rate_limits.tokens_per_minute = 1000;
    h.config->pools.push_back(pool("p", {a}));
    h.build();
    auto& s = h.state("p", "a");
    CHECK(s.eligible(h.now(), 5000));
    sw::detail::ProviderTicket t;
    REQUIRE(s.try_acquire(h.now(), 30s, 5000, t));
    s.abandon(t);
    CHECK_FALSE(s.eligible(h.now(), 5000));
}

TEST_CASE("a rate-limited provider is skipped, and the loop waits for room when nothing else is left") {
    Harness h;
    auto a = provider("a");
    a.rate_limits.requests_per_minute = 1;
    h.config->pools.push_back(pool("p", {a, provider("b", 2)}));
    h.build();
    const auto t0 = h.now();
    ScriptedTransport t(*h.clock);
    for (int i = 0; i < 2; ++i) {
        auto loop = h.core->begin("m");
        route(h, t, std::move(loop));
    }
    CHECK(t.providers_called() == std::vector<std::string>{"a", "b"});

    Harness h2;
    h2.config->pools.push_back(pool("p", {a}));
    h2.build();
    ScriptedTransport t2(*h2.clock);
    const auto s0 = h2.now();
    for (int i = 0; i < 2; ++i) {
        auto loop = h2.core->begin("m");
        auto r = route(h2, t2, std::move(loop));
        CHECK(r.ok);
    }
    REQUIRE(t2.calls.size() == 2);
    CHECK(t2.calls[1].at == s0 + 60s);
    (void)t0;
}

TEST_CASE("a 429 without Retry-After cools down for retryDelay x 2^n") {
    Harness h;
    auto a = provider("a");
    a.retry_delay = 1000ms;
    h.config->pools.push_back(pool("p", {a}));
    h.build();
    auto& s = h.state("p", "a");
    for (auto expected : {1000ms, 2000ms, 4000ms, 8000ms}) {
        REQUIRE(attempt(s, h.now(), http(429)));
        CHECK(s.cooldown_until() - h.now() == expected);
        CHECK_FALSE(s.eligible(h.now(), 0));
        h.clock->set(s.cooldown_until());
        CHECK(s.eligible(h.now(), 0));
    }
    REQUIRE(attempt(s, h.now(), ok()));
    REQUIRE(attempt(s, h.now(), http(429)));
    CHECK(s.cooldown_until() - h.now() == 1000ms);
    // retry-after-ms wins when given.
    h.clock->set(s.cooldown_until());
    auto o = http(429);
    o.retry_after_ms = "250";
    REQUIRE(attempt(s, h.now(), o));
    CHECK(s.cooldown_until() - h.now() == 250ms);
}
