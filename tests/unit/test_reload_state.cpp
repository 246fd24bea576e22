// test_reload_state.cpp — on a reload, each provider that survives it (same pool id, same
// provider name) keeps what it learned: breaker, health, cooldown and rate-limit use.
#include "routing_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace swtest;
using sw::BreakerState;

namespace {

// Pool "p" with providers a and b; a's breaker opens at the 2nd failure, for 10 s.
std::shared_ptr<sw::Config> two_providers() {
    auto config = std::make_shared<sw::Config>();
    auto p = pool("p", {provider("a"), provider("b")});
    p.circuit_breaker.failure_threshold = 2;
    p.circuit_breaker.reset_timeout = 10000ms;
    p.health.consecutive_failures = 100;
    config->pools.push_back(p);
    sw::ModelConfig m;
    m.name = "m";
    m.primary_pool_id = "p";
    config->models.push_back(m);
    return config;
}

// A harness over two_providers() whose provider a has failed twice, so its breaker is open.
Harness with_a_open(sw::Millis latency = 50ms) {
    Harness h;
    h.config = two_providers();
    h.build();
    auto& a = h.state("p", "a");
    REQUIRE(attempt(a, h.now(), http(500, {}, {}, latency)));
    REQUIRE(attempt(a, h.now(), http(500, {}, {}, latency)));
    REQUIRE(a.breaker_state() == BreakerState::open);
    return h;
}

// The core a reload would build for `config`, with the old core's state carried over.
std::unique_ptr<sw::RouterCore> reloaded(Harness& h, std::shared_ptr<sw::Config> config, std::size_t* carried = nullptr) {
    auto core = std::make_unique<sw::RouterCore>(config, h.clock, h.random);
    const std::size_t n = core->carry_state_from(*h.core);
    if (carried) *carried = n;
    return core;
}

sw::health::ProviderState& state_of(sw::RouterCore& core, const std::string& pool_id, const std::string& name) {
    auto& impl = core.impl();
    for (std::size_t i = 0; i < impl.pool_count; ++i) {
        if (impl.pools[i].config->id != pool_id) continue;
        for (std::uint32_t j = 0; j < impl.pools[i].count; ++j)
            if (impl.provider(impl.pools[i], j).config().name == name) return impl.provider(impl.pools[i], j);
    }
    throw std::runtime_error("no such provider");
}

}  // namespace

TEST_CASE("reload keeps an open breaker, its open time and its health, by pool id and provider name") {
    Harness h = with_a_open(40ms);
    auto& a = h.state("p", "a");
    REQUIRE(attempt(h.state("p", "b"), h.now(), ok(120ms)));
    h.clock->advance(4000ms);

    std::size_t carried = 0;
    auto core = reloaded(h, two_providers(), &carried);
    CHECK(carried == 2);
    auto& a2 = state_of(*core, "p", "a");
    CHECK(a2.breaker_state() == BreakerState::open);
    CHECK(a2.open_until() == a.open_until());
    CHECK(a2.consecutive_failures() == 2);
    CHECK(a2.window_counts(h.now()).failures == 2);
    auto& b2 = state_of(*core, "p", "b");
    CHECK(b2.ewma_ns() == std::chrono::nanoseconds(120ms).count());
    CHECK(b2.window_counts(h.now()).total == 1);

    // Carried, the open breaker keeps a away until its 10 s are up, then admits one probe.
    ScriptedTransport t(*h.clock);
    auto loop = core->begin("m");
    CHECK(route(h, t, std::move(loop)).provider == "b");
    h.clock->advance(6000ms);
    CHECK(a2.breaker_admits(h.now()));
    sw::detail::ProviderTicket ticket;
    REQUIRE(a2.try_acquire(h.now(), 30s, 0, ticket));
    CHECK(ticket.probe);
    CHECK(a2.breaker_state() == BreakerState::half_open);
}

TEST_CASE("a half-open breaker comes over as open and due for a new probe: the old probe reports to the old state") {
    Harness h = with_a_open();
    auto& a = h.state("p", "a");
    h.clock->advance(10000ms);
    sw::detail::ProviderTicket probe;
    REQUIRE(a.try_acquire(h.now(), 30s, 0, probe));
    REQUIRE(a.breaker_state() == BreakerState::half_open);

    auto core = reloaded(h, two_providers());
    auto& a2 = state_of(*core, "p", "a");
    CHECK(a2.breaker_state() == BreakerState::open);
    CHECK(a2.breaker_admits(h.now()));
    CHECK(a2.probes_in_flight() == 0);
    a.record(probe, h.now(), ok(), sw::ErrorClass::success);  // the old probe closes the old breaker only
    CHECK(a.breaker_state() == BreakerState::closed);
    CHECK(a2.breaker_state() == BreakerState::open);
}

TEST_CASE("reload keeps a 429 cooldown and the use of an unchanged per-minute limit") {
    Harness h;
    h.config = two_providers();
    h.config->pools[0].providers[0].rate_limits.requests_per_minute = 2;
    h.build();
    auto& a = h.state("p", "a");
    REQUIRE(attempt(a, h.now(), ok()));
    REQUIRE(attempt(a, h.now(), ok()));
    CHECK_FALSE(a.eligible(h.now(), 0));  // both requests of the minute are used
    sw::Outcome limited = http(429);
    limited.retry_after = "30";
    auto& b = h.state("p", "b");
    REQUIRE(attempt(b, h.now(), limited));

    auto same = two_providers();
    same->pools[0].providers[0].rate_limits.requests_per_minute = 2;
    auto core = reloaded(h, same);
    CHECK_FALSE(state_of(*core, "p", "a").eligible(h.now(), 0));
    CHECK(state_of(*core, "p", "b").cooldown_until() == b.cooldown_until());

    // A changed limit starts with a full bucket: use measured against another limit says nothing.
    auto raised = two_providers();
    raised->pools[0].providers[0].rate_limits.requests_per_minute = 100;
    auto core2 = reloaded(h, raised);
    CHECK(state_of(*core2, "p", "a").eligible(h.now(), 0));
}

TEST_CASE("reload starts afresh what it cannot carry: a new window length, a renamed provider, a moved pool") {
    Harness h = with_a_open();

    auto other_window = two_providers();
    other_window->pools[0].circuit_breaker.monitoring_window = 120000ms;
    auto core = reloaded(h, other_window);
    CHECK(state_of(*core, "p", "a").breaker_state() == BreakerState::open);  // the breaker still carries
    CHECK(state_of(*core, "p", "a").window_counts(h.now()).total == 0);      // the window does not

    auto renamed = two_providers();
    renamed->pools[0].providers[0].name = "a-renamed";
    std::size_t carried = 0;
    auto core2 = reloaded(h, renamed, &carried);
    CHECK(carried == 1);  // only b
    CHECK(state_of(*core2, "p", "a-renamed").breaker_state() == BreakerState::closed);

    auto moved = two_providers();
    moved->pools[0].id = "q";
    moved->models[0].primary_pool_id = "q";
    auto core3 = reloaded(h, moved, &carried);
    CHECK(carried == 0);
    CHECK(state_of(*core3, "q", "a").breaker_state() == BreakerState::closed);

    auto no_breaker = two_providers();
    no_breaker->pools[0].circuit_breaker.enabled = false;
    auto core4 = reloaded(h, no_breaker);
    CHECK(state_of(*core4, "p", "a").breaker_state() == BreakerState::closed);
    CHECK(state_of(*core4, "p", "a").consecutive_failures() == 2);  // health carries regardless
}
