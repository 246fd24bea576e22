// budget_scripts.cpp — the Lua text of the shared budgets, and their keys.
#include "redis/budget_scripts.hpp"

#include "common/percent_encoding.hpp"

namespace sw::redis {

namespace {

// The window arithmetic is routing::window_bounds's, on the server's clock: a month is found
// with Howard Hinnant's civil-from-days algorithms (Redis's Lua has no os.date). Every number is
// a Lua double, exact for micro-USD below 2^53 (a 1e9 USD limit is 1e15).
constexpr std::string_view kWindowLua = R"lua(local t = redis.call('TIME')
local now = tonumber(t[1])
local function days_from_civil(y, m)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5)
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end
local function month_of(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m
end
local lengths = {minute = 60, hour = 3600, day = 86400}
local function bounds(kind)
  if kind == 'month' then
    local y, m = month_of(math.floor(now / 86400))
    local ny, nm = y, m + 1
    if nm > 12 then ny, nm = y + 1, 1 end
    return days_from_civil(y, m) * 86400, days_from_civil(ny, nm) * 86400
  end
  local len = lengths[kind]
  local start = now - now % len
  return start, start + len
end
)lua";

constexpr std::string_view kTakeBody = R"lua(local starts, ends, spent = {}, {}, {}
for i = 1, #KEYS do
  local kind = ARGV[3 * i - 2]
  local limit = tonumber(ARGV[3 * i - 1])
  local cost = tonumber(ARGV[3 * i])
  starts[i], ends[i] = bounds(kind)
  local held = redis.call('HMGET', KEYS[i], 'w', 's')
  spent[i] = 0
  if tonumber(held[1]) == starts[i] then spent[i] = tonumber(held[2]) or 0 end
  if spent[i] + cost > limit then return {0, i, spent[i], ends[i] - now} end
end
local out = {1}
for i = 1, #KEYS do
  redis.call('HSET', KEYS[i], 'w', string.format('%.0f', starts[i]), 's', string.format('%.0f', spent[i] + tonumber(ARGV[3 * i])))
  redis.call('EXPIREAT', KEYS[i], ends[i] + 60)
  out[i + 1] = starts[i]
end
return out
)lua";

constexpr std::string_view kAdjust = R"lua(-- switch_budget_adjust_v1
for i = 1, #KEYS do
  local start = tonumber(ARGV[2 * i - 1])
  local delta = tonumber(ARGV[2 * i])
  local held = redis.call('HMGET', KEYS[i], 'w', 's')
  if tonumber(held[1]) == start then
    local spent = math.max(0, (tonumber(held[2]) or 0) + delta)
    redis.call('HSET', KEYS[i], 's', string.format('%.0f', spent))
  end
end
return 1
)lua";

}  // namespace

const Script& budget_take_script() {
    static const std::string text = std::string("-- switch_budget_take_v1\n").append(kWindowLua).append(kTakeBody);
    static const Script script{"switch_budget_take_v1", text, script_sha1(text)};
    return script;
}

const Script& budget_adjust_script() {
    static const Script script{"switch_budget_adjust_v1", kAdjust, script_sha1(kAdjust)};
    return script;
}

std::string budget_key(std::string_view budget, std::string_view value) {
    std::string key(kBudgetKeyPrefix);
    key += "{budget}:";
    key += percent_encoded(budget);
    key += ':';
    key += percent_encoded(value);
    return key;
}

}  // namespace sw::redis
