// redis_url.hpp — REDIS_URL / `redis.url`: the Redis (or Valkey) server that processes share
// their state through (docs/scaling.md). Parsed here, below both the config loader (which reports
// a bad one with its path) and the Redis client (which connects to it), so that both read it one
// way, as database_url.hpp does for the ledger.
#pragma once

#include <switch/secret.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace sw {

struct RedisUrl {
    std::string host;  // a name or an IPv4 address; an IPv6 address without its brackets
    int port = 6379;
    int db = 0;        // SELECTed after connecting when not 0
    std::string user;  // Redis 6 ACL user; empty: the default user
    Secret password;   // from the URL; REDIS_PASSWORD, when set, replaces it
};

// The server a URL names, or nullopt with the reason in `error`. The forms are
// redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] (the user and password percent-decoded).
// rediss:// (TLS) and unix sockets are refused with what to do instead. The reason never echoes
// the URL: it may hold a password.
std::optional<RedisUrl> parse_redis_url(std::string_view url, std::string& error);

// "redis://HOST:PORT/DB", for messages and logs: never the user's password.
std::string describe_redis_url(const RedisUrl& url);

}  // namespace sw
