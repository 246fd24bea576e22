// test_redis_url.cpp — REDIS_URL's forms, and the reasons for the ones refused (which never
// echo the URL: it may hold a password).
#include "common/redis_url.hpp"

#include <catch2/catch.hpp>

namespace {

std::string reason(const std::string& url) {
    std::string error;
    auto parsed = sw::parse_redis_url(url, error);
    return parsed ? "accepted" : error;
}

}  // namespace

TEST_CASE("redis url: host, port, database, user and password", "[redis][config]") {
    std::string error;
    auto u = sw::parse_redis_url("redis://localhost:6379/0", error);
    REQUIRE(u);
    CHECK(u->host == "localhost");
    CHECK(u->port == 6379);
    CHECK(u->db == 0);
    CHECK(u->password.empty());

    u = sw::parse_redis_url("redis://cache.internal", error);
    REQUIRE(u);
    CHECK(u->port == 6379);
    CHECK(sw::describe_redis_url(*u) == "redis://cache.internal:6379/0");

    u = sw::parse_redis_url("redis://app:p%40ss%3Aw0rd@10.0.0.5:6380/3", error);
    REQUIRE(u);
    CHECK(u->user == "app");
    CHECK(u->password.reveal() == "p@ss:w0rd");
    CHECK(u->port == 6380);
    CHECK(u->db == 3);
    // The description, for logs, has no user and no password.
    CHECK(sw::describe_redis_url(*u) == "redis://10.0.0.5:6380/3");

    u = sw::parse_redis_url("redis://:secret@h", error);  // a password for the default user
    REQUIRE(u);
    CHECK(u->user.empty());
    CHECK(u->password.reveal() == "secret");

    u = sw::parse_redis_url("redis://[::1]:7000/1", error);
    REQUIRE(u);
    CHECK(u->host == "::1");
    CHECK(u->port == 7000);
    CHECK(sw::describe_redis_url(*u) == "redis://[::1]:7000/1");
}

TEST_CASE("redis url: refused forms say why and what to write instead", "[redis][config]") {
    CHECK(reason("rediss://h:6380") ==
          "TLS (rediss://) is not supported yet; use redis:// through a local TLS proxy such as stunnel");
    CHECK(reason("unix:///run/redis.sock") == "a unix socket URL is not supported; use redis://127.0.0.1:PORT");
    CHECK(reason("localhost:6379") == "not a Redis URL; expected redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]");
    CHECK(reason("redis://h:99999") == "the Redis URL's port is not a number from 1 to 65535");
    CHECK(reason("redis://h:") == "the Redis URL has a ':' but no port");
    CHECK(reason("redis://h/zero") == "the Redis URL's path must be a database number (redis://HOST:PORT/0)");
    CHECK(reason("redis://:pw@/0") == "the Redis URL has no host; expected redis://HOST[:PORT][/DB]");
    CHECK(reason("redis://h?timeout=1") ==
          "the Redis URL has a query or fragment; only redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] is read");
    CHECK(reason("redis://h o") == "contains a space or a control character");
    // A password never comes back in a reason.
    CHECK(reason("redis://u:hunter2@h:notaport").find("hunter2") == std::string::npos);
}
