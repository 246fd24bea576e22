// client.hpp — the connection pool: REDIS_POOL_SIZE connections to one server, spread over the
// router's I/O threads, each driven by its thread's EventLoop. Any thread may call; nobody waits
// longer than the call timeout, and when no connection is up the answer is `unavailable` at
// once, so that callers use their local state (docs/scaling.md).
#pragma once

#include "redis/connection.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace sw::redis {

// Calls answered, by how (the metric's source; the listener is the log line's).
struct CallCounts {
    std::uint64_t ok = 0;
    std::uint64_t timeout = 0;
    std::uint64_t unavailable = 0;
};

class Client {
public:
    // Told when sharing stops (no connection up any more: `false`) and when it resumes (the first
    // one up again: `true`), once per change, on an I/O thread: for the log line and the gauge
    // that say the process is on its local state. Must not block or call the client back; it
    // is not called for the client's own closing.
    using AvailabilityListener = std::function<void(bool available)>;

    // Connection i runs on loops[i % loops.size()]; each dials at once. The loops must outlive
    // the client. `pool_size` is clamped to at least 1.
    Client(std::vector<transport::EventLoop*> loops, ConnectionOptions options, int pool_size,
           AvailabilityListener listener = {});
    // Closes every connection on its loop (pending calls hear `unavailable`) and waits for it,
    // a second at most per loop. Not from one of the loops' threads.
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Sends one command on an up connection: one on the calling I/O thread when it has one (no
    // thread hop), else the next up one in turn. `done` runs once, on that connection's loop
    // thread, within the call timeout; with no connection up, at once on the calling thread,
    // with `unavailable`. Either way it may run before call() returns: a caller holding a lock
    // that `done` takes must not call with it held.
    void call(std::vector<std::string> args, Connection::Callback done);

    // Some connection is up. From any thread.
    bool available() const noexcept;
    std::size_t up_count() const noexcept;
    std::size_t size() const noexcept { return connections_.size(); }
    // How many times connections have come up, all together (first connections included).
    std::uint64_t connects() const noexcept;
    const ConnectionOptions& options() const noexcept { return *options_; }
    CallCounts counts() const noexcept;

private:
    // Shared with the connections' change hooks, which may run after the client is gone (a
    // close posted to a loop that had stopped runs when the engine is destroyed).
    struct Shared {
        std::mutex mu;
        int up = 0;  // connections up
        AvailabilityListener listener;
        std::atomic<std::uint64_t> ok{0}, timeout{0}, unavailable{0};
        void changed(bool up);
        void count(CallStatus status) noexcept;
    };

    std::shared_ptr<Shared> shared_;
    std::shared_ptr<const ConnectionOptions> options_;
    std::vector<std::shared_ptr<Connection>> connections_;
    std::atomic<std::uint64_t> next_{0};
};

}  // namespace sw::redis
