// test_strategies.cpp — the five strategies, priority tiers, standby and unhealthy ordering.
#include "routing/selector.hpp"
#include "routing_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace swtest;
using sw::Strategy;

namespace {

std::string pick(Harness& h, const std::string& pool_id, const std::uint8_t* excluded = nullptr,
                 std::uint64_t tokens = 0) {
    auto& rt = h.pool_rt(pool_id);
    auto p = sw::routing::select_provider(h.core->impl(), rt, excluded, h.now(), tokens);
    if (p.local < 0) return "";
    if (p.measuring) h.core->impl().provider(rt, static_cast<std::uint32_t>(p.local)).release_measurement();
    return h.core->impl().provider(rt, static_cast<std::uint32_t>(p.local)).config().name;
}

std::map<std::string, int> histogram(Harness& h, const std::string& pool_id, int n) {
    std::map<std::string, int> out;
    for (int i = 0; i < n; ++i) ++out[pick(h, pool_id)];
    return out;
}

}  // namespace

TEST_CASE("weighted 80/20 over 100k picks lands within 1 percent") {
    Harness h;
    h.config->pools.push_back(
        pool("p", {provider("a", 1, 80), provider("b", 1, 20)}, Strategy::weighted));
    h.build();
    auto hist = histogram(h, "p", 100000);
    CHECK(hist["a"] >= 79000);
    CHECK(hist["a"] <= 81000);
    CHECK(hist["a"] + hist["b"] == 100000);
}

TEST_CASE("weighted autoAdjust moves weight away from failing providers within bounds") {
    Harness h;
    auto p = pool("p", {provider("a", 1, 50), provider("b", 1, 50)}, Strategy::weighted);
    p.weighted_routing.auto_adjust = true;
    p.weighted_routing.min_weight = 5;
    p.weighted_routing.max_weight = 60;
    p.circuit_breaker.failure_threshold = 1000;
    p.circuit_breaker.error_threshold_percentage = 100;
    p.health.consecutive_failures = 1000;
    p.health.error_rate = 100;
    h.config->pools.push_back(p);
    h.build();
    auto& a = h.state("p", "a");
    auto& b = h.state("p", "b");
    for (int i = 0; i < 20; ++i) {
        attempt(a, h.now(), i % 10 == 0 ? ok(50ms) : http(500));  // 90 % failures
        attempt(b, h.now(), ok(50ms));                              // fast and healthy
    }
    CHECK(a.weight() >= 5);
    CHECK(a.weight() < 10);
    CHECK(b.weight() <= 60);
    CHECK(b.weight() > 50);
    auto hist = histogram(h, "p", 10000);
    CHECK(hist["b"] > 8500);
    // A standby provider stays standby.
    CHECK(a.weight() > 0);
}

TEST_CASE("round_robin is even") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a"), provider("b"), provider("c")}));
    h.build();
    auto hist = histogram(h, "p", 3000);
    CHECK(hist["a"] == 1000);
    CHECK(hist["b"] == 1000);
    CHECK(hist["c"] == 1000);
    // Consecutive picks never repeat with three equal candidates.
    std::string prev = pick(h, "p");
    for (int i = 0; i < 30; ++i) {
        std::string cur = pick(h, "p");
        CHECK(cur != prev);
        prev = cur;
    }
}

TEST_CASE("least_connections follows real in-flight counts") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a"), provider("b"), provider("c")},
                                   Strategy::least_connections));
    h.build();
    auto& a = h.state("p", "a");
    auto& b = h.state("p", "b");
    auto& c = h.state("p", "c");
    std::vector<std::pair<sw::health::ProviderState*, sw::detail::ProviderTicket>> held;
    auto hold = [&](sw::health::ProviderState& s) {
        sw::detail::ProviderTicket t;
        REQUIRE(s.try_acquire(h.now(), 30s, 0, t));
        held.emplace_back(&s, t);
    };
    hold(a);
    hold(a);
    hold(c);
    CHECK(pick(h, "p") == "b");
    hold(b);
    hold(b);
    CHECK(pick(h, "p") == "c");  // a 2, b 2, c 1
    // Finishing a's attempts makes it the least loaded.
    for (auto& [s, t] : held)
        if (s == &a) s->record(t, h.now(), ok(), sw::ErrorClass::success);
    CHECK(a.in_flight() == 0);
    CHECK(pick(h, "p") == "a");
    for (auto& [s, t] : held)
        if (s != &a) s->record(t, h.now(), ok(), sw::ErrorClass::success);
    // All idle: ties rotate.
    auto hist = histogram(h, "p", 300);
    CHECK(hist["a"] == 100);
    CHECK(hist["b"] == 100);
    CHECK(hist["c"] == 100);
}

