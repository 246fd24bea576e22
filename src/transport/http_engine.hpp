// http_engine.hpp — HTTP exchanges on one libcurl multi handle, owned by one I/O thread: the
// production EventLoop and HttpClient (io.hpp). A router runs several engines, one per I/O
// thread (RouterOptions::io_threads).
//
// Other threads only queue work (submit, cancel, post) and wake the loop with
// curl_multi_wakeup; no other curl call ever crosses threads. Handlers and posted functions
// run on the I/O thread and must not block.
#pragma once

#include "transport/io.hpp"

#include <memory>

namespace sw::transport {

struct EngineOptions {
    std::shared_ptr<Clock> clock;  // default: a SteadyClock
    long max_connections_per_host = 0;  // 0: curl's default (unlimited)
};

class HttpEngine final : public EventLoop, public HttpClient {
public:
    explicit HttpEngine(EngineOptions options = {});
    // Calls stop(), then runs on the calling thread whatever other threads queued after the
    // I/O thread ended: posted functions and timers run, submitted exchanges complete as
    // cancelled, so every handler and posted function still runs once.
    ~HttpEngine() override;
    HttpEngine(const HttpEngine&) = delete;
    HttpEngine& operator=(const HttpEngine&) = delete;

    // Cancels whatever is still running (each handler still gets on_complete), fires pending
    // timers early, and joins the I/O thread. The engine stays a valid object throughout, so
    // handlers may still call it. Idempotent; not from the I/O thread.
    void stop();

    // HttpClient and EventLoop (io.hpp). stopping() turns true when stop() begins.
    Id submit(HttpRequest request, std::shared_ptr<HttpHandler> handler) override;
    void cancel(Id id) override;
    void post(std::function<void()> fn) override;
    void post_at(TimePoint when, std::function<void()> fn) override;
    Clock& clock() const override;
    bool stopping() const override;
    bool on_io_thread() const override;
    // Watched sockets wait in the same curl_multi_poll as curl's own (its extra fds).
    bool watch_fd(int fd, bool read, bool write, std::function<void(bool, bool)> ready) override;
    void unwatch_fd(int fd) override;

    // Both faces of this engine's thread.
    Io io() { return {*this, *this}; }

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace sw::transport
