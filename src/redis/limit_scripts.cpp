// limit_scripts.cpp — the Lua text of the shared limits, and their SHA1s.
#include "redis/limit_scripts.hpp"

#include "common/digest.hpp"
#include "common/percent_encoding.hpp"


namespace sw::redis {

namespace {

// Every number is a Lua double: microseconds since 1970 (~1.8e15) are exact below 2^53. A
// missing key is a full bucket (TAT 0); each key expires when its bucket is full again, so idle
// providers leave nothing behind.
constexpr std::string_view kTake = R"lua(-- switch_limit_take_v1
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local period = tonumber(ARGV[1])
local tats = {}
local wait = -1
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local cost = tonumber(ARGV[2 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  local start = math.max(tat, now)
  local next_tat = start + cost * period / limit
  local w = -1
  if cost > limit then
    if tat > now then w = tat - now end
  elseif next_tat - now > period then
    w = next_tat - period - now
  end
  if w > wait then wait = w end
  tats[i] = next_tat
end
if wait >= 0 then return {0, math.ceil(wait)} end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX', math.ceil((tats[i] - now) / 1000) + 1)
end
return {1, 0}
)lua";

constexpr std::string_view kAdjust = R"lua(-- switch_limit_adjust_v1
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local period = tonumber(ARGV[1])
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local delta = tonumber(ARGV[2 * i + 1])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  local d = delta * period / limit
  local next_tat
  if delta > 0 then next_tat = math.max(tat, now) + d else next_tat = math.max(tat + d, now) end
  if next_tat <= now then
    redis.call('DEL', KEYS[i])
  else
    redis.call('SET', KEYS[i], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1)
  end
end
return 1
)lua";

}  // namespace

std::string script_sha1(std::string_view body) { return sha1_hex(body); }

const Script& limit_take_script() {
    static const Script script{"switch_limit_take_v1", kTake, script_sha1(kTake)};
    return script;
}

const Script& limit_adjust_script() {
    static const Script script{"switch_limit_adjust_v1", kAdjust, script_sha1(kAdjust)};
    return script;
}

std::string limit_key(std::string_view pool, std::string_view provider, std::string_view which) {
    std::string key(kLimitKeyPrefix);
    key += '{';
    key += percent_encoded(pool);
    key += '/';
    key += percent_encoded(provider);
    key += "}:";
    key += which;
    return key;
}

}  // namespace sw::redis
