// test_attempt_loop.cpp — retries, backoff, Retry-After, failover per class, the deadline.
#include "routing_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace swtest;
using sw::ErrorClass;
using sw::RouteError;

namespace {

sw::RouteResult run(Harness& h, ScriptedTransport& t, sw::RequestOptions opts = {}) {
    auto loop = h.core->begin("m", opts);
    return route(h, t, std::move(loop), opts.streaming);
}

}  // namespace

TEST_CASE("full-jitter backoff stays within its bound over many samples") {
    sw::SplitMixRandom rnd(7);
    for (int n = 0; n < 8; ++n) {
        const sw::Nanos bound = std::min<sw::Nanos>(sw::Nanos{1000ms} * (1LL << n), sw::kMaxBackoff);
        sw::Nanos lo = bound, hi{0};
        double sum = 0;
        for (int i = 0; i < 20000; ++i) {
            const sw::Nanos d = sw::full_jitter_backoff(1000ms, n, rnd);
            REQUIRE(d >= sw::Nanos{0});
            REQUIRE(d <= bound);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
            sum += static_cast<double>(d.count());
        }
        // Full jitter spreads over the whole range, with mean bound / 2.
        CHECK(lo < bound / 50);
        CHECK(hi > bound - bound / 50);
        CHECK(sum / 20000 == Approx(static_cast<double>(bound.count()) / 2).epsilon(0.03));
    }
    CHECK(sw::full_jitter_backoff(1000ms, 60, rnd) <= sw::kMaxBackoff);
}

TEST_CASE("a transient error is retried on the same provider with bounded backoff") {
    Harness h;
    auto a = provider("a");
    a.max_retries = 3;
    a.retry_delay = 200ms;
    h.config->pools.push_back(pool("p", {a, provider("b")}));
    h.config->pools[0].circuit_breaker.failure_threshold = 100;
    h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {http(503), http(503), http(503), ok()});
    auto r = run(h, t);
    REQUIRE(r.ok);
    CHECK(r.provider == "a");
    CHECK(t.providers_called() == std::vector<std::string>{"a", "a", "a", "a"});
    REQUIRE(r.attempts.size() == 4);
    CHECK(r.attempts[0].backoff_waited == 0ms);
    for (std::size_t i = 1; i < 4; ++i) {
        const auto bound = 200ms * (1 << (i - 1));
        CHECK(r.attempts[i].backoff_waited <= bound);
        // The trace matches the fake clock: the attempt started after the wait.
        CHECK(t.calls[i].at - (t.calls[i - 1].at + 50ms) <= bound);
    }
}

TEST_CASE("retries are bounded by maxRetries, then the request fails over") {
    Harness h;
    auto a = provider("a");
    a.max_retries = 2;
    a.retry_delay = 10ms;
    h.config->pools.push_back(pool("p", {a, provider("b", 2)}));
    h.config->pools[0].circuit_breaker.failure_threshold = 100;
    h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {http(500)});
    auto r = run(h, t);
    REQUIRE(r.ok);
    CHECK(t.providers_called() == std::vector<std::string>{"a", "a", "a", "b"});
}

TEST_CASE("Retry-After: 2 on a 429 delays the next attempt by at least 2 s") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a")}));
    h.build();
    ScriptedTransport t(*h.clock);
    auto limited = http(429);
    limited.retry_after = "2";
    t.script("a", {limited, ok()});
    auto r = run(h, t);
    REQUIRE(r.ok);
    REQUIRE(t.calls.size() == 2);
    const auto first_end = t.calls[0].at + 50ms;
    CHECK(t.calls[1].at - first_end >= 2s);
    CHECK(t.calls[1].at - first_end == 2s);  // and no later than needed
    CHECK(r.attempts[1].backoff_waited == 2000ms);
    CHECK(r.attempts[0].error_class == ErrorClass::rate_limited);
}

TEST_CASE("retry-after-ms on a 503 stretches the backoff") {
    Harness h;
    auto a = provider("a");
    a.retry_delay = 10ms;
    h.config->pools.push_back(pool("p", {a}));
    h.build();
    ScriptedTransport t(*h.clock);
    auto busy = http(503);
    busy.retry_after_ms = "1500";
    t.script("a", {busy, ok()});
    auto r = run(h, t);
    REQUIRE(r.ok);
    CHECK(t.calls[1].at - (t.calls[0].at + 50ms) >= 1500ms);
}

TEST_CASE("a 429 fails over at once to another provider") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a"), provider("b")}));
    h.build();
    ScriptedTransport t(*h.clock);
    auto limited = http(429);
    limited.retry_after = "30";
    t.script("a", {limited});
    auto r = run(h, t);
    REQUIRE(r.ok);
    CHECK(t.providers_called() == std::vector<std::string>{"a", "b"});
    CHECK(r.attempts[1].backoff_waited == 0ms);
    // The cooldown keeps a out of the next request too.
    ScriptedTransport t2(*h.clock);
    auto r2 = run(h, t2);
    CHECK(t2.providers_called() == std::vector<std::string>{"b"});
}

