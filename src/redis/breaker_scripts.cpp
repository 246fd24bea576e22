// breaker_scripts.cpp — the Lua text of the shared breakers.
#include "redis/breaker_scripts.hpp"

#include "common/percent_encoding.hpp"

namespace sw::redis {

namespace {

// The state as every breaker script answers it. Absent fields are a closed breaker that never
// opened; an open whose time is over reads as open with 0 left (half-open: a probe is due).
constexpr std::string_view kState = R"lua(
local function state(key, now)
  local f = redis.call('HMGET', key, 'state', 'until', 'trips', 'epoch')
  local open = 0
  local left = 0
  if f[1] == 'open' then
    open = 1
    left = math.max(0, tonumber(f[2] or '0') - now)
  end
  return {open, math.ceil(left), tonumber(f[3] or '0'), tonumber(f[4] or '0')}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
)lua";

const std::string& publish_body() {
    static const std::string body = std::string("-- switch_breaker_publish_v1") + std::string(kState) + R"lua(
-- The epoch is the server's time in µs (or one more than the last, if that is later): it never
-- goes back, not even when a restarted server lost the hash, so that no process takes a new
-- state for a stale one.
local function bump(key)
  local e = tonumber(redis.call('HGET', key, 'epoch') or '0')
  redis.call('HSET', key, 'epoch', string.format('%.0f', math.max(e + 1, now)))
end
local what = ARGV[1]
if what == 'open' then
  local f = redis.call('HMGET', KEYS[1], 'until', 'trips')
  local until_us = math.max(tonumber(f[1] or '0'), now + tonumber(ARGV[2]))
  local trips = math.max(tonumber(f[2] or '0'), tonumber(ARGV[3]))
  redis.call('HSET', KEYS[1], 'state', 'open', 'until', string.format('%.0f', until_us), 'trips', trips)
  bump(KEYS[1])
  redis.call('DEL', KEYS[2])
elseif what == 'close' then
  local holder = redis.call('GET', KEYS[2])
  local open = redis.call('HGET', KEYS[1], 'state') == 'open'
  if (not open) or holder == ARGV[4] or ARGV[5] == 'manual' then
    if open then bump(KEYS[1]) end
    redis.call('HSET', KEYS[1], 'trips', 0)
    redis.call('HDEL', KEYS[1], 'state', 'until')
    redis.call('DEL', KEYS[2])
  end
end
return state(KEYS[1], now)
)lua";
    return body;
}

const std::string& read_body() {
    static const std::string body = std::string("-- switch_breaker_read_v1") + std::string(kState) + R"lua(
return state(KEYS[1], now)
)lua";
    return body;
}

const std::string& claim_body() {
    static const std::string body = std::string("-- switch_breaker_claim_probe_v2") + std::string(kState) + R"lua(
local s = state(KEYS[1], now)
if s[1] == 0 then return 2 end
if s[2] > 0 then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', tonumber(ARGV[2])) then return 1 end
-- v2: the holder asking again is answered claimed (the store claims when the local breaker
-- half-opens, and the request driver before it sends the probe).
if redis.call('GET', KEYS[2]) == ARGV[1] then return 1 end
return 0
)lua";
    return body;
}

std::string tagged(std::string_view prefix, std::string_view pool, std::string_view provider) {
    std::string key(prefix);
    key += '{';
    key += percent_encoded(pool);
    key += '/';
    key += percent_encoded(provider);
    key += '}';
    return key;
}

}  // namespace

const Script& breaker_publish_script() {
    static const Script script{"switch_breaker_publish_v1", publish_body(), script_sha1(publish_body())};
    return script;
}

const Script& breaker_read_script() {
    static const Script script{"switch_breaker_read_v1", read_body(), script_sha1(read_body())};
    return script;
}

const Script& breaker_claim_probe_script() {
    static const Script script{"switch_breaker_claim_probe_v2", claim_body(), script_sha1(claim_body())};
    return script;
}

// The same hash tag as the provider's limits: a provider's keys share one Cluster slot.
std::string breaker_key(std::string_view pool, std::string_view provider) {
    return tagged("switch:v1:breaker:", pool, provider);
}

std::string probe_key(std::string_view pool, std::string_view provider) {
    return tagged("switch:v1:probe:", pool, provider);
}

}  // namespace sw::redis
