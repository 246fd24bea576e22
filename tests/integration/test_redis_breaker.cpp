// test_redis_breaker.cpp — shared breakers against a throwaway redis-server: an open published
// by one process is seen by another with its remaining time, the pessimistic side wins, a close
// is accepted only from the probe's winner (or a manual reset), and after the open ends exactly
// one probe is claimed across four processes.
#include "hammer_process.hpp"
#include "redis_server.hpp"
#include "redis_support.hpp"

#include "redis/breaker_scripts.hpp"
#include "redis/breaker_watch.hpp"
#include "redis/shared_breaker.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

using sw::redis::Client;
using sw::redis::ProbeClaim;
using sw::redis::SharedBreaker;
using sw::redis::SharedBreakerState;
using sw::test::loopback_options;
using sw::test::RedisServer;
using sw::test::wait_until;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

template <class T, class Call>
T wait_for(Call call) {
    return sw::test::answer_of<T>(call, "a breaker call");
}

SharedBreakerState open(SharedBreaker& b, std::chrono::microseconds for_, int trips) {
    return wait_for<SharedBreakerState>([&](auto done) { b.publish_open(for_, trips, done); });
}
SharedBreakerState close(SharedBreaker& b, bool manual) {
    return wait_for<SharedBreakerState>([&](auto done) { b.publish_close(manual, done); });
}
SharedBreakerState read(SharedBreaker& b) {
    return wait_for<SharedBreakerState>([&](auto done) { b.read(done); });
}
ProbeClaim claim(SharedBreaker& b, std::chrono::milliseconds timeout) {
    return wait_for<ProbeClaim>([&](auto done) { b.claim_probe(timeout, done); });
}

// Two processes' views of one server: each its own loop and pool.
struct TwoProcesses {
    RedisServer server;
    sw::transport::HttpEngine loop_a, loop_b;
    Client a, b;
    explicit TwoProcesses(const std::string& bin)
        : server(bin), a({&loop_a}, loopback_options(server.url()), 1), b({&loop_b}, loopback_options(server.url()), 1) {
        REQUIRE(wait_until([&] { return a.available() && b.available(); }));
    }
};

}  // namespace

TEST_CASE("shared breaker: an open in one process is seen by another with its time left", "[redis][breaker]") {
    SWITCH_REDIS_OR_SKIP(bin);
    TwoProcesses p(*bin);
    SharedBreaker a(p.a, "a", "pool", "prov"), b(p.b, "b", "pool", "prov");
    const SharedBreakerState fresh = read(b);
    REQUIRE(fresh.available);
    CHECK_FALSE(fresh.open);
    CHECK(fresh.epoch == 0);

    const SharedBreakerState opened = open(a, 60s, 0);
    CHECK(opened.open);
    CHECK(opened.epoch > 0);
    const SharedBreakerState seen = read(b);
    CHECK(seen.open);
    CHECK(seen.open_left > 59s);
    CHECK(seen.open_left <= 60s);
    CHECK(seen.epoch == opened.epoch);
    // While open, nobody may probe.
    CHECK(claim(b, 1000ms) == ProbeClaim::not_yet);
    // A shorter open does not shorten it; a permanent trip's count is the larger one.
    const SharedBreakerState again = open(b, 1s, 3);
    CHECK(again.open_left > 59s);
    CHECK(again.trips == 3);
    CHECK(again.epoch > opened.epoch);
    CHECK(open(a, 1s, 1).trips == 3);
}

TEST_CASE("shared breaker: only the probe's winner, or a manual reset, closes it", "[redis][breaker]") {
    SWITCH_REDIS_OR_SKIP(bin);
    TwoProcesses p(*bin);
    SharedBreaker a(p.a, "a", "pool", "prov"), b(p.b, "b", "pool", "prov");
    open(a, 50ms, 2);
    REQUIRE(wait_until([&] { return read(a).open_left == 0us; }, 2s));
    // Half-open: one claim wins.
    CHECK(claim(a, 5000ms) == ProbeClaim::claimed);
    CHECK(claim(b, 5000ms) == ProbeClaim::not_yet);
    CHECK(claim(a, 5000ms) == ProbeClaim::claimed);  // the holder asking again (the store, then the driver)
    // b's probe did not run, so its close is refused: the answer is the server's open state.
    const SharedBreakerState refused = close(b, false);
    CHECK(refused.open);
    CHECK(refused.trips == 2);
    // a's probe succeeded: it closes, the trips go back to 0, and the claim is gone.
    const SharedBreakerState closed = close(a, false);
    CHECK_FALSE(closed.open);
    CHECK(closed.trips == 0);
    CHECK(claim(b, 5000ms) == ProbeClaim::closed);
    CHECK(sw::test::call_sync(p.a, {"EXISTS", sw::redis::probe_key("pool", "prov")}).reply.integer == 0);
    // A failed probe reopens and frees the claim; a manual reset closes from anywhere.
    open(a, 60s, 0);
    CHECK(close(b, true).open == false);
    // A claim whose probe never reports expires with its timeout.
    open(a, 10ms, 0);
    REQUIRE(wait_until([&] { return read(a).open_left == 0us; }, 2s));
    CHECK(claim(a, 50ms) == ProbeClaim::claimed);
    CHECK(claim(b, 50ms) == ProbeClaim::not_yet);
    REQUIRE(wait_until([&] { return claim(b, 5000ms) == ProbeClaim::claimed; }, 2s));
}