TEST_CASE("a 429 whose Retry-After passes the deadline is not waited for") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a")}));
    h.build();
    ScriptedTransport t(*h.clock);
    auto limited = http(429);
    limited.retry_after = "120";
    t.script("a", {limited});
    const auto start = h.now();
    sw::RequestOptions o;
    o.deadline = 10s;
    auto r = run(h, t, o);
    CHECK_FALSE(r.ok);
    CHECK(t.calls.size() == 1);
    CHECK(h.now() - start == 50ms);
    CHECK(r.error == RouteError::exhausted);
}

TEST_CASE("401 is never retried and fails over") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a"), provider("b", 2)}));
    h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {http(401, "invalid_api_key", "Incorrect API key provided: sk-canary-1234")});
    auto r = run(h, t);
    REQUIRE(r.ok);
    CHECK(t.providers_called() == std::vector<std::string>{"a", "b"});
    CHECK(r.attempts[0].error_class == ErrorClass::auth);
    CHECK(r.attempts[0].error_code == "invalid_api_key");
}

TEST_CASE("timeout, quota, not_found and protocol fail over without retry") {
    for (const auto& o : {net(sw::TransportError::connect_timeout), http(402), http(404),
                          net(sw::TransportError::protocol)}) {
        Harness h;
        h.config->pools.push_back(pool("p", {provider("a"), provider("b", 2)}));
        h.build();
        ScriptedTransport t(*h.clock);
        t.script("a", {o});
        auto r = run(h, t);
        INFO(sw::to_string(sw::classify(o)));
        CHECK(r.ok);
        CHECK(t.providers_called() == std::vector<std::string>{"a", "b"});
    }
}

TEST_CASE("context_length_exceeded: exactly one attempt and no breaker count") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a"), provider("b")}));
    h.config->pools[0].circuit_breaker.failure_threshold = 1;
    h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {http(400, "context_length_exceeded", "This model's maximum context length is 8192")});
    auto r = run(h, t);
    CHECK_FALSE(r.ok);
    CHECK(t.calls.size() == 1);
    CHECK(r.error == RouteError::rejected);
    CHECK(r.error_class == ErrorClass::context_window);
    auto& a = h.state("p", "a");
    CHECK(a.breaker_state() == sw::BreakerState::closed);
    CHECK(a.window_counts(h.now()).total == 0);
    CHECK(a.consecutive_failures() == 0);
}

TEST_CASE("a content-policy rejection: one attempt, no failover, the reason is returned") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a"), provider("b")}, sw::Strategy::round_robin, {"q"}));
    h.config->pools.push_back(pool("q", {provider("c")}));
    h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {http(400, "content_policy_violation", "Your request was rejected by our safety system")});
    auto r = run(h, t);
    CHECK_FALSE(r.ok);
    CHECK(t.calls.size() == 1);
    CHECK(r.error == RouteError::rejected);
    CHECK(r.error_class == ErrorClass::content_policy);
    CHECK_THAT(r.message, Catch::Contains("rejected by our safety system"));
    CHECK(h.state("p", "a").breaker_state() == sw::BreakerState::closed);
}

TEST_CASE("other 400s are the caller's error: no retry, no failover") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a"), provider("b")}));
    h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {http(422)});
    auto r = run(h, t);
    CHECK(t.calls.size() == 1);
    CHECK(r.error == RouteError::rejected);
}

TEST_CASE("the deadline stops everything") {
    Harness h;
    auto a = provider("a");
    a.max_retries = 10;
    a.retry_delay = 500ms;
    a.timeout = 2000ms;
    h.config->pools.push_back(pool("p", {a, provider("b", 2)}));
    h.config->pools[0].circuit_breaker.failure_threshold = 100;
    h.build();
    ScriptedTransport t(*h.clock);
    auto slow = http(503);
    slow.latency = 900ms;
    t.script("a", {slow});
    t.script("b", {slow});
    const auto start = h.now();
    sw::RequestOptions o;
    o.deadline = 5000ms;
    auto loop = h.core->begin("m", o);
    auto r = route(h, t, std::move(loop));
    CHECK_FALSE(r.ok);
    CHECK(h.now() - start <= 5000ms);
    for (const auto& c : t.calls) {
        CHECK(c.at < start + 5000ms);
        CHECK(c.at + c.timeout <= start + 5000ms);  // attempt timeouts are clipped
    }
    CHECK((r.error == RouteError::deadline_exceeded || r.error == RouteError::exhausted));
}

