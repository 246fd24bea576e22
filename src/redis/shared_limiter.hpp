// shared_limiter.hpp — per-minute limits shared by every process that uses one Redis: a request
// is admitted only when the server's script finds room in all its limits at once (requests and
// tokens), and its token estimate is corrected from the real usage afterwards. When Redis does
// not answer in time, the verdict is `unavailable` and the caller decides on its local limiter.
#pragma once

#include "redis/client.hpp"
#include "redis/limit_scripts.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sw::redis {

// One limit's share of a call: its key (limit_key), its per-minute limit, and the units to take
// (take) or the correction (adjust: positive takes more, negative gives back).
struct LimitUnits {
    std::string key;
    std::uint64_t per_minute = 0;
    std::int64_t units = 0;
};

struct LimitDecision {
    enum class Verdict : std::uint8_t { admitted, refused, unavailable };
    Verdict verdict = Verdict::unavailable;
    std::chrono::microseconds wait{0};  // refused: the earliest all the limits could have room, from now
    // unavailable: why (a timeout, no connection, an error reply from the server)
    CallStatus status = CallStatus::unavailable;
};

class SharedLimiter {
public:
    explicit SharedLimiter(Client& client) : client_(client) {}

    // Takes every limit's units, or none (limits of 0 are left out by the caller). `done` runs
    // once, on an I/O thread or, when no connection is up, at once on the calling thread.
    void take(const std::vector<LimitUnits>& limits, std::function<void(LimitDecision)> done);
    // Corrects earlier takes (a token estimate by the real usage). `done` hears whether the
    // server applied it; a correction that did not reach it is lost, and the server's limit is
    // off by it until the keys expire (a minute at most).
    void adjust(const std::vector<LimitUnits>& limits, std::function<void(CallStatus)> done);

private:
    // The keys and arguments of a limit script (script_call.hpp runs it).
    void run(const Script& script, const std::vector<LimitUnits>& limits, std::function<void(Result)> done);

    Client& client_;
};

}  // namespace sw::redis
