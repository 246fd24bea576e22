// test_breaker.cpp — circuit breaker transitions, probes and permanent trips, on a fake clock.
#include "routing_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace swtest;
using sw::BreakerState;

namespace {

Harness one_provider(int threshold = 5) {
    Harness h;
    auto p = pool("p", {provider("a")});
    p.circuit_breaker.failure_threshold = threshold;
    h.config->pools.push_back(p);
    h.build();
    return h;
}

}  // namespace

TEST_CASE("breaker opens exactly at the K-th consecutive failure") {
    Harness h = one_provider(5);
    auto& a = h.state("p", "a");
    for (int i = 0; i < 4; ++i) {
        REQUIRE(attempt(a, h.now(), http(500)));
        CHECK(a.breaker_state() == BreakerState::closed);
    }
    REQUIRE(attempt(a, h.now(), http(500)));
    CHECK(a.breaker_state() == BreakerState::open);
}

TEST_CASE("a success resets the consecutive failure count") {
    Harness h = one_provider(3);
    auto& a = h.state("p", "a");
    attempt(a, h.now(), http(503));
    attempt(a, h.now(), http(503));
    attempt(a, h.now(), ok());
    attempt(a, h.now(), http(503));
    attempt(a, h.now(), http(503));
    CHECK(a.breaker_state() == BreakerState::closed);
    attempt(a, h.now(), http(503));
    CHECK(a.breaker_state() == BreakerState::open);
}

TEST_CASE("breaker opens by error share only once the window holds minRequestsThreshold") {
    Harness h;
    auto p = pool("p", {provider("a")});
    p.circuit_breaker.failure_threshold = 1000;  // keep the count rule out of the way
    p.circuit_breaker.min_requests_threshold = 10;
    p.circuit_breaker.error_threshold_percentage = 50;
    h.config->pools.push_back(p);
    h.build();
    auto& a = h.state("p", "a");
    // 9 requests, 5 failures (56 %): too few requests to judge.
    for (int i = 0; i < 9; ++i) {
        REQUIRE(attempt(a, h.now(), i % 2 == 0 ? http(500) : ok()));
        h.clock->advance(1s);
    }
    CHECK(a.breaker_state() == BreakerState::closed);
    // The 10th, a failure: 6/10 = 60 % >= 50 %.
    REQUIRE(attempt(a, h.now(), http(500)));
    CHECK(a.breaker_state() == BreakerState::open);
}

TEST_CASE("failures that left the monitoring window no longer count") {
    Harness h;
    auto p = pool("p", {provider("a")});
    p.circuit_breaker.failure_threshold = 1000;
    p.circuit_breaker.min_requests_threshold = 4;
    p.circuit_breaker.monitoring_window = 60000ms;
    h.config->pools.push_back(p);
    h.build();
    auto& a = h.state("p", "a");
    for (int i = 0; i < 3; ++i) attempt(a, h.now(), http(500));
    h.clock->advance(61s);  // the three failures leave the window
    attempt(a, h.now(), http(500));
    attempt(a, h.now(), ok());
    attempt(a, h.now(), ok());
    attempt(a, h.now(), ok());
    CHECK(a.window_counts(h.now()).total == 4);
    CHECK(a.breaker_state() == BreakerState::closed);  // 1/4 = 25 %
}

TEST_CASE("an open breaker admits nothing until resetTimeout, then exactly one probe") {
    Harness h = one_provider(1);
    auto& a = h.state("p", "a");
    REQUIRE(attempt(a, h.now(), http(500)));
    REQUIRE(a.breaker_state() == BreakerState::open);
    const auto opened = h.now();
    sw::detail::ProviderTicket t;

    h.clock->set(opened + 60000ms - 1ms);
    CHECK_FALSE(a.breaker_admits(h.now()));
    CHECK_FALSE(a.try_acquire(h.now(), 30s, 0, t));

    h.clock->set(opened + 60000ms + 1ms);
    CHECK(a.breaker_admits(h.now()));
    sw::detail::ProviderTicket probe;
    REQUIRE(a.try_acquire(h.now(), 30s, 0, probe));
    CHECK(probe.probe);
    CHECK(a.breaker_state() == BreakerState::half_open);
    CHECK_FALSE(a.try_acquire(h.now(), 30s, 0, t));  // only one probe by default
    CHECK_FALSE(a.breaker_admits(h.now()));

    SECTION("a probe success closes it and clears the window") {
        a.record(probe, h.now(), ok(), sw::ErrorClass::success);
        CHECK(a.breaker_state() == BreakerState::closed);
        CHECK(a.window_counts(h.now()).total == 0);
        CHECK(a.consecutive_failures() == 0);
        CHECK(a.try_acquire(h.now(), 30s, 0, t));
        a.abandon(t);
    }
    SECTION("a probe failure opens it again for resetTimeout") {
        a.record(probe, h.now(), http(502), sw::ErrorClass::transient);
        CHECK(a.breaker_state() == BreakerState::open);
        CHECK(a.open_until() == h.now() + 60000ms);
    }
    CHECK(a.in_flight() == 0);
}