TEST_CASE("an attempt that outlives the deadline is cut at the deadline") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a"), provider("b")}));
    h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {ok(10s)});
    t.script("b", {ok(10s)});
    const auto start = h.now();
    sw::RequestOptions o;
    o.deadline = 3000ms;
    auto r = run(h, t, o);
    CHECK(r.error == RouteError::deadline_exceeded);
    CHECK(t.calls.size() == 1);
    CHECK(t.calls[0].timeout == 3000ms);
    CHECK(h.now() - start == 3000ms);
}

TEST_CASE("deadlines default to the config and are capped by deadlines.max") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a")}));
    h.config->deadlines.request = 60000ms;
    h.config->deadlines.streaming = 600000ms;
    h.config->deadlines.max = 300000ms;
    h.build();
    const auto now = h.now();
    CHECK(h.core->begin("m").deadline() == now + 60000ms);
    sw::RequestOptions s;
    s.streaming = true;
    CHECK(h.core->begin("m", s).deadline() == now + 300000ms);
}

TEST_CASE("total attempts are bounded") {
    Harness h;
    std::vector<sw::ProviderConfig> ps;
    for (int i = 0; i < 10; ++i) ps.push_back(provider("p" + std::to_string(i)));
    h.config->pools.push_back(pool("p", ps));
    h.build();
    ScriptedTransport t(*h.clock);
    for (int i = 0; i < 10; ++i) t.script("p" + std::to_string(i), {net(sw::TransportError::idle_timeout)});
    sw::RequestOptions o;
    o.max_attempts = 3;
    auto r = run(h, t, o);
    CHECK(t.calls.size() == 3);
    CHECK(r.error == RouteError::attempts_exceeded);
    CHECK(r.attempts.size() == 3);
}

TEST_CASE("a stream that fails after content was delivered is neither retried nor failed over") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a"), provider("b")}));
    h.build();
    ScriptedTransport t(*h.clock);
    auto cut = net(sw::TransportError::idle_timeout);
    cut.content_delivered = true;
    t.script("a", {cut});
    sw::RequestOptions stream;
    stream.streaming = true;  // only a stream delivers content before it ends
    auto r = run(h, t, stream);
    CHECK(t.calls.size() == 1);
    CHECK(r.error == RouteError::stream_interrupted);
}

TEST_CASE("the trace and the error never contain a provider message or a header value") {
    Harness h;
    auto a = provider("a");
    a.max_retries = 0;
    a.headers = {{"x-api-key", "sk-header-secret"}};
    h.config->pools.push_back(pool("p", {a}));
    h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {http(401, "invalid_api_key", "Incorrect API key provided: sk-canary-1234")});
    auto r = run(h, t);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.message, !Catch::Contains("sk-canary"));
    CHECK_THAT(r.message, !Catch::Contains("sk-header"));
    CHECK_THAT(r.message, Catch::Contains("p/a: HTTP 401 (auth, invalid_api_key"));
}

TEST_CASE("the state machine only waits and never blocks") {
    Harness h;
    auto a = provider("a");
    a.retry_delay = 1000ms;
    h.config->pools.push_back(pool("p", {a}));
    h.build();
    auto loop = h.core->begin("m");
    auto act = loop.next(h.now());
    REQUIRE(act.kind == sw::AttemptLoop::Action::Kind::attempt);
    CHECK(act.attempt.provider->name == "a");
    CHECK(act.attempt.attempt_number == 1);
    CHECK(act.attempt.timeout == 30000ms);
    CHECK_THROWS_AS(loop.next(h.now()), std::logic_error);
    auto busy = http(503);
    busy.retry_after = "3";
    loop.report(busy, h.now());
    act = loop.next(h.now());
    REQUIRE(act.kind == sw::AttemptLoop::Action::Kind::wait);
    CHECK(act.wait_until == h.now() + 3s);
    h.clock->advance(1s);
    act = loop.next(h.now());  // woken early: still waiting for the same instant
    REQUIRE(act.kind == sw::AttemptLoop::Action::Kind::wait);
    h.clock->advance(2s);
    act = loop.next(h.now());
    REQUIRE(act.kind == sw::AttemptLoop::Action::Kind::attempt);
    CHECK(act.attempt.provider_attempt == 2);
    CHECK(h.state("p", "a").in_flight() == 1);
}

TEST_CASE("destroying a loop with an attempt in flight returns its slot") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a")}));
    h.build();
    {
        auto loop = h.core->begin("m");
        REQUIRE(loop.next(h.now()).kind == sw::AttemptLoop::Action::Kind::attempt);
        CHECK(h.state("p", "a").in_flight() == 1);
        auto moved = std::move(loop);
        CHECK(h.state("p", "a").in_flight() == 1);
    }
    CHECK(h.state("p", "a").in_flight() == 0);
}
