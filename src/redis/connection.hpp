// connection.hpp — one hiredis asynchronous connection, driven by one I/O thread's EventLoop:
// dialled, authenticated and checked with a PING before it is called up, every call bounded by
// a timeout, redialled with a backoff when it drops. The pool (client.hpp) holds several.
#pragma once

#include "common/redis_url.hpp"
#include "redis/reply.hpp"
#include "transport/io.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

struct redisAsyncContext;

namespace sw::redis {

// The timeouts and backoff of every connection of a client (docs/scaling.md, "Timeouts").
struct ConnectionOptions {
    RedisUrl url;
    // Longest wait for one answer. A loopback or same-zone round trip takes well under a
    // millisecond; past this the server counts as slow, the call reports `timeout` (the caller
    // uses its local state) and the connection is dropped and redialled, so that a stalled
    // server cannot gather calls.
    Millis call_timeout{100};
    // Longest wait from dialling to the handshake's PING answer.
    Millis connect_timeout{500};
    // Redial backoff: doubles from the first to the cap; an established connection resets it.
    Millis backoff_first{50};
    Millis backoff_cap{2000};
};

// Lives on one loop: every member function except up(), connects() and loop() is for that
// loop's thread only. Timers hold it weakly, so it must be owned by a shared_ptr (create()), and
// close() must run on its loop before the loop stops.
class Connection : public std::enable_shared_from_this<Connection> {
public:
    using Callback = std::function<void(Result)>;

    // `changed(up)` runs on the loop's thread each time the connection comes up or goes down.
    static std::shared_ptr<Connection> create(transport::EventLoop& loop,
                                              std::shared_ptr<const ConnectionOptions> options,
                                              std::function<void(bool up)> changed = {});
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Dials. A loop that cannot watch sockets (EventLoop::watch_fd false) leaves it down for good.
    void start();
    // Sends one command (its arguments, binary-safe). `done` runs exactly once, on this loop's
    // thread, within the call timeout: `unavailable` at once when the connection is not up.
    void command(const std::vector<std::string>& args, Callback done);
    // Drops the connection for good: pending calls hear `unavailable`, nothing is redialled.
    void close();

    // Up: connected, authenticated, and its handshake PING answered. From any thread.
    bool up() const noexcept { return up_.load(std::memory_order_acquire); }
    // How many times it has come up (its first connection, then each reconnection).
    std::uint64_t connects() const noexcept { return connects_.load(std::memory_order_relaxed); }
    transport::EventLoop& loop() const noexcept { return loop_; }

private:
    Connection(transport::EventLoop& loop, std::shared_ptr<const ConnectionOptions> options,
               std::function<void(bool)> changed);
    void set_up(bool up);

    void dial();
    void handshake();
    // Frees the context (its pending calls hear `unavailable`); lost() then follows from hiredis's
    // cleanup hook.
    void drop();
    // The context is gone, by any path: watch nothing, and redial after the backoff unless closed.
    void lost();
    void watch();
    void on_ready(bool readable, bool writable);
    std::uint64_t send(const std::vector<std::string>& args, Callback done);
    void deliver(std::uint64_t id, Result result);

    // hiredis's hooks (ev.addRead ... ev.cleanup) and callbacks.
    static void add_read(void* self);
    static void del_read(void* self);
    static void add_write(void* self);
    static void del_write(void* self);
    static void cleanup(void* self);
    static void on_connect(const redisAsyncContext* ac, int status);
    static void on_disconnect(const redisAsyncContext* ac, int status);
    static void on_reply(redisAsyncContext* ac, void* reply, void* privdata);

    transport::EventLoop& loop_;
    std::shared_ptr<const ConnectionOptions> options_;
    std::function<void(bool)> changed_;
    std::atomic<bool> up_{false};
    std::atomic<std::uint64_t> connects_{0};

    // The loop's thread only.
    redisAsyncContext* ctx_ = nullptr;
    int fd_ = -1;
    bool reading_ = false;
    bool writing_ = false;
    bool closed_ = false;
    bool can_watch_ = true;
    std::uint64_t generation_ = 0;  // one per dial: a timer of an earlier dial does nothing
    Millis backoff_{0};
    std::uint64_t next_id_ = 1;
    std::unordered_map<std::uint64_t, Callback> pending_;
};

}  // namespace sw::redis