TEST_CASE("half-open admits halfOpenMaxProbes probes") {
    Harness h;
    auto p = pool("p", {provider("a")});
    p.circuit_breaker.failure_threshold = 1;
    p.circuit_breaker.half_open_max_probes = 3;
    h.config->pools.push_back(p);
    h.build();
    auto& a = h.state("p", "a");
    attempt(a, h.now(), http(500));
    h.clock->advance(60s);
    sw::detail::ProviderTicket t[4];
    CHECK(a.try_acquire(h.now(), 30s, 0, t[0]));
    CHECK(a.try_acquire(h.now(), 30s, 0, t[1]));
    CHECK(a.try_acquire(h.now(), 30s, 0, t[2]));
    CHECK_FALSE(a.try_acquire(h.now(), 30s, 0, t[3]));
    CHECK(a.probes_in_flight() == 3);
    a.record(t[0], h.now(), ok(), sw::ErrorClass::success);
    CHECK(a.breaker_state() == BreakerState::closed);
    // The other probes' late reports belong to the old state and change nothing.
    a.record(t[1], h.now(), http(500), sw::ErrorClass::transient);
    a.record(t[2], h.now(), http(500), sw::ErrorClass::transient);
    CHECK(a.breaker_state() == BreakerState::closed);
    CHECK(a.in_flight() == 0);
    CHECK(a.probes_in_flight() == 0);
}

TEST_CASE("a probe that never completes returns its slot when its attempt times out") {
    Harness h = one_provider(1);
    auto& a = h.state("p", "a");
    attempt(a, h.now(), http(500));
    h.clock->advance(60s);
    sw::detail::ProviderTicket lost, t;
    REQUIRE(a.try_acquire(h.now(), 10s, 0, lost));
    h.clock->advance(10s - 1ms);
    CHECK_FALSE(a.try_acquire(h.now(), 10s, 0, t));
    h.clock->advance(1ms);
    CHECK(a.breaker_admits(h.now()));
    REQUIRE(a.try_acquire(h.now(), 10s, 0, t));
    CHECK(t.probe);
    // The lost probe finally reports a failure: stale, ignored by the breaker.
    a.record(lost, h.now(), http(500), sw::ErrorClass::transient);
    CHECK(a.breaker_state() == BreakerState::half_open);
    a.record(t, h.now(), ok(), sw::ErrorClass::success);
    CHECK(a.breaker_state() == BreakerState::closed);
    CHECK(a.in_flight() == 0);
}

TEST_CASE("a disabled breaker passes everything") {
    Harness h;
    auto p = pool("p", {provider("a")});
    p.circuit_breaker.enabled = false;
    p.circuit_breaker.failure_threshold = 1;
    h.config->pools.push_back(p);
    h.build();
    auto& a = h.state("p", "a");
    for (int i = 0; i < 20; ++i) REQUIRE(attempt(a, h.now(), http(500)));
    CHECK(a.breaker_state() == BreakerState::closed);
}

TEST_CASE("caller errors and 429 are not breaker failures") {
    Harness h = one_provider(1);
    auto& a = h.state("p", "a");
    attempt(a, h.now(), http(400));
    attempt(a, h.now(), http(422));
    attempt(a, h.now(), http(400, "context_length_exceeded"));
    attempt(a, h.now(), http(400, "content_policy_violation"));
    CHECK(a.breaker_state() == BreakerState::closed);
    CHECK(a.window_counts(h.now()).total == 0);
    attempt(a, h.now(), http(429));
    CHECK(a.breaker_state() == BreakerState::closed);
    CHECK(a.cooldown_until() > h.now());
}

