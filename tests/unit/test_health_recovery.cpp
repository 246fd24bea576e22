// test_health_recovery.cpp — an unhealthy provider is probed like a half-open breaker, so that a
// recovered primary carries traffic again within resetTimeout plus one request interval.
#include "routing_fixtures.hpp"
#include <switch/testing/fake_clock.hpp>

#include <catch2/catch.hpp>

#include <functional>

using namespace swtest;

namespace {

// Pool A holds one provider "a" and falls back to pool B ("b"). "a" turns unhealthy after
// 3 consecutive failures; its breaker needs 100, so only health is in play.
Harness primary_with_fallback(sw::Millis reset_timeout = 2000ms) {
    Harness h;
    auto a = pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"B"});
    a.health.consecutive_failures = 3;
    a.health.error_rate = 50;
    a.circuit_breaker.failure_threshold = 100;
    a.circuit_breaker.reset_timeout = reset_timeout;
    h.config->pools.push_back(a);
    h.config->pools.push_back(pool("B", {no_retry("b")}));
    h.build();
    return h;
}

void make_unhealthy(Harness& h) {
    for (int i = 0; i < 3; ++i) REQUIRE(attempt(h.state("A", "a"), h.now(), http(503)));
    REQUIRE_FALSE(h.state("A", "a").healthy(h.now()));
}

// The harness with "a" unhealthy and resetTimeout (2 s) past: its recovery probe is due.
Harness due_for_probe() {
    Harness h = primary_with_fallback();
    make_unhealthy(h);
    h.clock->advance(2000ms);
    return h;
}

std::string serve_one(Harness& h, ScriptedTransport& t) {
    auto loop = h.core->begin("m");
    auto r = route(h, t, std::move(loop));
    REQUIRE(r.ok);
    return r.provider;
}

}  // namespace

TEST_CASE("an unhealthy provider is not probed before resetTimeout, and is probed once it has passed") {
    Harness h = primary_with_fallback();
    make_unhealthy(h);
    ScriptedTransport t(*h.clock);
    h.clock->advance(2000ms - 1ms);
    CHECK(serve_one(h, t) == "b");  // A is skipped: 0 healthy providers, no probe due yet
    // The attempt on b took 100 ms, which passed the wait: the next request probes a.
    CHECK(h.state("A", "a").probe_due(h.now()));
    CHECK(serve_one(h, t) == "a");
    CHECK(h.state("A", "a").healthy(h.now()));
}

TEST_CASE("a successful probe clears the failure streak and the error window") {
    Harness h = due_for_probe();
    ScriptedTransport t(*h.clock);
    CHECK(serve_one(h, t) == "a");
    auto& a = h.state("A", "a");
    CHECK(a.consecutive_failures() == 0);
    CHECK(a.window_counts(h.now()).total == 0);
    CHECK(a.healthy(h.now()));
    CHECK_FALSE(a.probe_due(h.now()));
    // Healthy again: a single new failure does not make it unhealthy (the old ones are gone).
    REQUIRE(attempt(a, h.now(), http(503)));
    CHECK(a.healthy(h.now()));
}

TEST_CASE("one recovery probe at a time: while it is in flight, other requests fail over") {
    Harness h = due_for_probe();
    auto& a = h.state("A", "a");
    sw::detail::ProviderTicket probe;
    REQUIRE(a.try_acquire(h.now(), 30s, 0, probe, /*health_probe=*/true));
    CHECK(probe.health_probe);
    sw::detail::ProviderTicket second;
    CHECK_FALSE(a.try_acquire(h.now(), 30s, 0, second, /*health_probe=*/true));
    CHECK_FALSE(a.probe_due(h.now()));
    ScriptedTransport t(*h.clock);
    CHECK(serve_one(h, t) == "b");
    a.record(probe, h.now(), ok(), sw::ErrorClass::success);
    CHECK(serve_one(h, t) == "a");
}

TEST_CASE("a failed probe restarts the wait, and the request fails over without retrying it") {
    Harness h = due_for_probe();
    auto a = h.config->pools[0].providers[0];
    ScriptedTransport t(*h.clock);
    t.script("a", {http(503, {}, {}, 50ms)});
    auto loop = h.core->begin("m");
    auto r = route(h, t, std::move(loop));
    REQUIRE(r.ok);
    CHECK(t.providers_called() == std::vector<std::string>{"a", "b"});  // one probe, no retry
    const sw::TimePoint failed_at = h.now() - 100ms;                     // b took 100 ms
    auto& st = h.state("A", "a");
    h.clock->set(failed_at + 2000ms - 1ms);
    CHECK_FALSE(st.probe_due(h.now()));
    h.clock->set(failed_at + 2000ms);
    CHECK(st.probe_due(h.now()));
}

TEST_CASE("a failed probe is not retried even when the provider allows retries") {
    Harness h;
    auto p = provider("a");
    p.max_retries = 3;
    auto a = pool("A", {p}, sw::Strategy::round_robin, {"B"});
    a.health.consecutive_failures = 1;
    a.circuit_breaker.failure_threshold = 100;
    a.circuit_breaker.reset_timeout = 1000ms;
    h.config->pools.push_back(a);
    h.config->pools.push_back(pool("B", {no_retry("b")}));
    h.build();
    REQUIRE(attempt(h.state("A", "a"), h.now(), http(500)));
    h.clock->advance(1000ms);
    ScriptedTransport t(*h.clock);
    t.script("a", {http(500)});
    auto loop = h.core->begin("m");
    auto r = route(h, t, std::move(loop));
    REQUIRE(r.ok);
    CHECK(t.providers_called() == std::vector<std::string>{"a", "b"});
}

