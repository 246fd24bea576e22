// test_shared_rate_limit.cpp — the keys and buckets switch-server sends to Redis for a client's
// limits, and the shared limiter's absence without redis.url (the Redis side is tested against a
// real server in tests/integration/test_redis_window_limit.cpp and tests/server/).
#include "shared_rate_limit.hpp"

#include <catch2/catch.hpp>

using server::client_windows;
using server::RateLimits;
using server::SharedRateLimit;
using namespace std::chrono_literals;

namespace {

RateLimits limits(std::int64_t per_minute, std::int64_t burst, std::int64_t per_hour, std::int64_t per_day) {
    RateLimits l;
    l.enabled = true;
    l.per_minute = per_minute;
    l.burst = burst;
    l.per_hour = per_hour;
    l.per_day = per_day;
    return l;
}

}  // namespace

TEST_CASE("client windows: a bucket per limit, keyed by a digest of the client and the limit's numbers") {
    const auto w = client_windows("id:team-a", limits(5, 10, 100, 1000));
    REQUIRE(w.size() == 3);
    const std::string prefix = "switch:v1:client:{";
    for (const auto& l : w) {
        CHECK(l.key.rfind(prefix, 0) == 0);
        CHECK(l.key.find("team-a") == std::string::npos);
    }
    // The same hash tag on every key: one Redis Cluster slot per client.
    const std::string tag = w[0].key.substr(0, w[0].key.find('}') + 1);
    CHECK(tag.size() == prefix.size() + 64 + 1);
    for (const auto& l : w) CHECK(l.key.rfind(tag, 0) == 0);
    // A bucket of the burst, refilled at 5 a minute: empty to full in 2 minutes.
    CHECK(w[0].key == tag + ":minute:5:10");
    CHECK(w[0].capacity == 10);
    CHECK(w[0].window == 120s);
    CHECK(w[1].key == tag + ":hour:100");
    CHECK(w[1].capacity == 100);
    CHECK(w[1].window == 3600s);
    CHECK(w[2].key == tag + ":day:1000");
    CHECK(w[2].window == 86400s);
}

TEST_CASE("client windows: the burst defaults to the minute's limit, and a limit of 0 has no bucket") {
    const auto w = client_windows("addr:10.0.0.1", limits(6, 0, 0, 0));
    REQUIRE(w.size() == 1);
    CHECK(w[0].capacity == 6);
    CHECK(w[0].window == 60s);
    CHECK(w[0].key.ends_with(":minute:6:6"));
    CHECK(client_windows("addr:10.0.0.1", limits(0, 0, 0, 0)).empty());
    // Different clients, different keys; a changed limit, a different key.
    CHECK(client_windows("addr:10.0.0.2", limits(6, 0, 0, 0))[0].key != w[0].key);
    CHECK(client_windows("addr:10.0.0.1", limits(7, 0, 0, 0))[0].key != w[0].key);
}

TEST_CASE("shared rate limit: none without redis.url, and a malformed URL is refused without being shown") {
    sw::Config config;
    std::string error;
    CHECK(SharedRateLimit::from_config(config, error) == nullptr);
    CHECK(error.empty());
    config.redis.url = sw::Secret("http://user:hunter2-canary@example.com/");
    CHECK(SharedRateLimit::from_config(config, error) == nullptr);
    CHECK_FALSE(error.empty());
    CHECK(error.find("hunter2-canary") == std::string::npos);
}