TEST_CASE("every breaker-counting signal counts") {
    const sw::Outcome counting[] = {http(500),
                                    http(502),
                                    http(503),
                                    http(504),
                                    http(529),
                                    http(408),
                                    net(sw::TransportError::connect_refused),
                                    net(sw::TransportError::connection_reset),
                                    net(sw::TransportError::tls),
                                    net(sw::TransportError::dns),
                                    net(sw::TransportError::connect_timeout),
                                    net(sw::TransportError::first_byte_timeout),
                                    net(sw::TransportError::idle_timeout),
                                    net(sw::TransportError::protocol)};
    for (const auto& o : counting) {
        Harness h = one_provider(1);
        auto& a = h.state("p", "a");
        attempt(a, h.now(), o);
        INFO("status " << o.http_status << " transport " << sw::to_string(o.transport));
        CHECK(a.breaker_state() == BreakerState::open);
    }
}

// ---- Permanent trips ----------------------------------------------------------------------

namespace {

Harness permanent_harness(int max_backoff = 4, std::vector<std::string> patterns = {}) {
    Harness h;
    auto p = pool("p", {provider("a")});
    p.circuit_breaker.permanent.enabled = true;
    p.circuit_breaker.permanent.max_backoff_multiplier = max_backoff;
    p.circuit_breaker.permanent.error_patterns = std::move(patterns);
    h.config->pools.push_back(p);
    h.build();
    return h;
}

// Trips the breaker permanently `n` times in a row (each probe fails with a 401) and
// returns each open time in minutes.
std::vector<double> trip_minutes(Harness& h, int n) {
    auto& a = h.state("p", "a");
    std::vector<double> out;
    for (int i = 0; i < n; ++i) {
        REQUIRE(attempt(a, h.now(), http(401, "invalid_api_key", "Incorrect API key")));
        REQUIRE(a.breaker_state() == BreakerState::open);
        const auto d = a.open_until() - h.now();
        out.push_back(std::chrono::duration<double, std::ratio<60>>(d).count());
        // One millisecond early it is still closed to traffic.
        h.clock->set(a.open_until() - 1ms);
        sw::detail::ProviderTicket t;
        REQUIRE_FALSE(a.try_acquire(h.now(), 30s, 0, t));
        h.clock->set(a.open_until());
    }
    return out;
}

}  // namespace

TEST_CASE("permanent trips back off 5, 10, 20, 40, 80, 80 minutes with the defaults") {
    Harness h = permanent_harness();
    CHECK(trip_minutes(h, 7) == std::vector<double>{5, 10, 20, 40, 80, 80, 80});
}

TEST_CASE("permanent trips back off 5, 10, 20, 20 minutes with maxBackoffMultiplier 2") {
    Harness h = permanent_harness(2);
    CHECK(trip_minutes(h, 4) == std::vector<double>{5, 10, 20, 20});
}

TEST_CASE("a successful close resets the permanent trip count") {
    Harness h = permanent_harness();
    trip_minutes(h, 3);  // next would be 40
    auto& a = h.state("p", "a");
    REQUIRE(attempt(a, h.now(), ok()));  // the probe succeeds
    REQUIRE(a.breaker_state() == BreakerState::closed);
    CHECK(a.permanent_trips() == 0);
    CHECK(trip_minutes(h, 1) == std::vector<double>{5});
}

TEST_CASE("permanent open time formula uses max(resetTimeout x multiplier, base)") {
    sw::CircuitBreakerConfig cb;
    cb.reset_timeout = 120000ms;
    cb.permanent.timeout_multiplier = 5;
    cb.permanent.base_timeout = 300000ms;
    CHECK(sw::health::permanent_open_time(cb, 0) == 600000ms);
    CHECK(sw::health::permanent_open_time(cb, 1) == 1200000ms);
    cb.reset_timeout = 1000ms;
    CHECK(sw::health::permanent_open_time(cb, 0) == 300000ms);
}

TEST_CASE("without patterns, auth, not_found and quota trip permanently but a 500 never does") {
    for (const auto& o : {http(401), http(403), http(404), http(402),
                          http(429, "insufficient_quota")}) {
        Harness h = permanent_harness();
        auto& a = h.state("p", "a");
        attempt(a, h.now(), o);
        INFO("status " << o.http_status);
        CHECK(a.breaker_state() == BreakerState::open);
        CHECK(a.open_until() - h.now() == 5min);
    }
    Harness h = permanent_harness();
    auto& a = h.state("p", "a");
    attempt(a, h.now(), http(500, {}, "invalid api key"));
    CHECK(a.breaker_state() == BreakerState::closed);
}

