// test_redis_limiter.cpp — the shared per-minute limits against a throwaway redis-server: four
// processes hammering one 100-RPM limit together, all or nothing over requests and tokens, the
// token estimate corrected from usage, the scripts reloaded after SCRIPT FLUSH, and
// `unavailable` (the local limiter's turn) when the server is gone.
#include "hammer_process.hpp"
#include "redis_server.hpp"
#include "redis_support.hpp"

#include "redis/limit_scripts.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <sstream>

using sw::redis::CallStatus;
using sw::redis::Client;
using sw::redis::LimitDecision;
using sw::redis::LimitUnits;
using sw::redis::SharedLimiter;
using sw::test::call_sync;
using sw::test::loopback_options;
using sw::test::RedisServer;
using sw::test::take_sync;
using sw::test::wait_until;

namespace {

struct Fixture {
    RedisServer server;
    sw::transport::HttpEngine loop;
    Client client;
    SharedLimiter limiter{client};
    explicit Fixture(const std::string& bin) : server(bin), client({&loop}, loopback_options(server.url()), 1) {
        REQUIRE(wait_until([&] { return client.available(); }));
    }
};

}  // namespace

TEST_CASE("shared limiter: four processes on one 100-RPM limit admit at most 100 in the window and answer all", "[redis][limiter]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    const std::string key = sw::redis::limit_key("pool", "provider", "rpm");
    constexpr int kProcesses = 4, kEach = 100, kLimit = 100;
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::unique_ptr<sw::test::HammerProcess>> hammers;
    for (int i = 0; i < kProcesses; ++i)
        hammers.push_back(std::make_unique<sw::test::HammerProcess>(
            std::vector<std::string>{server.url(), key, std::to_string(kLimit), std::to_string(kEach)}));
    int admitted = 0, refused = 0, unavailable = 0, answered = 0;
    for (auto& h : hammers) {
        bool exited_ok = false;
        const std::string line = h->finish(exited_ok);
        INFO("hammer said: " << line);
        REQUIRE(exited_ok);
        std::istringstream in(line);
        int a = 0, r = 0, u = 0, n = 0;
        in >> a >> r >> u >> n;
        admitted += a;
        refused += r;
        unavailable += u;
        answered += n;
    }
    const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // The bucket holds a minute's 100 and refills one every 0.6 s: over the run, at most 100
    // plus what refilled while it lasted (the processes' start-up included).
    const int refill = static_cast<int>(std::floor(elapsed_s * kLimit / 60.0)) + 1;
    INFO("admitted " << admitted << ", refused " << refused << ", unavailable " << unavailable << " in " << elapsed_s << " s");
    CHECK(answered == kProcesses * kEach);  // no request lost
    CHECK(admitted + refused + unavailable == kProcesses * kEach);
    CHECK(unavailable == 0);
    CHECK(admitted >= kLimit);  // the limit is used, not merely respected
    CHECK(admitted <= kLimit + refill);
}

