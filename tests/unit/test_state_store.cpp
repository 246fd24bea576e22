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

TEST_CASE("state store: an open learned from the shared store opens the local breaker for its time left, and is not echoed") {
    OnStore s;
    const sw::TimePoint now = s.clock.now();
    const sw::health::RecordEffects opened = s.state.apply_shared({.open = true, .open_left = 5s, .trips = 2, .epoch = 1}, now);
    CHECK(opened.from == BreakerState::closed);
    CHECK(opened.to == BreakerState::open);
    CHECK(opened.open_for == 5s);
    CHECK(s.state.breaker_state() == BreakerState::open);
    CHECK(s.state.open_until() == now + 5s);
    CHECK(s.state.permanent_trips() == 2);
    CHECK_FALSE(s.state.eligible(now, 0));
    CHECK(s.store.transitions.empty());  // the store told us: nothing to tell it back

    // The same epoch again is stale, whatever it says.
    CHECK_FALSE(s.state.apply_shared({.open = false, .epoch = 1}, now).breaker_changed());
    CHECK(s.state.breaker_state() == BreakerState::open);
    // A shorter open does not shorten the local one; a smaller trip count does not lower it.
    CHECK_FALSE(s.state.apply_shared({.open = true, .open_left = 1s, .trips = 0, .epoch = 2}, now).breaker_changed());
    CHECK(s.state.open_until() == now + 5s);
    CHECK(s.state.permanent_trips() == 2);
    // A longer one does.
    s.state.apply_shared({.open = true, .open_left = 8s, .trips = 3, .epoch = 3}, now);
    CHECK(s.state.open_until() == now + 8s);
    CHECK(s.state.permanent_trips() == 3);

    // A close (another process's probe succeeded) closes it, trips and all.
    const sw::health::RecordEffects closed = s.state.apply_shared({.open = false, .epoch = 4}, now + 1s);
    CHECK(closed.from == BreakerState::open);
    CHECK(closed.to == BreakerState::closed);
    CHECK(s.state.breaker_state() == BreakerState::closed);
    CHECK(s.state.permanent_trips() == 0);
    CHECK(s.state.eligible(now + 1s, 0));
    CHECK(s.store.transitions.empty());
}

TEST_CASE("state store: a local open longer than the shared one stays, and its end lets the probe through") {
    OnStore s;
    REQUIRE(attempt(s.state, s.clock.now(), http(500)));
    REQUIRE(attempt(s.state, s.clock.now(), http(500)));  // open for 10 s, published
    REQUIRE(s.store.transitions.size() == 1);
    const sw::TimePoint until = s.state.open_until();
    s.state.apply_shared({.open = true, .open_left = 2s, .epoch = 1}, s.clock.now());
    CHECK(s.state.open_until() == until);
    // A shared open that is over (0 left: half-open on the server) keeps the local wait too.
    s.state.apply_shared({.open = true, .open_left = 0s, .epoch = 2}, s.clock.now() + 1s);
    CHECK(s.state.open_until() == until);
    CHECK_FALSE(s.state.eligible(s.clock.now() + 1s, 0));
    s.clock.advance(10s);
    REQUIRE(attempt(s.state, s.clock.now(), ok()));  // the probe, which closes it and says so
    CHECK(s.state.breaker_state() == BreakerState::closed);
    CHECK(s.store.transitions.back().t.to == BreakerState::closed);
}
