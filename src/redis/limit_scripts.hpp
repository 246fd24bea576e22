// limit_scripts.hpp — the server side of the shared per-minute limits: two Lua scripts, run
// atomically by Redis (or Valkey), called by their SHA1 with EVALSHA (EVAL when the server does
// not have them yet: after a restart, a failover or SCRIPT FLUSH).
//
// Versioned: the version is in the scripts' text (so in their SHA1) and in every key they touch
// (`switch:v1:limit:...`). A release that changes what a key holds bumps both, and processes of
// two releases then keep separate limits rather than misread each other's.
#pragma once

#include <string>
#include <string_view>

namespace sw::redis {

struct Script {
    std::string_view name;  // versioned, for messages: "switch_limit_take_v1"
    std::string_view body;  // the Lua text
    std::string sha1;       // lowercase hex, as EVALSHA takes it
};

// A script's SHA1 in lowercase hex, as EVALSHA takes it.
std::string script_sha1(std::string_view body);

// GCRA over several keys at once, all or nothing, on the server's clock (TIME), in
// microseconds. KEYS: one per limit. ARGV[1]: the period (60 000 000 µs); then per key its limit
// and its cost. Answers {1, 0} when every key had room (each one's TAT moved on), else {0, W}:
// nothing was taken, and W µs from now is the earliest all could fit.
const Script& limit_take_script();
// Corrects earlier takes: ARGV[1] the period, then per key its limit and a delta (negative
// gives back). Mirrors health::RateLimiter::adjust: a refund never leaves more room than a full
// bucket. Answers 1.
const Script& limit_adjust_script();

// The key of one limit of one provider in one pool. The pool and provider are percent-encoded
// and wrapped in a Redis Cluster hash tag, so that every limit of a provider lands in one slot
// (a multi-key script must). `which`: "rpm" or "tpm".
std::string limit_key(std::string_view pool, std::string_view provider, std::string_view which);

// The prefix every limiter key starts with; the response cache uses another, and neither's TTL
// rules can evict the other's keys (docs/scaling.md).
inline constexpr std::string_view kLimitKeyPrefix = "switch:v1:limit:";

}  // namespace sw::redis