TEST_CASE("shared limiter: requests and tokens are taken all or nothing, and the estimate is corrected", "[redis][limiter]") {
    SWITCH_REDIS_OR_SKIP(bin);
    Fixture f(*bin);
    const std::string rpm = sw::redis::limit_key("p", "a", "rpm"), tpm = sw::redis::limit_key("p", "a", "tpm");
    auto request = [&](std::int64_t tokens) {
        return std::vector<LimitUnits>{{rpm, 100, 1}, {tpm, 1000, tokens}};
    };
    CHECK(take_sync(f.limiter, request(900)).verdict == LimitDecision::Verdict::admitted);
    const std::string rpm_before = call_sync(f.client, {"GET", rpm}).reply.text;
    REQUIRE_FALSE(rpm_before.empty());
    // 200 more tokens do not fit: refused, with how long until they would, and the request
    // limit, which had room, is untouched.
    const LimitDecision refused = take_sync(f.limiter, request(200));
    CHECK(refused.verdict == LimitDecision::Verdict::refused);
    CHECK(refused.wait > std::chrono::seconds(5));   // 100 tokens' refill is 6 s
    CHECK(refused.wait <= std::chrono::seconds(7));
    CHECK(call_sync(f.client, {"GET", rpm}).reply.text == rpm_before);
    // The answer used 400 tokens, not the 900 estimated: 500 come back, and 200 now fit.
    CHECK(sw::test::adjust_sync(f.limiter, {{tpm, 1000, -500}}) == CallStatus::ok);
    CHECK(take_sync(f.limiter, request(200)).verdict == LimitDecision::Verdict::admitted);
    // A refund never leaves more than a full bucket: giving back far more than was taken
    // empties the key, and then one full minute's worth fits, and no more.
    CHECK(sw::test::adjust_sync(f.limiter, {{tpm, 1000, -100000}}) == CallStatus::ok);
    CHECK(call_sync(f.client, {"EXISTS", tpm}).reply.integer == 0);
    CHECK(take_sync(f.limiter, {{tpm, 1000, 1000}}).verdict == LimitDecision::Verdict::admitted);
    CHECK(take_sync(f.limiter, {{tpm, 1000, 1}}).verdict == LimitDecision::Verdict::refused);
    // Keys expire once their bucket is full again: an idle provider leaves nothing behind.
    const auto ttl = call_sync(f.client, {"PTTL", rpm});
    CHECK(ttl.reply.integer > 0);
    CHECK(ttl.reply.integer <= 60'001);
}

TEST_CASE("shared limiter: the scripts are loaded again after SCRIPT FLUSH", "[redis][limiter]") {
    SWITCH_REDIS_OR_SKIP(bin);
    Fixture f(*bin);
    const std::string key = sw::redis::limit_key("p", "b", "rpm");
    const std::string& sha = sw::redis::limit_take_script().sha1;
    CHECK(call_sync(f.client, {"SCRIPT", "EXISTS", sha}).reply.elements.at(0).integer == 0);
    CHECK(take_sync(f.limiter, {{key, 10, 1}}).verdict == LimitDecision::Verdict::admitted);
    CHECK(call_sync(f.client, {"SCRIPT", "EXISTS", sha}).reply.elements.at(0).integer == 1);
    REQUIRE(call_sync(f.client, {"SCRIPT", "FLUSH"}).ok());
    CHECK(take_sync(f.limiter, {{key, 10, 1}}).verdict == LimitDecision::Verdict::admitted);
    CHECK(call_sync(f.client, {"SCRIPT", "EXISTS", sha}).reply.elements.at(0).integer == 1);
}

TEST_CASE("shared limiter: with the server gone the verdict is unavailable, at once", "[redis][limiter]") {
    SWITCH_REDIS_OR_SKIP(bin);
    Fixture f(*bin);
    f.server.kill();
    REQUIRE(wait_until([&] { return !f.client.available(); }));
    const auto started = std::chrono::steady_clock::now();
    const LimitDecision d = take_sync(f.limiter, {{sw::redis::limit_key("p", "c", "rpm"), 10, 1}});
    CHECK(d.verdict == LimitDecision::Verdict::unavailable);
    CHECK(d.status == CallStatus::unavailable);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(50));
}

TEST_CASE("shared limiter: keys are versioned and hash-tagged per provider, names percent-encoded", "[redis][limiter]") {
    CHECK(sw::redis::limit_key("pool", "openai", "rpm") == "switch:v1:limit:{pool/openai}:rpm");
    // Braces in a name would move the hash tag: they are encoded, as is the separator.
    CHECK(sw::redis::limit_key("a}b", "c/d", "tpm") == "switch:v1:limit:{a%7Db/c%2Fd}:tpm");
    CHECK(sw::redis::limit_take_script().sha1.size() == 40);
    CHECK(sw::redis::limit_take_script().sha1 != sw::redis::limit_adjust_script().sha1);
    CHECK(sw::redis::limit_take_script().name == "switch_limit_take_v1");
}
