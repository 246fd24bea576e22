// window_limit.hpp — limits with a capacity and a refill window of their own, shared through
// Redis: switch-server's per-client limits (a minute's burst, an hour, a day). The per-minute
// script (limit_scripts.hpp) cannot hold them: its bucket is always one minute's limit, and one
// call has one period for every key, while a client's buckets differ in both.
//
// One request is taken from every key at once, or from none, by the versioned Lua script
// `switch_window_take_v1` (GCRA on the server's clock). Its keys are the caller's; they should
// carry `switch:v1:` and one Redis Cluster hash tag for all of them.
#pragma once

#include "redis/client.hpp"
#include "redis/limit_scripts.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sw::redis {

struct WindowLimit {
    std::string key;
    std::int64_t capacity = 0;  // requests a full bucket holds (> 0)
    std::chrono::microseconds window{0};  // how long an empty bucket takes to fill (> 0)
};

struct WindowDecision {
    enum class Verdict : std::uint8_t { admitted, refused, unavailable };
    Verdict verdict = Verdict::unavailable;
    std::chrono::microseconds wait{0};  // refused: until every bucket has room for one
    // The bucket with the fewest whole requests left (after this one, when admitted): its
    // capacity, those requests, and the time until it is full again.
    std::int64_t limit = 0;
    std::int64_t remaining = 0;
    std::chrono::microseconds reset{0};
};

// The script's SHA1 and text (for tests and messages).
const Script& window_take_script();

// `done` runs once, within the client's call timeout: on an I/O thread, or at once on the
// calling thread when no connection is up. Anything but the script's answer is `unavailable`.
void take_window_limits(Client& client, const std::vector<WindowLimit>& limits,
                        std::function<void(WindowDecision)> done);

}  // namespace sw::redis
