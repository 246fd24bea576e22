// test_status.cpp — the operator's status snapshot and manual breaker reset.
#include "routing_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace swtest;

TEST_CASE("status lists every pool and provider with breaker, rates, latency, load, cooldown") {
    Harness h;
    auto p = pool("p", {provider("a"), provider("b")}, sw::Strategy::least_connections, {"q"});
    p.circuit_breaker.failure_threshold = 2;
    h.config->pools.push_back(p);
    h.config->pools.push_back(pool("q", {provider("c")}));
    auto& core = h.build();
    auto& a = h.state("p", "a");
    auto& b = h.state("p", "b");
    attempt(a, h.now(), http(500));
    attempt(a, h.now(), http(500));  // opens
    attempt(b, h.now(), ok(200ms));
    auto limited = http(429);
    limited.retry_after = "5";
    attempt(b, h.now(), limited);
    sw::detail::ProviderTicket t;
    REQUIRE(h.state("q", "c").try_acquire(h.now(), 30s, 0, t));
    h.clock->advance(10s);

    const sw::RouterStatus st = core.status();
    REQUIRE(st.pools.size() == 2);
    const auto& sp = st.pools[0];
    CHECK(sp.id == "p");
    CHECK(sp.strategy == sw::Strategy::least_connections);
    REQUIRE(sp.providers.size() == 2);
    CHECK(sp.healthy_providers == 1);
    const auto& sa = sp.providers[0];
    CHECK(sa.name == "a");
    CHECK(sa.breaker == sw::BreakerState::open);
    CHECK(sa.open_remaining == 50000ms);
    CHECK(sa.error_rate == 100.0);
    CHECK(sa.window_requests == 2);
    CHECK_FALSE(sa.ewma_latency.has_value());
    CHECK(sa.consecutive_failures == 2);
    CHECK_FALSE(sa.healthy);
    const auto& sb = sp.providers[1];
    CHECK(sb.breaker == sw::BreakerState::closed);
    CHECK(sb.ewma_latency == std::optional<sw::Millis>(200ms));
    CHECK(sb.cooldown_remaining == 0ms);  // 5 s cooldown, 10 s ago
    CHECK(sb.error_rate == 0.0);
    CHECK(st.pools[1].providers[0].in_flight == 1);
    h.state("q", "c").abandon(t);
    CHECK(core.status().pools[1].providers[0].in_flight == 0);
}

TEST_CASE("reset_breaker closes one provider's breaker and forgets its failures") {
    Harness h;
    auto p = pool("p", {provider("a"), provider("b")});
    p.circuit_breaker.failure_threshold = 1;
    p.circuit_breaker.permanent.enabled = true;
    h.config->pools.push_back(p);
    auto& core = h.build();
    auto& a = h.state("p", "a");
    attempt(a, h.now(), http(401));
    attempt(h.state("p", "b"), h.now(), http(500));
    REQUIRE(a.breaker_state() == sw::BreakerState::open);
    REQUIRE(a.permanent_trips() == 1);
    CHECK(core.reset_breaker("p", "a"));
    CHECK(a.breaker_state() == sw::BreakerState::closed);
    CHECK(a.permanent_trips() == 0);
    CHECK(a.consecutive_failures() == 0);
    CHECK(a.breaker_admits(h.now()));
    CHECK(h.state("p", "b").breaker_state() == sw::BreakerState::open);  // only that one
    CHECK_FALSE(core.reset_breaker("p", "nope"));
    CHECK_FALSE(core.reset_breaker("nope", "a"));
    auto st = core.status();
    CHECK(st.pools[0].providers[0].breaker == sw::BreakerState::closed);
}