TEST_CASE("shared breaker: after the open ends exactly one probe is claimed across four processes", "[redis][breaker]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    sw::transport::HttpEngine loop;
    Client client({&loop}, loopback_options(server.url()), 1);
    REQUIRE(wait_until([&] { return client.available(); }));
    SharedBreaker opener(client, "opener", "pool", "contended");
    // The open ends while the four are trying: each claims every millisecond for a second.
    REQUIRE(open(opener, 300ms, 0).open);
    std::vector<std::unique_ptr<sw::test::HammerProcess>> probers;
    for (int i = 0; i < 4; ++i)
        probers.push_back(std::make_unique<sw::test::HammerProcess>(
            std::vector<std::string>{"probe", server.url(), "pool", "contended", "1000"}));
    int claimed = 0, unavailable = 0;
    for (auto& h : probers) {
        bool exited_ok = false;
        const std::string line = h->finish(exited_ok);
        INFO("prober said: " << line);
        REQUIRE(exited_ok);
        std::istringstream in(line);
        int c = 0, u = 0;
        in >> c >> u;
        claimed += c;
        unavailable += u;
    }
    CHECK(unavailable == 0);
    CHECK(claimed == 1);
}

TEST_CASE("shared breaker: another process's watch hears an open within its interval and one call", "[redis][breaker]") {
    SWITCH_REDIS_OR_SKIP(bin);
    TwoProcesses p(*bin);
    SharedBreaker a(p.a, "a", "pool", "prov");
    struct Heard {
        std::string provider;
        SharedBreakerState state;
        Clock::time_point at;
    };
    std::mutex mu;
    std::vector<Heard> heard;
    auto count = [&] {
        std::lock_guard lock(mu);
        return heard.size();
    };
    // Process b watches two providers every 50 ms.
    auto watch = sw::redis::BreakerWatch::create(
        p.b, p.loop_b, 50ms, "b", [&](const std::string&, const std::string& provider, const SharedBreakerState& s) {
            std::lock_guard lock(mu);
            heard.push_back({provider, s, Clock::now()});
        });
    watch->watch("pool", "prov");
    watch->watch("pool", "other");
    watch->start();
    std::this_thread::sleep_for(150ms);
    CHECK(count() == 0);  // breakers that never opened: nothing to tell

    const auto published = Clock::now();
    REQUIRE(open(a, 60s, 2).open);
    REQUIRE(wait_until([&] { return count() == 1; }, 2s));
    {
        std::lock_guard lock(mu);
        CHECK(heard[0].provider == "prov");
        CHECK(heard[0].state.open);
        CHECK(heard[0].state.open_left > 59s);
        CHECK(heard[0].state.trips == 2);
        // The documented bound: the interval plus one call's timeout (100 ms).
        CHECK(heard[0].at - published < 150ms + 100ms);
    }
    // Nothing new: no second report of the same epoch.
    std::this_thread::sleep_for(150ms);
    CHECK(count() == 1);
    CHECK_FALSE(close(a, true).open);
    REQUIRE(wait_until([&] { return count() == 2; }, 2s));
    {
        std::lock_guard lock(mu);
        CHECK_FALSE(heard[1].state.open);
        CHECK(heard[1].state.epoch > heard[0].state.epoch);
    }
    watch->stop();
}

TEST_CASE("shared breaker: keys share the provider's hash tag and the scripts are versioned", "[redis][breaker]") {
    CHECK(sw::redis::breaker_key("pool", "openai") == "switch:v1:breaker:{pool/openai}");
    CHECK(sw::redis::probe_key("pool", "openai") == "switch:v1:probe:{pool/openai}");
    CHECK(sw::redis::breaker_publish_script().name == "switch_breaker_publish_v1");
    CHECK(sw::redis::breaker_publish_script().body.rfind("-- switch_breaker_publish_v1", 0) == 0);
    CHECK(sw::redis::breaker_claim_probe_script().sha1 != sw::redis::breaker_read_script().sha1);
}