TEST_CASE("cost_optimized picks the cheapest known cost and puts unknown cost last") {
    Harness h;
    auto unknown = provider("unknown");
    auto dear = provider("dear");
    dear.cost_per_token = 0.002;
    auto cheap = provider("cheap");
    cheap.pricing = sw::Pricing{0.5, 1.5};  // (0.5 + 1.5) / 2 / 1000 = 0.001 per token
    h.config->pools.push_back(pool("p", {unknown, dear, cheap}, Strategy::cost_optimized));
    h.build();
    CHECK(pick(h, "p") == "cheap");
    std::uint8_t excl[3] = {0, 0, 1};
    CHECK(pick(h, "p", excl) == "dear");
    excl[1] = 1;
    CHECK(pick(h, "p", excl) == "unknown");
}

TEST_CASE("cost_optimized excludes providers above maxCostPerToken") {
    Harness h;
    auto unknown = provider("unknown");
    auto dear = provider("dear");
    dear.cost_per_token = 0.002;
    auto cheap = provider("cheap");
    cheap.cost_per_token = 0.001;
    auto p = pool("p", {unknown, dear, cheap}, Strategy::cost_optimized);
    p.cost_optimization.max_cost_per_token = 0.0015;
    h.config->pools.push_back(p);
    h.build();
    std::uint8_t excl[3] = {0, 0, 1};
    CHECK(pick(h, "p", excl) == "unknown");  // "dear" is above the cap
    excl[0] = 1;
    CHECK(pick(h, "p", excl).empty());
}

TEST_CASE("cost_optimized with prioritizeCost orders by cost before priority") {
    Harness h;
    auto first = provider("first", 1);
    first.cost_per_token = 0.002;
    auto cheap = provider("cheap", 2);
    cheap.cost_per_token = 0.001;
    auto p = pool("p", {first, cheap}, Strategy::cost_optimized);
    h.config->pools.push_back(p);
    p.id = "q";
    p.cost_optimization.prioritize_cost = true;
    h.config->pools.push_back(p);
    h.build();
    CHECK(pick(h, "p") == "first");  // the tier decides first
    CHECK(pick(h, "q") == "cheap");
}

TEST_CASE("fastest_response measures every provider once, then prefers the fastest") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a"), provider("b"), provider("c")},
                                   Strategy::fastest_response));
    h.build();
    auto& rt = h.pool_rt("p");
    auto& impl = h.core->impl();
    // Three concurrent requests: each claims a different unmeasured provider.
    std::vector<sw::routing::Pick> picks;
    for (int i = 0; i < 3; ++i) picks.push_back(sw::routing::select_provider(impl, rt, nullptr, h.now(), 0));
    CHECK(picks[0].local == 0);
    CHECK(picks[1].local == 1);
    CHECK(picks[2].local == 2);
    for (auto& p : picks) CHECK(p.measuring);
    const sw::Millis lat[3] = {300ms, 100ms, 200ms};
    for (std::uint32_t i = 0; i < 3; ++i) {
        auto& s = impl.provider(rt, i);
        sw::detail::ProviderTicket t;
        REQUIRE(s.try_acquire(h.now(), 30s, 0, t));
        t.measuring = true;
        s.record(t, h.now(), ok(lat[i]), sw::ErrorClass::success);
    }
    auto hist = histogram(h, "p", 50);
    CHECK(hist["b"] == 50);
    // The EWMA follows with alpha 0.2: b slows to 1100 ms -> 100 + 0.2 * 1000 = 300 ms.
    attempt(h.state("p", "b"), h.now(), ok(1100ms));
    CHECK(h.state("p", "b").ewma_ns() == sw::Nanos{300ms}.count());
    CHECK(pick(h, "p") == "c");
}

TEST_CASE("priority tiers: the next tier only when the first has no eligible provider") {
    Harness h;
    auto p = pool("p", {provider("low", 2), provider("top1", 1), provider("top2", 1)});
    p.circuit_breaker.failure_threshold = 1;
    p.health.consecutive_failures = 100;
    h.config->pools.push_back(p);
    h.build();
    auto hist = histogram(h, "p", 100);
    CHECK(hist["low"] == 0);
    CHECK(hist["top1"] == 50);
    attempt(h.state("p", "top1"), h.now(), http(500));  // opens top1
    attempt(h.state("p", "top2"), h.now(), http(500));  // opens top2
    CHECK(pick(h, "p") == "low");
}

TEST_CASE("a standby provider with weight 0 is used only when needed") {
    for (Strategy s : {Strategy::weighted, Strategy::round_robin, Strategy::least_connections,
                       Strategy::fastest_response, Strategy::cost_optimized}) {
        Harness h;
        auto p = pool("p", {provider("standby", 1, 0), provider("main", 1, 1)}, s);
        p.circuit_breaker.failure_threshold = 1;
        h.config->pools.push_back(p);
        h.build();
        INFO(sw::to_string(s));
        auto hist = histogram(h, "p", 200);
        CHECK(hist["main"] == 200);
        attempt(h.state("p", "main"), h.now(), http(503));
        CHECK(pick(h, "p") == "standby");
    }
}

