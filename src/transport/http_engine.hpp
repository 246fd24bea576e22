// http_engine.hpp — HTTP exchanges on one libcurl multi handle, owned by one I/O thread. A
// router runs several engines, one per I/O thread (RouterOptions::io_threads).
//
// Other threads only queue work (submit, cancel, post) and wake the loop with
// curl_multi_wakeup; no other curl call ever crosses threads. Handlers and posted functions
// run on the I/O thread and must not block.
#pragma once

#include <switch/clock.hpp>
#include <switch/config.hpp>
#include <switch/outcome.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sw::transport {

struct HttpRequest {
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    std::string body;                  // sent as a POST body
    Millis connect_timeout{10000};
    // Until the first byte of the response body (covers slow headers and a slow first token).
    // 0: only the total timeout applies.
    Millis first_byte_timeout{0};
    // Longest silence between body bytes once the body has started. 0: no idle limit.
    Millis idle_timeout{0};
    Millis total_timeout{30000};
    // Off only for loopback test servers; the loader refuses it anywhere else.
    bool verify_tls = true;
    std::size_t max_response_bytes = 64u * 1024u * 1024u;
};

struct HttpResult {
    int status = 0;  // 0 when no HTTP response arrived
    TransportError error = TransportError::none;
    bool cancelled = false;
    // curl's reason for a failure, for diagnostics. Never holds request headers or bodies.
    std::string detail;
    Millis elapsed{0};
};

// Receives one exchange's events, on the I/O thread.
class HttpHandler {
public:
    virtual ~HttpHandler() = default;
    // The status line; may come more than once for interim (1xx) responses.
    virtual void on_status(int status) { (void)status; }
    virtual void on_header(std::string_view name, std::string_view value) {
        (void)name;
        (void)value;
    }
    // Body bytes as they arrive. Return false to stop the exchange (it completes as cancelled).
    virtual bool on_body(std::string_view bytes) = 0;
    // Whether the response has really begun, which ends the first-byte timer and starts the
    // idle one. By default any body byte; a stream reader may wait for its first event, so
    // that keep-alive comments do not hide a slow first token.
    virtual bool response_started() const { return true; }
    // Exactly once, last.
    virtual void on_complete(const HttpResult& result) = 0;
};

struct EngineOptions {
    std::shared_ptr<Clock> clock;  // default: a SteadyClock
    long max_connections_per_host = 0;  // 0: curl's default (unlimited)
};

class HttpEngine {
public:
    using Id = std::uint64_t;

    explicit HttpEngine(EngineOptions options = {});
    // Calls stop(), then runs on the calling thread whatever other threads queued after the
    // I/O thread ended: posted functions and timers run, submitted exchanges complete as
    // cancelled, so every handler and posted function still runs once.
    ~HttpEngine();
    HttpEngine(const HttpEngine&) = delete;
    HttpEngine& operator=(const HttpEngine&) = delete;

    // Cancels whatever is still running (each handler still gets on_complete), fires pending
    // timers early, and joins the I/O thread. The engine stays a valid object throughout, so
    // handlers may still call it. Idempotent; not from the I/O thread.
    void stop();

    // Starts an exchange. From any thread. The id can cancel it.
    Id submit(HttpRequest request, std::shared_ptr<HttpHandler> handler);
    // Stops an exchange if it is still running; its handler gets on_complete(cancelled).
    // From any thread; unknown or finished ids are ignored.
    void cancel(Id id);
    // Runs `fn` on the I/O thread, soon / at or after `when`.
    void post(std::function<void()> fn);
    void post_at(TimePoint when, std::function<void()> fn);

    Clock& clock() const;
    // True once destruction began. Timers then fire early, so their owners must finish
    // instead of waiting again.
    bool stopping() const;
    // True on the I/O thread; lets callers skip a post when they are already there.
    bool on_io_thread() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace sw::transport
