// window_limit.cpp — the Lua text of switch_window_take_v1, its arguments and its answer.
#include "redis/window_limit.hpp"

#include "redis/script_call.hpp"

namespace sw::redis {

namespace {

// Per key i: ARGV[2i-1] the capacity C, ARGV[2i] the window W in µs. The emission interval is
// W / C and the tolerance W, so a bucket holds C requests and refills in W. A missing key is a
// full bucket; each key expires when its bucket is full again. Answers {admitted (1/0), wait
// µs, limit, remaining, reset µs} for the bucket with the fewest whole requests left.
constexpr std::string_view kTake = R"lua(-- switch_window_take_v1
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tats = {}
local wait = -1
local best, best_left, best_reset = 1, math.huge, 0
for i = 1, #KEYS do
  local cap = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  local step = window / cap
  local tat = math.max(tonumber(redis.call('GET', KEYS[i]) or '0'), now)
  local next_tat = tat + step
  if next_tat - now > window then
    local w = next_tat - window - now
    if w > wait then wait = w end
  end
  tats[i] = next_tat
end
local admitted = wait < 0
for i = 1, #KEYS do
  local cap = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  local step = window / cap
  local tat = tats[i]
  if not admitted then tat = tat - step end
  local left = math.floor((window - (tat - now)) / step + 1e-9)
  if left < 0 then left = 0 end
  if left < best_left then best, best_left, best_reset = i, left, tat - now end
end
if not admitted then
  return {0, math.ceil(wait), tonumber(ARGV[2 * best - 1]), best_left, math.ceil(best_reset)}
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX', math.ceil((tats[i] - now) / 1000) + 1)
end
return {1, 0, tonumber(ARGV[2 * best - 1]), best_left, math.ceil(best_reset)}
)lua";

}  // namespace

const Script& window_take_script() {
    static const Script script{"switch_window_take_v1", kTake, script_sha1(kTake)};
    return script;
}

void take_window_limits(Client& client, const std::vector<WindowLimit>& limits,
                        std::function<void(WindowDecision)> done) {
    if (limits.empty()) {
        done(WindowDecision{WindowDecision::Verdict::admitted, {}, 0, 0, {}});
        return;
    }
    std::vector<std::string> keys, args;
    for (const WindowLimit& l : limits) {
        keys.push_back(l.key);
        args.push_back(std::to_string(l.capacity));
        args.push_back(std::to_string(l.window.count()));
    }
    run_script(client, window_take_script(), keys, args, [done = std::move(done)](Result r) {
        WindowDecision d;
        const Reply& reply = r.reply;
        bool well_formed = r.ok() && reply.type == Reply::Type::array && reply.elements.size() == 5;
        for (std::size_t i = 0; well_formed && i < 5; ++i)
            well_formed = reply.elements[i].type == Reply::Type::integer;
        // An error reply (out of memory, a read-only replica) counts as no answer: the caller's
        // local limiter decides.
        if (!well_formed) return done(d);
        d.verdict = reply.elements[0].integer == 1 ? WindowDecision::Verdict::admitted
                                                   : WindowDecision::Verdict::refused;
        d.wait = std::chrono::microseconds{reply.elements[1].integer};
        d.limit = reply.elements[2].integer;
        d.remaining = reply.elements[3].integer;
        d.reset = std::chrono::microseconds{reply.elements[4].integer};
        done(d);
    });
}

}  // namespace sw::redis
