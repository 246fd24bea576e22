// test_events.cpp — the routing core's events (events.hpp): which are reported, in what order,
// with what in them, on a fake clock.
#include "routing_fixtures.hpp"

#include "api/observer_list.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>

using namespace swtest;
using sw::BreakerState;

namespace {

// Keeps every event as its JSON, in arrival order.
class Recorder : public sw::RouterObserver {
public:
    void on_route_decision(const sw::RouteDecisionEvent& e) override { events.push_back(sw::to_json(e)); }
    void on_attempt_started(const sw::AttemptStartedEvent& e) override { events.push_back(sw::to_json(e)); }
    void on_attempt_finished(const sw::AttemptFinishedEvent& e) override { events.push_back(sw::to_json(e)); }
    void on_breaker_transition(const sw::BreakerTransitionEvent& e) override { events.push_back(sw::to_json(e)); }
    void on_cooldown(const sw::CooldownEvent& e) override { events.push_back(sw::to_json(e)); }
    void on_request_finished(const sw::RequestFinishedEvent& e) override { events.push_back(sw::to_json(e)); }

    // The value of "event" in each recorded event.
    std::vector<std::string> kinds() const {
        std::vector<std::string> out;
        for (const std::string& e : events) {
            const auto at = e.find(R"("event":")") + 9;
            out.push_back(e.substr(at, e.find('"', at) - at));
        }
        return out;
    }
    std::vector<std::string> events;
};

// Pool "A" ({a}) falls back to pool "B" ({b}); a's breaker opens after 2 failures for 1 s.
Harness observed(std::shared_ptr<Recorder> recorder) {
    Harness h;
    h.observer = std::move(recorder);
    auto a = pool("A", {no_retry("a")}, sw::Strategy::round_robin, {"B"});
    a.circuit_breaker.failure_threshold = 2;
    a.circuit_breaker.reset_timeout = 1000ms;
    a.health.consecutive_failures = 100;
    h.config->pools.push_back(a);
    h.config->pools.push_back(pool("B", {no_retry("b")}));
    h.build();
    return h;
}

sw::RouteResult serve(Harness& h, ScriptedTransport& t, std::uint64_t id) {
    sw::RequestOptions o;
    o.request_id = id;
    auto loop = h.core->begin("m", o);
    return route(h, t, std::move(loop));
}

}  // namespace

TEST_CASE("a request's events: its route, then each attempt's start and end, in order") {
    auto rec = std::make_shared<Recorder>();
    Harness h = observed(rec);
    ScriptedTransport t(*h.clock);
    t.script("a", {http(503, "overloaded", "busy", 50ms)});
    const sw::RouteResult r = serve(h, t, 7);
    REQUIRE(r.ok);
    REQUIRE(r.provider == "b");
    REQUIRE(rec->kinds() == std::vector<std::string>{"route_decision", "attempt_started", "attempt_finished",
                                                      "attempt_started", "attempt_finished"});
    // Time is the fake clock's: it starts at 1 h (3600 s), a's attempt takes 50 ms.
    CHECK(rec->events[0] == R"({"event":"route_decision","time_ns":3600000000000,"request":7,"model":"m","pool":"A","label":""})");
    CHECK(rec->events[1] ==
          R"({"event":"attempt_started","time_ns":3600000000000,"request":7,"model":"m","pool":"A","provider":"a","attempt":1,)"
          R"("provider_attempt":1,"timeout_ms":30000,"breaker_probe":false,"health_probe":false})");
    CHECK(rec->events[2] ==
          R"({"event":"attempt_finished","time_ns":3600050000000,"request":7,"model":"m","attempt":{"provider":"a",)"
          R"("pool":"A","status":503,"error_class":"transient","latency_ms":50,"backoff_ms":0},)"
          R"("error_code":"overloaded","input_tokens":0,"output_tokens":0})");
    CHECK(rec->events[3].find(R"("pool":"B","provider":"b","attempt":2,)") != std::string::npos);
    CHECK(rec->events[4].find(R"("status":200,"error_class":"success")") != std::string::npos);
}

TEST_CASE("breaker transitions are events: closed to open, open to half-open, half-open to closed") {
    auto rec = std::make_shared<Recorder>();
    Harness h = observed(rec);
    ScriptedTransport t(*h.clock);
    t.script("a", {http(500), http(500), ok()});
    REQUIRE(serve(h, t, 1).ok);
    REQUIRE(serve(h, t, 2).ok);
    REQUIRE(h.state("A", "a").breaker_state() == BreakerState::open);
    // The transition follows the attempt that caused it; 1000 ms open, measured from its report.
    const auto kinds = rec->kinds();
    REQUIRE(kinds.size() == 11);  // 5 events for request 1; 5 + the transition for request 2
    CHECK(kinds[7] == "attempt_finished");
    CHECK(rec->events[7].find(R"("provider":"a")") != std::string::npos);
    CHECK(rec->events[8] == R"({"event":"breaker_transition","time_ns":3600200000000,"pool":"A","provider":"a",)"
                            R"("from":"closed","to":"open","open_for_ms":1000,"permanent":false,"manual":false})");

    rec->events.clear();
    h.clock->advance(1000ms);
    REQUIRE(serve(h, t, 3).provider == "a");
    REQUIRE(rec->kinds() == std::vector<std::string>{"route_decision", "breaker_transition", "attempt_started",
                                                      "attempt_finished", "breaker_transition"});
    CHECK(rec->events[1].find(R"("from":"open","to":"half_open")") != std::string::npos);
    CHECK(rec->events[2].find(R"("breaker_probe":true)") != std::string::npos);
    CHECK(rec->events[4].find(R"("from":"half_open","to":"closed")") != std::string::npos);
}