TEST_CASE("a probe that never reports gives its slot back when its attempt times out") {
    Harness h = due_for_probe();
    auto& a = h.state("A", "a");
    sw::detail::ProviderTicket lost;
    REQUIRE(a.try_acquire(h.now(), 5s, 0, lost, true));
    h.clock->advance(5s - 1ms);
    CHECK_FALSE(a.probe_due(h.now()));
    h.clock->advance(1ms);
    CHECK(a.probe_due(h.now()));
    sw::detail::ProviderTicket next;
    REQUIRE(a.try_acquire(h.now(), 5s, 0, next, true));
    // The lost probe's late failure decides nothing: the new probe still holds the slot.
    a.record(lost, h.now(), http(503), sw::ErrorClass::transient);
    CHECK_FALSE(a.healthy(h.now()));
    CHECK_FALSE(a.probe_due(h.now()));
    a.record(next, h.now(), ok(), sw::ErrorClass::success);
    CHECK(a.healthy(h.now()));
}

TEST_CASE("an abandoned probe gives its slot back without restarting the wait") {
    Harness h = due_for_probe();
    auto& a = h.state("A", "a");
    sw::detail::ProviderTicket probe;
    REQUIRE(a.try_acquire(h.now(), 30s, 0, probe, true));
    a.abandon(probe);
    CHECK(a.probe_due(h.now()));
}

TEST_CASE("a caller error from the probe says nothing of health: the next request probes again") {
    Harness h = due_for_probe();
    auto& a = h.state("A", "a");
    sw::detail::ProviderTicket probe;
    REQUIRE(a.try_acquire(h.now(), 30s, 0, probe, true));
    const auto bad_request = http(400, "invalid_request_error");
    a.record(probe, h.now(), bad_request, sw::classify(bad_request));
    CHECK_FALSE(a.healthy(h.now()));
    CHECK(a.probe_due(h.now()));
}

TEST_CASE("a provider unhealthy by error rate is probed too, not left until the window ages out") {
    Harness h;
    auto a = pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"B"});
    a.health.error_rate = 50;
    a.health.consecutive_failures = 1000;
    a.circuit_breaker.failure_threshold = 1000;
    a.circuit_breaker.error_threshold_percentage = 100;
    a.circuit_breaker.min_requests_threshold = 4;
    a.circuit_breaker.reset_timeout = 3000ms;  // the window is 300 s
    h.config->pools.push_back(a);
    h.config->pools.push_back(pool("B", {no_retry("b")}));
    h.build();
    auto& st = h.state("A", "a");
    REQUIRE(attempt(st, h.now(), ok()));
    for (int i = 0; i < 3; ++i) REQUIRE(attempt(st, h.now(), http(503)));
    REQUIRE_FALSE(st.healthy(h.now()));
    ScriptedTransport t(*h.clock);
    h.clock->advance(2999ms);
    CHECK(serve_one(h, t) == "b");
    h.clock->advance(900ms);
    CHECK(serve_one(h, t) == "a");
    CHECK(st.healthy(h.now()));
}

TEST_CASE("a slow probe that succeeds still leaves a provider unhealthy by latency, and restarts the wait") {
    Harness h;
    auto a = pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"B"});
    a.health.response_time = 1000ms;
    a.circuit_breaker.reset_timeout = 2000ms;
    h.config->pools.push_back(a);
    h.config->pools.push_back(pool("B", {no_retry("b")}));
    h.build();
    auto& st = h.state("A", "a");
    REQUIRE(attempt(st, h.now(), ok(5000ms)));
    REQUIRE_FALSE(st.healthy(h.now()));
    h.clock->advance(2000ms);
    REQUIRE(st.probe_due(h.now()));
    sw::detail::ProviderTicket probe;
    REQUIRE(st.try_acquire(h.now(), 30s, 0, probe, true));
    st.record(probe, h.now(), ok(1500ms), sw::ErrorClass::success);
    CHECK(st.ewma_ns() == std::chrono::nanoseconds(1500ms).count());  // starts again from the probe
    CHECK_FALSE(st.healthy(h.now()));
    CHECK_FALSE(st.probe_due(h.now()));
    h.clock->advance(2000ms);
    REQUIRE(st.try_acquire(h.now(), 30s, 0, probe, true));
    st.record(probe, h.now(), ok(200ms), sw::ErrorClass::success);
    CHECK(st.healthy(h.now()));
}

TEST_CASE("a 10 s outage with a request every 1.2 s: none fails, and the primary is back within "
          "resetTimeout plus one interval of recovering") {
    Harness h = primary_with_fallback(2000ms);
    const sw::TimePoint start = h.now();
    const sw::TimePoint recovered = start + 10s;
    ScriptedTransport t(*h.clock, [&](const std::string& provider, sw::TimePoint now) {
        if (provider == "a" && now < recovered) return http(503, {}, {}, 20ms);
        return ok(20ms);
    });
    std::vector<std::pair<sw::TimePoint, std::string>> served;
    for (sw::TimePoint at = start; at < start + 19s; at += 1200ms) {
        h.clock->set(at);
        served.emplace_back(at, serve_one(h, t));
    }
    bool back = false;
    for (const auto& [at, provider] : served) {
        if (at >= recovered + 2000ms + 1200ms) CHECK(provider == "a");
        if (at >= recovered && provider == "a") back = true;
        if (at < recovered) CHECK(provider == "b");
    }
    CHECK(back);
}
