// test_redis_state_store.cpp — the StateStore over Redis between two processes' provider states
// (each its own I/O thread, pool, store and BreakerWatch) on a throwaway redis-server: a breaker
// opened in one blocks the provider in the other within the watch's bound, and the probe that
// closes it in the first closes it in the other.
#include "redis_server.hpp"
#include "redis_support.hpp"

#include "health/provider_state.hpp"
#include "redis/breaker_watch.hpp"
#include "state/redis_state_store.hpp"

#include <catch2/catch.hpp>

#include <memory>

using namespace std::chrono_literals;
using sw::BreakerState;
using sw::test::RedisServer;
using sw::test::wait_until;

namespace {

// One process: provider "a" of pool "p", its breaker opening at the 2nd failure for 300 ms.
struct Process {
    sw::transport::HttpEngine loop;
    sw::PoolConfig pool;
    sw::health::PermanentPatterns patterns;
    sw::health::ProviderState state;
    std::unique_ptr<sw::redis::Client> client;
    std::unique_ptr<sw::state::RedisStateStore> store;
    std::shared_ptr<sw::redis::BreakerWatch> watch;

    Process(const std::string& url, const std::string& owner) {
        pool.id = pool.name = "p";
        sw::ProviderConfig a;
        a.name = "a";
        a.model_name = "m";
        a.api_base = "http://127.0.0.1:9/v1";
        pool.providers.push_back(a);
        pool.circuit_breaker.failure_threshold = 2;
        pool.circuit_breaker.reset_timeout = 300ms;
        client = std::make_unique<sw::redis::Client>(std::vector<sw::transport::EventLoop*>{&loop},
                                                     sw::test::loopback_options(url), 1);
        REQUIRE(wait_until([&] { return client->available(); }));
        store = std::make_unique<sw::state::RedisStateStore>(
            *client, loop, owner, 5000ms,
            [this](const sw::health::StateKey& k, const sw::health::SharedBreakerView& view) {
                if (k.pool == "p" && k.provider == "a") state.apply_shared(view, now());
            });
        state.init(0, pool, pool.providers[0], patterns, 0, nullptr, *store);
        watch = sw::redis::BreakerWatch::create(*client, loop, 50ms, owner,
                                                [this](const std::string& p, const std::string& prov,
                                                       const sw::redis::SharedBreakerState& s) { store->apply(p, prov, s); });
        watch->watch("p", "a");
        watch->start();
    }
    ~Process() {
        // The client's close answers its calls, the loop then runs every apply still posted
        // (the state is alive until this body ends), and only then do the members go.
        watch->stop();
        client.reset();
        loop.stop();
    }

    sw::TimePoint now() const { return loop.clock().now(); }
    // One attempt with `outcome`, as the attempt loop would make it; false if not admitted.
    bool attempt(int status) {
        sw::detail::ProviderTicket t;
        if (!state.try_acquire(now(), 30s, 0, t)) return false;
        sw::Outcome o;
        o.http_status = status;
        o.latency = 10ms;
        state.record(t, now(), o, status == 200 ? sw::ErrorClass::success : sw::ErrorClass::transient);
        return true;
    }
};

}  // namespace

TEST_CASE("redis state store: a breaker opened in one process blocks the provider in the other, and its probe's close reaches it",
          "[redis][state]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    Process a(server.url(), "a"), b(server.url(), "b");
    REQUIRE(a.attempt(500));
    REQUIRE(a.attempt(500));
    REQUIRE(a.state.breaker_state() == BreakerState::open);
    const auto opened = std::chrono::steady_clock::now();

    // b hears it through its watch: within the interval (50 ms) and one call.
    REQUIRE(wait_until([&] { return b.state.breaker_state() == BreakerState::open; }, 2s));
    CHECK(std::chrono::steady_clock::now() - opened < 400ms);
    CHECK_FALSE(b.state.eligible(b.now(), 0));
    CHECK(b.state.open_until() > b.now());
    CHECK(b.state.open_until() <= b.now() + 300ms);

    // After resetTimeout, a's probe succeeds: a closes, and so does b, without trying.
    REQUIRE(wait_until([&] { return a.state.breaker_admits(a.now()); }, 2s));
    REQUIRE(a.attempt(200));
    CHECK(a.state.breaker_state() == BreakerState::closed);
    REQUIRE(wait_until([&] { return b.state.breaker_state() == BreakerState::closed; }, 2s));
    CHECK(b.state.eligible(b.now(), 0));

    // And the server agrees: closed, after the open and the close.
    sw::redis::SharedBreaker view(*a.client, "test", "p", "a");
    const auto s = sw::test::answer_of<sw::redis::SharedBreakerState>([&](auto done) { view.read(done); },
                                                                       "a breaker read");
    REQUIRE(s.available);
    CHECK_FALSE(s.open);
    CHECK(s.epoch > 0);
}

TEST_CASE("redis state store: with Redis killed each process goes on alone, at once, and sharing resumes after the restart",
          "[redis][state]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    Process a(server.url(), "a"), b(server.url(), "b");
    // First a shared open and close, so that both have applied the server's epochs: a restarted
    // server, which lost them, must still be believed afterwards.
    REQUIRE(a.attempt(500));
    REQUIRE(a.attempt(500));
    REQUIRE(wait_until([&] { return b.state.breaker_state() == BreakerState::open; }, 2s));
    REQUIRE(wait_until([&] { return a.state.breaker_admits(a.now()); }, 2s));
    REQUIRE(a.attempt(200));
    REQUIRE(wait_until([&] { return b.state.breaker_state() == BreakerState::closed; }, 2s));

    server.kill();
    REQUIRE(wait_until([&] { return !a.client->available() && !b.client->available(); }));

    // a trips its breaker with nobody to tell: its attempts are not held up, and b knows nothing.
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(a.attempt(500));
    REQUIRE(a.attempt(500));
    CHECK(std::chrono::steady_clock::now() - started < 50ms);
    CHECK(a.state.breaker_state() == BreakerState::open);
    std::this_thread::sleep_for(150ms);
    CHECK(b.state.breaker_state() == BreakerState::closed);
    CHECK(b.attempt(200));  // b serves on its own state meanwhile

    // Back: the next trip, b's this time, is shared again.
    server.start();
    REQUIRE(wait_until([&] { return a.client->available() && b.client->available(); }, 5s));
    REQUIRE(b.attempt(500));
    REQUIRE(b.attempt(500));
    REQUIRE(b.state.breaker_state() == BreakerState::open);
    // a, open already from its own trip, takes the later end of b's open.
    REQUIRE(wait_until([&] { return a.state.open_until() >= b.state.open_until() - 50ms; }, 2s));
    // b's probe, when due, closes both.
    REQUIRE(wait_until([&] { return b.state.breaker_admits(b.now()); }, 2s));
    REQUIRE(b.attempt(200));
    REQUIRE(wait_until([&] { return a.state.breaker_state() == BreakerState::closed; }, 2s));
}