TEST_CASE("custom errorPatterns are used on their own, case-insensitively") {
    Harness h = permanent_harness(4, {"model .* decommissioned", "^403 "});
    auto& a = h.state("p", "a");
    // A 401 that matches no pattern is an ordinary failure, not a permanent trip.
    attempt(a, h.now(), http(401, {}, "bad key"));
    CHECK(a.breaker_state() == BreakerState::closed);
    // A 400 whose message matches trips at once, whatever the case.
    attempt(a, h.now(), http(400, {}, "The MODEL llama-2 has been DECOMMISSIONED"));
    CHECK(a.breaker_state() == BreakerState::open);
    CHECK(a.open_until() - h.now() == 5min);

    Harness h2 = permanent_harness(4, {"^403 "});
    auto& b = h2.state("p", "a");
    attempt(b, h2.now(), http(403, {}, "forbidden"));
    CHECK(b.breaker_state() == BreakerState::open);

    // A 500 never trips permanently, even when a pattern matches its text.
    Harness h3 = permanent_harness(4, {".*"});
    auto& c = h3.state("p", "a");
    attempt(c, h3.now(), http(500, {}, "anything"));
    CHECK(c.breaker_state() == BreakerState::closed);
}

TEST_CASE("without permanent handling, auth errors are ordinary failures") {
    Harness h = one_provider(2);
    auto& a = h.state("p", "a");
    attempt(a, h.now(), http(401));
    CHECK(a.breaker_state() == BreakerState::closed);
    attempt(a, h.now(), http(401));
    CHECK(a.breaker_state() == BreakerState::open);
    CHECK(a.open_until() - h.now() == 60s);
}

TEST_CASE("while its breaker is open, a provider receives 0 calls") {
    Harness h;
    auto p = pool("p", {provider("a"), provider("b")});
    p.circuit_breaker.failure_threshold = 2;
    p.circuit_breaker.reset_timeout = 10000ms;
    h.config->pools.push_back(p);
    auto& core = h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {http(500)});
    // Route until a's breaker opens.
    for (int i = 0; i < 10 && h.state("p", "a").breaker_state() != BreakerState::open; ++i) {
        auto loop = core.begin("m");
        route(h, t, std::move(loop));
    }
    REQUIRE(h.state("p", "a").breaker_state() == BreakerState::open);
    const auto opened_at = h.state("p", "a").open_until() - 10000ms;
    t.calls.clear();
    for (int i = 0; i < 50; ++i) {
        auto loop = core.begin("m");
        auto r = route(h, t, std::move(loop));  // each call takes 100 ms
        CHECK(r.ok);
        if (h.now() >= opened_at + 9800ms) break;
    }
    for (const auto& c : t.calls) CHECK(c.provider == "b");
    CHECK(t.calls.size() >= 40);
}

TEST_CASE("a probe answered with a 429 or a caller error releases its slot and stays half-open") {
    for (const auto& o : {http(429), http(400), http(422)}) {
        Harness h = one_provider(1);
        auto& a = h.state("p", "a");
        attempt(a, h.now(), http(500));
        h.clock->advance(60s);
        sw::detail::ProviderTicket probe;
        REQUIRE(a.try_acquire(h.now(), 30s, 0, probe));
        a.record(probe, h.now(), o, sw::classify(o));
        INFO("status " << o.http_status);
        CHECK(a.breaker_state() == BreakerState::half_open);
        CHECK(a.probes_in_flight() == 0);
        CHECK(a.in_flight() == 0);
    }
}

TEST_CASE("a reset while a probe is in flight makes the probe's late report harmless") {
    Harness h = one_provider(1);
    auto& a = h.state("p", "a");
    attempt(a, h.now(), http(500));
    h.clock->advance(60s);
    sw::detail::ProviderTicket probe;
    REQUIRE(a.try_acquire(h.now(), 30s, 0, probe));
    h.core->reset_breaker("p", "a");
    a.record(probe, h.now(), http(500), sw::ErrorClass::transient);
    CHECK(a.breaker_state() == BreakerState::closed);
    CHECK(a.in_flight() == 0);
    CHECK(a.probes_in_flight() == 0);
}
