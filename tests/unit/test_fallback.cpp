// test_fallback.cpp — pool chain planning, pool skipping and the exhausted error.
#include "routing_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace swtest;

TEST_CASE("fallback chain is depth-first: A->[B,C], B->[D] gives A, B, D, C") {
    Harness h;
    h.config->pools.push_back(pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"B", "C"}));
    h.config->pools.push_back(pool("B", {no_retry("b")}, sw::Strategy::round_robin, {"D"}));
    h.config->pools.push_back(pool("C", {no_retry("c")}));
    h.config->pools.push_back(pool("D", {no_retry("d")}));
    auto& core = h.build();
    CHECK(core.pool_chain("A") == std::vector<std::string>{"A", "B", "D", "C"});

    ScriptedTransport t(*h.clock);
    for (const char* n : {"a", "b", "d", "c"}) t.script(n, {http(503)});
    auto loop = core.begin("m");
    auto r = route(h, t, std::move(loop));
    CHECK(t.providers_called() == std::vector<std::string>{"a", "b", "d", "c"});
    CHECK_FALSE(r.ok);
    CHECK(r.error == sw::RouteError::exhausted);
    // One clear error listing every attempt.
    REQUIRE(r.attempts.size() == 4);
    for (const char* s : {"[1] A/a: HTTP 503", "[2] B/b: HTTP 503", "[3] D/d: HTTP 503",
                          "[4] C/c: HTTP 503"})
        CHECK_THAT(r.message, Catch::Contains(s));
}

TEST_CASE("a fallback that serves sets used_fallback and the serving pool") {
    Harness h;
    h.config->pools.push_back(pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"B"}));
    h.config->pools.push_back(pool("B", {no_retry("b")}));
    auto& core = h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {http(500)});
    auto loop = core.begin("m");
    auto r = route(h, t, std::move(loop));
    REQUIRE(r.ok);
    CHECK(r.used_fallback);
    CHECK(r.pool_id == "B");
    CHECK(r.provider == "b");
    REQUIRE(r.attempts.size() == 2);
    CHECK(r.attempts[0].pool_id == "A");
    CHECK(r.attempts[0].http_status == 500);
    CHECK(r.attempts[0].error_class == sw::ErrorClass::transient);
    CHECK(r.attempts[0].latency == 50ms);
    CHECK(r.attempts[1].error_class == sw::ErrorClass::success);
    CHECK(r.message.empty());
}

TEST_CASE("a fallback cycle A->B->A terminates") {
    Harness h;
    h.config->pools.push_back(pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"B"}));
    h.config->pools.push_back(pool("B", {no_retry("b")}, sw::Strategy::round_robin, {"A"}));
    auto& core = h.build();
    CHECK(core.pool_chain("A") == std::vector<std::string>{"A", "B"});
    CHECK(core.pool_chain("B") == std::vector<std::string>{"B", "A"});
    ScriptedTransport t(*h.clock);
    t.script("a", {http(502)});
    t.script("b", {http(502)});
    auto loop = core.begin("m");
    auto r = route(h, t, std::move(loop));
    CHECK(t.calls.size() == 2);
    CHECK(r.error == sw::RouteError::exhausted);
}

TEST_CASE("a self-loop and a diamond visit each pool once") {
    Harness h;
    h.config->pools.push_back(pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"A", "B", "C"}));
    h.config->pools.push_back(pool("B", {no_retry("b")}, sw::Strategy::round_robin, {"D"}));
    h.config->pools.push_back(pool("C", {no_retry("c")}, sw::Strategy::round_robin, {"D"}));
    h.config->pools.push_back(pool("D", {no_retry("d")}, sw::Strategy::round_robin, {"A"}));
    auto& core = h.build();
    CHECK(core.pool_chain("A") == std::vector<std::string>{"A", "B", "D", "C"});
    CHECK(core.pool_chain("nope").empty());
}

TEST_CASE("an unhealthy pool is skipped") {
    Harness h;
    auto a = pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"B"});
    a.circuit_breaker.failure_threshold = 1;
    h.config->pools.push_back(a);
    h.config->pools.push_back(pool("B", {no_retry("b")}));
    auto& core = h.build();
    attempt(h.state("A", "a"), h.now(), http(500));  // opens a: A has 0 healthy providers
    ScriptedTransport t(*h.clock);
    auto loop = core.begin("m");
    auto r = route(h, t, std::move(loop));
    REQUIRE(r.ok);
    CHECK(t.providers_called() == std::vector<std::string>{"b"});
    CHECK(r.skipped_pools == std::vector<std::string>{"A"});
    CHECK(r.used_fallback);
}

