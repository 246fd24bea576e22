// backoff.hpp — how long the ledger's writer waits before it tries an unreachable database
// again: doubling from `initial` up to `max`, so that an outage costs a few connection attempts
// a minute rather than a loop, and a database that comes back is found within `max`.
#pragma once

#include <algorithm>
#include <chrono>

namespace sw {
using Millis = std::chrono::milliseconds;  // as in switch/config.hpp
}  // namespace sw

namespace sw::ledger {

struct Backoff {
    Millis initial{100};
    Millis max{5000};
    Millis next{0};  // the wait after the next failure; 0: none has failed yet

    // Called after a failed attempt: the wait before the next one.
    Millis failed() {
        next = next.count() == 0 ? initial : std::min(next * 2, max);
        return next;
    }
    void succeeded() { next = Millis{0}; }
};

}  // namespace sw::ledger
