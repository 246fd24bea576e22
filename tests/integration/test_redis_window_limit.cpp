// test_redis_window_limit.cpp — switch_window_take_v1 (switch-server's per-client limits)
// against a throwaway redis-server: a bucket's capacity and refill window, the headers' numbers,
// all or nothing over buckets of different windows, refilling, and `unavailable` (the local
// limiter's turn) when the server is gone.
#include "redis_server.hpp"
#include "redis_support.hpp"

#include "redis/window_limit.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <thread>

using sw::redis::Client;
using sw::redis::WindowDecision;
using sw::redis::WindowLimit;
using sw::test::loopback_options;
using sw::test::RedisServer;
using sw::test::wait_until;
using std::chrono::seconds;
using Verdict = WindowDecision::Verdict;

namespace {

WindowDecision take_sync(Client& client, const std::vector<WindowLimit>& limits) {
    return sw::test::answer_of<WindowDecision>(
        [&](auto done) { sw::redis::take_window_limits(client, limits, std::move(done)); }, "a take");
}

struct Fixture {
    RedisServer server;
    sw::transport::HttpEngine loop;
    Client client;
    explicit Fixture(const std::string& bin) : server(bin), client({&loop}, loopback_options(server.url()), 1) {
        REQUIRE(wait_until([&] { return client.available(); }));
    }
};

}  // namespace

TEST_CASE("window limit: a bucket of 3 refilling in a minute admits 3, then waits a third of a minute", "[redis][window]") {
    SWITCH_REDIS_OR_SKIP(bin);
    Fixture f(*bin);
    const std::vector<WindowLimit> limits{{"switch:v1:test:{a}:m", 3, seconds(60)}};
    for (int i = 0; i < 3; ++i) {
        const WindowDecision d = take_sync(f.client, limits);
        REQUIRE(d.verdict == Verdict::admitted);
        CHECK(d.limit == 3);
        CHECK(d.remaining == 2 - i);
        // Full again after (i + 1) requests' worth of 20 s each.
        CHECK(d.reset.count() > (i + 1) * 20'000'000 - 1'000'000);
        CHECK(d.reset.count() <= (i + 1) * 20'000'000);
    }
    const WindowDecision refused = take_sync(f.client, limits);
    REQUIRE(refused.verdict == Verdict::refused);
    CHECK(refused.remaining == 0);
    CHECK(refused.limit == 3);
    CHECK(refused.wait.count() > 19'000'000);
    CHECK(refused.wait.count() <= 20'000'000);
}

TEST_CASE("window limit: buckets of different windows are taken all or nothing", "[redis][window]") {
    SWITCH_REDIS_OR_SKIP(bin);
    Fixture f(*bin);
    const WindowLimit minute{"switch:v1:test:{b}:m", 5, seconds(60)};
    const WindowLimit hour{"switch:v1:test:{b}:h", 2, seconds(3600)};
    REQUIRE(take_sync(f.client, {minute, hour}).verdict == Verdict::admitted);
    const WindowDecision second = take_sync(f.client, {minute, hour});
    REQUIRE(second.verdict == Verdict::admitted);
    // The hour's bucket is the tighter: its numbers are the ones reported.
    CHECK(second.limit == 2);
    CHECK(second.remaining == 0);
    const WindowDecision third = take_sync(f.client, {minute, hour});
    REQUIRE(third.verdict == Verdict::refused);
    // The hour refills one request in 30 minutes.
    CHECK(third.wait.count() > 1'790'000'000);
    CHECK(third.wait.count() <= 1'800'000'000);
    // The refusal took nothing from the minute's bucket: 2 of 5 used, so 2 left after one more.
    const WindowDecision alone = take_sync(f.client, {minute});
    REQUIRE(alone.verdict == Verdict::admitted);
    CHECK(alone.limit == 5);
    CHECK(alone.remaining == 2);
}

TEST_CASE("window limit: a bucket refills over its window, and its key expires when full", "[redis][window]") {
    SWITCH_REDIS_OR_SKIP(bin);
    Fixture f(*bin);
    const std::vector<WindowLimit> limits{{"switch:v1:test:{c}:m", 2, std::chrono::milliseconds(300)}};
    REQUIRE(take_sync(f.client, limits).verdict == Verdict::admitted);
    REQUIRE(take_sync(f.client, limits).verdict == Verdict::admitted);
    REQUIRE(take_sync(f.client, limits).verdict == Verdict::refused);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // one request's 150 ms, and some
    REQUIRE(take_sync(f.client, limits).verdict == Verdict::admitted);
    REQUIRE(wait_until([&] {
        return sw::test::call_sync(f.client, {"EXISTS", "switch:v1:test:{c}:m"}).reply.integer == 0;
    }));
}

TEST_CASE("window limit: with the server gone the verdict is unavailable, at once", "[redis][window]") {
    SWITCH_REDIS_OR_SKIP(bin);
    Fixture f(*bin);
    f.server.kill();
    REQUIRE(wait_until([&] { return !f.client.available(); }));
    const auto started = std::chrono::steady_clock::now();
    CHECK(take_sync(f.client, {{"switch:v1:test:{d}:m", 1, seconds(60)}}).verdict == Verdict::unavailable);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
}