TEST_CASE("minHealthyProviders skips a pool with too few healthy providers") {
    Harness h;
    auto a = pool("A", {no_retry("a1"), no_retry("a2")}, sw::Strategy::round_robin, {"B"});
    a.health.min_healthy_providers = 2;
    a.health.consecutive_failures = 1;
    a.circuit_breaker.failure_threshold = 100;
    h.config->pools.push_back(a);
    h.config->pools.push_back(pool("B", {no_retry("b")}));
    auto& core = h.build();
    attempt(h.state("A", "a1"), h.now(), http(500));  // a1 unhealthy, breaker closed
    ScriptedTransport t(*h.clock);
    auto loop = core.begin("m");
    auto r = route(h, t, std::move(loop));
    CHECK(t.providers_called() == std::vector<std::string>{"b"});
    CHECK(r.skipped_pools == std::vector<std::string>{"A"});
}

TEST_CASE("when every pool would be skipped, the best remaining candidate is still tried") {
    Harness h;
    auto a = pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"B"});
    a.health.consecutive_failures = 1;
    a.circuit_breaker.failure_threshold = 100;
    auto b = pool("B", {no_retry("b")});
    b.health = a.health;
    b.circuit_breaker = a.circuit_breaker;
    h.config->pools.push_back(a);
    h.config->pools.push_back(b);
    auto& core = h.build();
    attempt(h.state("A", "a"), h.now(), http(500));
    attempt(h.state("B", "b"), h.now(), http(500));
    ScriptedTransport t(*h.clock);
    auto loop = core.begin("m");
    auto r = route(h, t, std::move(loop));
    CHECK(r.ok);
    CHECK(t.providers_called() == std::vector<std::string>{"a"});
    CHECK_FALSE(r.used_fallback);
}

TEST_CASE("open breakers stay closed to traffic even when every pool is skipped") {
    Harness h;
    auto a = pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"B"});
    a.circuit_breaker.failure_threshold = 1;
    auto b = pool("B", {no_retry("b")});
    b.circuit_breaker.failure_threshold = 1;
    h.config->pools.push_back(a);
    h.config->pools.push_back(b);
    auto& core = h.build();
    attempt(h.state("A", "a"), h.now(), http(500));
    attempt(h.state("B", "b"), h.now(), http(500));
    ScriptedTransport t(*h.clock);
    auto loop = core.begin("m");
    auto r = route(h, t, std::move(loop));
    CHECK(t.calls.empty());
    CHECK(r.error == sw::RouteError::exhausted);
    CHECK_THAT(r.message, Catch::Contains("no eligible provider"));
    CHECK_THAT(r.message, Catch::Contains("skipped unhealthy pools: A B"));
}

TEST_CASE("an unknown model fails at once with a clear error") {
    Harness h;
    h.config->pools.push_back(pool("A", {provider("a")}));
    auto& core = h.build();
    auto loop = core.begin("nope");
    auto a = loop.next(h.now());
    CHECK(a.kind == sw::AttemptLoop::Action::Kind::done);
    CHECK(loop.result().error == sw::RouteError::unknown_model);
    CHECK_THAT(loop.result().message, Catch::Contains("\"nope\""));
    auto loop2 = core.begin_pool("A");
    CHECK(loop2.next(h.now()).kind == sw::AttemptLoop::Action::Kind::attempt);
}

TEST_CASE("served by the primary pool: used_fallback is false and usage is the serving attempt's") {
    Harness h;
    h.config->pools.push_back(pool("A", {provider("a1"), provider("a2", 2)}, sw::Strategy::round_robin, {"B"}));
    h.config->pools.push_back(pool("B", {provider("b")}));
    auto& core = h.build();
    ScriptedTransport t(*h.clock);
    auto fail = net(sw::TransportError::connect_timeout);
    fail.usage = {999, 999};
    auto good = ok(80ms);
    good.usage = {12, 34};
    t.script("a1", {fail});
    t.script("a2", {good});
    auto loop = core.begin("m");
    auto r = route(h, t, std::move(loop));
    REQUIRE(r.ok);
    CHECK_FALSE(r.used_fallback);
    CHECK(r.pool_id == "A");
    CHECK(r.provider == "a2");
    CHECK(r.usage.input_tokens == 12);
    CHECK(r.usage.output_tokens == 34);
    REQUIRE(r.attempts.size() == 2);
    CHECK(r.attempts[0].transport == sw::TransportError::connect_timeout);
    CHECK(r.attempts[0].error_class == sw::ErrorClass::timeout);
    CHECK(r.attempts[1].latency == 80ms);
}
