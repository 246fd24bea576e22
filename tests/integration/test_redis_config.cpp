// test_redis_config.cpp — where the Redis server comes from: REDIS_URL, REDIS_PASSWORD,
// REDIS_POOL_SIZE and REDIS_SSL, then the `redis` section over them; errors with their path, a
// reason and a suggestion, and never the URL or the password.
#include "../unit/config_test_support.hpp"

#include <catch2/catch.hpp>

using sw::test::diagnostic_at;
using sw::test::load;

namespace {
constexpr const char* kPools =
    R"("pools":[{"id":"p","providers":[{"name":"a","provider":"custom","modelName":"m","apiBase":"http://127.0.0.1:9/v1"}]}])";
std::string with_redis(const std::string& redis) {
    return std::string("{") + kPools + (redis.empty() ? "" : ",\"redis\":" + redis) + "}";
}
std::string all_messages(const sw::LoadResult& r) {
    std::string out;
    for (const sw::Diagnostic& d : r.diagnostics) out += d.path + " " + d.message + " " + d.suggestion + "\n";
    return out;
}
}  // namespace

TEST_CASE("redis config: off unless a URL is given, with the documented defaults", "[redis][config]") {
    auto r = load(with_redis(""));
    REQUIRE(r.ok());
    CHECK(r.config->redis.url.empty());
    CHECK(r.config->redis.password.empty());
    CHECK(r.config->redis.pool_size == 10);
    CHECK(r.config->redis.timeout == sw::Millis(100));
}

TEST_CASE("redis config: the guide's REDIS variables, and the section over them", "[redis][config]") {
    auto env = load(with_redis(""), {{"REDIS_URL", "redis://localhost:6379/0"},
                                     {"REDIS_PASSWORD", "pw-env"},
                                     {"REDIS_POOL_SIZE", "4"},
                                     {"REDIS_SSL", "false"}});
    INFO(all_messages(env));
    REQUIRE(env.ok());
    CHECK(env.config->redis.url.reveal() == "redis://localhost:6379/0");
    CHECK(env.config->redis.password.reveal() == "pw-env");
    CHECK(env.config->redis.pool_size == 4);

    auto keys = load(with_redis(R"({"url":"redis://cache:6380/2","password":"pw-key","pool_size":32,"timeout_ms":25})"),
                     {{"REDIS_URL", "redis://localhost:6379/0"}, {"REDIS_PASSWORD", "pw-env"}, {"REDIS_POOL_SIZE", "4"}});
    INFO(all_messages(keys));
    REQUIRE(keys.ok());
    CHECK(keys.config->redis.url.reveal() == "redis://cache:6380/2");
    CHECK(keys.config->redis.password.reveal() == "pw-key");
    CHECK(keys.config->redis.pool_size == 32);
    CHECK(keys.config->redis.timeout == sw::Millis(25));

    // An empty url turns sharing off, whatever the environment says.
    auto off = load(with_redis(R"({"url":""})"), {{"REDIS_URL", "redis://localhost:6379/0"}});
    REQUIRE(off.ok());
    CHECK(off.config->redis.url.empty());
}

TEST_CASE("redis config: the guide's \"${REDIS_URL}\" unset says how to keep state per process", "[redis][config]") {
    auto r = load(with_redis(R"({"url":"${REDIS_URL}"})"));
    CHECK_FALSE(r.ok());
    const sw::Diagnostic* d = diagnostic_at(r, "redis.url");
    REQUIRE(d);
    CHECK(d->message == "environment variable REDIS_URL is not set");
    CHECK(d->suggestion ==
          "set it to share state through Redis, or write \"${REDIS_URL:-}\" to keep each process's state to itself "
          "while it is unset");
    auto off = load(with_redis(R"({"url":"${REDIS_URL:-}"})"));
    REQUIRE(off.ok());
    CHECK(off.config->redis.url.empty());
}

TEST_CASE("redis config: bad values are errors at their path, and never echo a URL or password", "[redis][config]") {
    auto url = load(with_redis(R"({"url":"rediss://u:hunter2@h:6380"})"));
    CHECK_FALSE(url.ok());
    const sw::Diagnostic* d = diagnostic_at(url, "redis.url");
    REQUIRE(d);
    CHECK(d->message == "TLS (rediss://) is not supported yet; use redis:// through a local TLS proxy such as stunnel");
    CHECK(all_messages(url).find("hunter2") == std::string::npos);

    auto env = load(with_redis(""), {{"REDIS_URL", "http://u:hunter2@h"}, {"REDIS_POOL_SIZE", "0"}, {"REDIS_SSL", "true"}});
    CHECK_FALSE(env.ok());
    REQUIRE(diagnostic_at(env, "env:REDIS_URL"));
    CHECK(diagnostic_at(env, "env:REDIS_URL")->message ==
          "not a Redis URL; expected redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]");
    REQUIRE(diagnostic_at(env, "env:REDIS_POOL_SIZE"));
    CHECK(diagnostic_at(env, "env:REDIS_POOL_SIZE")->message == "expected a whole number from 1 to 1024, got \"0\"");
    REQUIRE(diagnostic_at(env, "env:REDIS_SSL"));
    CHECK(diagnostic_at(env, "env:REDIS_SSL")->suggestion ==
          "set REDIS_SSL=false and reach the server through a local TLS proxy such as stunnel");
    CHECK(all_messages(env).find("hunter2") == std::string::npos);

    auto keys = load(with_redis(R"({"url":"redis://h","pool_size":0,"timeout_ms":60000,"pool":3})"));
    CHECK_FALSE(keys.ok());
    CHECK(diagnostic_at(keys, "redis.pool_size"));
    CHECK(diagnostic_at(keys, "redis.timeout_ms"));
    const sw::Diagnostic* unknown = diagnostic_at(keys, "redis.pool");
    REQUIRE(unknown);
    CHECK(unknown->suggestion.find("pool_size") != std::string::npos);
    // The password is a secret: a key's value is never in a message either.
    auto secret = load(with_redis(R"({"url":"redis://h","password":17})"));
    CHECK_FALSE(secret.ok());
    CHECK(diagnostic_at(secret, "redis.password"));
}