TEST_CASE("a permanent trip says so, and an operator's reset is a manual transition") {
    auto rec = std::make_shared<Recorder>();
    Harness h = observed(rec);
    h.config->pools[0].circuit_breaker.permanent.enabled = true;
    h.build();
    ScriptedTransport t(*h.clock);
    t.script("a", {http(401, "invalid_api_key")});
    REQUIRE(serve(h, t, 1).provider == "b");
    const auto trip = std::find_if(rec->events.begin(), rec->events.end(),
                                   [](const std::string& e) { return e.find("breaker_transition") != std::string::npos; });
    REQUIRE(trip != rec->events.end());
    CHECK(trip->find(R"("to":"open")") != std::string::npos);
    CHECK(trip->find(R"("permanent":true,"manual":false)") != std::string::npos);

    rec->events.clear();
    CHECK(h.core->reset_breaker("A", "a"));
    REQUIRE(rec->events.size() == 1);
    CHECK(rec->events[0].find(R"("from":"open","to":"closed","open_for_ms":0,"permanent":false,"manual":true)") !=
          std::string::npos);
    // Resetting a closed breaker changes nothing, so nothing is reported.
    CHECK(h.core->reset_breaker("A", "a"));
    CHECK(rec->events.size() == 1);
}

TEST_CASE("a 429 reports the cooldown it starts") {
    auto rec = std::make_shared<Recorder>();
    Harness h = observed(rec);
    ScriptedTransport t(*h.clock);
    sw::Outcome limited = http(429);
    limited.retry_after = "3";
    t.script("a", {limited});
    REQUIRE(serve(h, t, 1).provider == "b");
    const auto kinds = rec->kinds();
    REQUIRE(kinds.size() == 6);
    CHECK(kinds[2] == "attempt_finished");
    CHECK(rec->events[3] ==
          R"({"event":"cooldown","time_ns":3600050000000,"pool":"A","provider":"a","duration_ms":3000})");
}

TEST_CASE("an unknown model's route decision names no pool") {
    auto rec = std::make_shared<Recorder>();
    Harness h = observed(rec);
    auto loop = h.core->begin("no-such-model");
    CHECK(loop.done());
    REQUIRE(rec->events.size() == 1);
    CHECK(rec->events[0] ==
          R"({"event":"route_decision","time_ns":3600000000000,"request":0,"model":"no-such-model","pool":"","label":""})");
}

TEST_CASE("an observer that throws loses no request, and the next observer still hears every event") {
    class Thrower : public sw::RouterObserver {
    public:
        void on_route_decision(const sw::RouteDecisionEvent&) override { throw std::runtime_error("observer bug"); }
        void on_attempt_started(const sw::AttemptStartedEvent&) override { throw 42; }
        void on_attempt_finished(const sw::AttemptFinishedEvent&) override { throw std::bad_alloc(); }
    };
    auto rec = std::make_shared<Recorder>();
    Harness h;
    h.observer = sw::api::combine({std::make_shared<Thrower>(), nullptr, rec});
    h.config->pools.push_back(pool("A", {no_retry("a")}));
    h.build();
    ScriptedTransport t(*h.clock);
    const sw::RouteResult r = serve(h, t, 1);
    CHECK(r.ok);
    CHECK(rec->kinds() == std::vector<std::string>{"route_decision", "attempt_started", "attempt_finished"});
}

TEST_CASE("observers combine: none is null, one is itself, several are called in order") {
    CHECK(sw::api::combine({}) == nullptr);
    CHECK(sw::api::combine({nullptr}) == nullptr);
    auto one = std::make_shared<Recorder>();
    CHECK(sw::api::combine({one}) == one);
    auto two = std::make_shared<Recorder>();
    auto both = sw::api::combine({one, two});
    REQUIRE(both != nullptr);
    CHECK(both != one);
    const sw::CooldownEvent e{.time = sw::TimePoint{}, .pool = "p", .provider = "x", .duration = 5ms};
    both->on_cooldown(e);
    CHECK(one->events == two->events);
    CHECK(one->events.size() == 1);
}
