// test_state_store.cpp — what a ProviderState tells its StateStore: breaker transitions and limit use.
#include "routing_fixtures.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace swtest;
using sw::BreakerState;

namespace {

// A store shared across processes would queue these for its round trips; this one keeps them.
class RecordingStore final : public sw::health::StateStore {
public:
    struct Transition {
        std::string pool, provider;
        sw::health::BreakerTransition t;
    };
    bool shared() const noexcept override { return true; }
    void publish_transition(const sw::health::StateKey& key, const sw::health::BreakerTransition& t) noexcept override {
        transitions.push_back({std::string(key.pool), std::string(key.provider), t});
    }
    void record_limit_use(const sw::health::StateKey&, const sw::health::LimitUse& use) noexcept override {
        uses.push_back(use);
    }
    std::vector<Transition> transitions;
    std::vector<sw::health::LimitUse> uses;
};

// One provider "a" in pool "p", on `store`: its breaker opens at the 2nd failure, for 10 s.
struct OnStore {
    sw::FakeClock clock;
    RecordingStore store;
    sw::PoolConfig pool = swtest::pool("p", {provider("a")});
    sw::health::PermanentPatterns patterns;
    sw::health::ProviderState state;
    explicit OnStore(sw::RateLimits limits = {}) {
        pool.circuit_breaker.failure_threshold = 2;
        pool.circuit_breaker.reset_timeout = 10000ms;
        pool.providers[0].rate_limits = limits;
        state.init(0, pool, pool.providers[0], patterns, 0, nullptr, store);
    }
};

}  // namespace

TEST_CASE("state store: every breaker transition is published under (pool id, provider name)") {
    OnStore s;
    REQUIRE(attempt(s.state, s.clock.now(), http(500)));
    CHECK(s.store.transitions.empty());
    REQUIRE(attempt(s.state, s.clock.now(), http(500)));
    REQUIRE(s.store.transitions.size() == 1);
    const auto& opened = s.store.transitions[0];
    CHECK(opened.pool == "p");
    CHECK(opened.provider == "a");
    CHECK(opened.t.from == BreakerState::closed);
    CHECK(opened.t.to == BreakerState::open);
    CHECK(opened.t.open_until == s.clock.now() + 10s);

    s.clock.advance(10s);
    REQUIRE(attempt(s.state, s.clock.now(), ok()));  // the probe half-opens, then closes it
    REQUIRE(s.store.transitions.size() == 3);
    CHECK(s.store.transitions[1].t.from == BreakerState::open);
    CHECK(s.store.transitions[1].t.to == BreakerState::half_open);
    CHECK(s.store.transitions[2].t.from == BreakerState::half_open);
    CHECK(s.store.transitions[2].t.to == BreakerState::closed);

    s.state.reset_breaker(s.clock.now());
    REQUIRE(s.store.transitions.size() == 4);
    CHECK(s.store.transitions[3].t.manual);
    CHECK(s.store.transitions[3].t.at == s.clock.now());
}

TEST_CASE("state store: admissions against a limit and token corrections are recorded, none without limits") {
    sw::RateLimits limits;
    limits.requests_per_minute = 10;
    limits.tokens_per_minute = 1000;
    OnStore s(limits);
    sw::detail::ProviderTicket t;
    REQUIRE(s.state.try_acquire(s.clock.now(), 30s, 100, t));
    REQUIRE(s.store.uses.size() == 1);
    CHECK(s.store.uses[0].requests == 1);
    CHECK(s.store.uses[0].tokens == 100);
    sw::Outcome served = ok();
    served.usage.input_tokens = 30;
    served.usage.output_tokens = 10;
    s.state.record(t, s.clock.now(), served, sw::ErrorClass::success);
    REQUIRE(s.store.uses.size() == 2);
    CHECK(s.store.uses[1].requests == 0);
    CHECK(s.store.uses[1].tokens == -60);

    OnStore unlimited;
    REQUIRE(attempt(unlimited.state, unlimited.clock.now(), ok()));
    CHECK(unlimited.store.uses.empty());
}

TEST_CASE("state store: a router core keeps its state in the in-process store unless told otherwise") {
    Harness h;
    h.config->pools.push_back(pool("p", {provider("a")}));
    h.build();
    CHECK(h.core->impl().store == &sw::health::in_process_store());
    CHECK_FALSE(sw::health::in_process_store().shared());
}
