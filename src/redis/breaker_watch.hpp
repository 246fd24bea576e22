// breaker_watch.hpp — how a process learns what the others did to its providers' breakers: it
// reads their state on the server every `interval` and reports each change (a newer epoch). So
// an open published anywhere reaches every process within `interval` plus one call (its
// timeout at worst): the bound docs/scaling.md documents. (Pub/sub would be faster, and can come
// beside it; a poll needs no extra connection and cannot miss a change across a reconnect.)
#pragma once

#include "redis/shared_breaker.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sw::redis {

class BreakerWatch : public std::enable_shared_from_this<BreakerWatch> {
public:
    // `changed(pool, provider, state)` runs on an I/O thread for each breaker whose epoch moved
    // since the last report (the first read of a breaker that has an epoch counts as a change).
    // Must not block.
    using Changed = std::function<void(const std::string& pool, const std::string& provider, const SharedBreakerState&)>;

    // Ticks on `loop`; the client and the loop must outlive the watch's stop().
    static std::shared_ptr<BreakerWatch> create(Client& client, transport::EventLoop& loop, Millis interval,
                                                std::string owner, Changed changed);

    // Adds a breaker to the reads. From any thread.
    void watch(std::string pool, std::string provider);
    // Starts ticking. From any thread.
    void start();
    // No tick after this returns (one already running finishes); no report after the ones under
    // way. From any thread.
    void stop();

private:
    BreakerWatch(Client& client, transport::EventLoop& loop, Millis interval, std::string owner, Changed changed);
    void tick();
    void heard(std::size_t index, const SharedBreakerState& state);

    struct Watched {
        std::string pool, provider;
        std::shared_ptr<SharedBreaker> breaker;
        std::int64_t epoch = 0;
    };

    Client& client_;
    transport::EventLoop& loop_;
    const Millis interval_;
    const std::string owner_;
    const Changed changed_;
    std::atomic<bool> stopped_{false};
    std::mutex mu_;  // the list and each one's epoch: answers come on any loop's thread
    std::vector<Watched> watched_;
};

}  // namespace sw::redis