TEST_CASE("unhealthy providers are used only after the healthy ones") {
    Harness h;
    auto p = pool("p", {provider("a"), provider("b")});
    p.health.consecutive_failures = 2;
    p.health.response_time = 1000ms;
    h.config->pools.push_back(p);
    h.build();
    auto& a = h.state("p", "a");
    attempt(a, h.now(), http(500));
    attempt(a, h.now(), http(500));  // 2 consecutive failures: unhealthy, breaker still closed
    CHECK_FALSE(a.healthy(h.now()));
    CHECK(a.breaker_state() == sw::BreakerState::closed);
    auto hist = histogram(h, "p", 20);
    CHECK(hist["b"] == 20);
    // b turns slow (EWMA above responseTime): both unhealthy, so rotation resumes.
    attempt(h.state("p", "b"), h.now(), ok(5000ms));
    CHECK_FALSE(h.state("p", "b").healthy(h.now()));
    hist = histogram(h, "p", 20);
    CHECK(hist["a"] == 10);
}

TEST_CASE("unhealthy by error rate within the window") {
    Harness h;
    auto p = pool("p", {provider("a"), provider("b")});
    p.health.error_rate = 20;
    p.health.consecutive_failures = 100;
    p.circuit_breaker.failure_threshold = 100;
    p.circuit_breaker.error_threshold_percentage = 90;
    p.circuit_breaker.min_requests_threshold = 10;
    h.config->pools.push_back(p);
    h.build();
    auto& a = h.state("p", "a");
    for (int i = 0; i < 10; ++i) attempt(a, h.now(), i < 3 ? http(500) : ok());  // 30 %
    CHECK_FALSE(a.healthy(h.now()));
    CHECK(pick(h, "p") == "b");
    h.clock->advance(301s);  // the window empties
    CHECK(a.healthy(h.now()));
}

TEST_CASE("the cached tier follows cooldowns, breaker timeouts and health flips") {
    Harness h;
    auto p = pool("p", {provider("a"), provider("b")});
    p.circuit_breaker.failure_threshold = 3;
    p.circuit_breaker.reset_timeout = 5000ms;
    p.health.consecutive_failures = 2;
    h.config->pools.push_back(p);
    h.build();
    auto& rt = h.pool_rt("p");
    auto& a = h.state("p", "a");
    CHECK(histogram(h, "p", 10)["a"] == 5);
    CHECK(rt.built_for.load() == rt.version.load());  // later picks come from the cache

    // A cooldown takes a out at once and brings it back when it ends, to the millisecond.
    auto limited = http(429);
    limited.retry_after = "1";
    attempt(a, h.now(), limited);
    CHECK(histogram(h, "p", 10)["b"] == 10);
    h.clock->advance(1000ms - 1ms);
    CHECK(histogram(h, "p", 10)["b"] == 10);
    h.clock->advance(1ms);
    CHECK(histogram(h, "p", 10)["a"] == 5);

    // Two failures make a unhealthy (tier change) before its breaker opens.
    attempt(a, h.now(), http(500));
    CHECK(histogram(h, "p", 10)["a"] == 5);
    attempt(a, h.now(), http(500));
    CHECK(histogram(h, "p", 10)["b"] == 10);
    // The third opens the breaker; at resetTimeout it admits a probe again.
    attempt(a, h.now(), http(500));
    REQUIRE(a.breaker_state() == sw::BreakerState::open);
    h.clock->advance(5000ms - 1ms);
    CHECK_FALSE(a.breaker_admits(h.now()));
    CHECK(histogram(h, "p", 10)["b"] == 10);
    h.clock->advance(1ms);
    // Still unhealthy (consecutive failures) but the only candidate once b is excluded.
    std::uint8_t excl[2] = {0, 1};
    CHECK(pick(h, "p", excl) == "a");
    // A successful probe closes it and a is back in rotation.
    REQUIRE(attempt(a, h.now(), ok()));
    CHECK(a.breaker_state() == sw::BreakerState::closed);
    CHECK(histogram(h, "p", 10)["a"] == 5);
}

TEST_CASE("pools with rate limits are never served from the cache") {
    Harness h;
    auto a = provider("a");
    a.rate_limits.requests_per_minute = 1;
    h.config->pools.push_back(pool("p", {a, provider("b")}));
    h.build();
    CHECK_FALSE(h.pool_rt("p").cacheable);
    CHECK(attempt(h.state("p", "a"), h.now(), ok()));
    CHECK(histogram(h, "p", 10)["b"] == 10);
}
