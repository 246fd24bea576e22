// io.hpp — what the code above the transport needs from the I/O thread it runs on: an event loop
// (posts, timers, the time source) and an HTTP client (submit, cancel). The pattern is Envoy's
// dispatcher and TimeSource: the request path, credential caches and token exchanges depend on
// these two interfaces only, never on libcurl.
//
// HttpEngine (http_engine.hpp) is the one production implementation of both. Tests drive the
// real request path through a simulated one on a FakeClock (tests/unit/sim_io.hpp), where every
// timer fires at its exact time and no socket is opened.
#pragma once

#include <switch/clock.hpp>
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
    // POST (the default, with `body`), GET or PUT (with `body`). Credential fetches need the
    // other two: a Vault read and the instance metadata service's GETs, IMDSv2's token PUT.
    enum class Method : std::uint8_t { post, get, put };
    Method method = Method::post;
    Millis connect_timeout{10000};
    // Until the first byte of the response body (covers slow headers and a slow first token).
    // 0: only the total timeout applies.
    Millis first_byte_timeout{0};
    // Longest silence between body bytes once the body has started. 0: no idle limit.
    Millis idle_timeout{0};
    Millis total_timeout{30000};
    // Off only for loopback test servers; the loader refuses it anywhere else.
    bool verify_tls = true;
    // A PEM bundle to verify the server with instead of the system's (a private Vault's CA).
    std::string ca_file;
    std::size_t max_response_bytes = 64u * 1024u * 1024u;
};

struct HttpResult {
    int status = 0;  // 0 when no HTTP response arrived
    TransportError error = TransportError::none;
    bool cancelled = false;
    // The transport's reason for a failure, for diagnostics. Never holds request headers or
    // bodies.
    std::string detail;
    Nanos elapsed{0};
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

// Runs functions on one I/O thread. Posted functions and timers run on that thread, in order,
// and must not block.
class EventLoop {
public:
    virtual ~EventLoop() = default;
    // Runs `fn` soon / at or after `when`. From any thread.
    virtual void post(std::function<void()> fn) = 0;
    virtual void post_at(TimePoint when, std::function<void()> fn) = 0;
    // The time source of every timer and timeout on this loop.
    virtual Clock& clock() const = 0;
    // True once shutdown began. Timers then fire early, so their owners must finish instead of
    // waiting again.
    virtual bool stopping() const = 0;
    // True on the loop's own thread; lets callers skip a post when they are already there.
    virtual bool on_io_thread() const = 0;

    // Socket readiness, for a client that owns its socket (the Redis client, src/redis/).
    // `ready(readable, writable)` runs on the loop's thread whenever `fd` is ready for what is
    // asked (an error or a hang-up counts as ready for both, so that the owner reads the end).
    // A second watch of the same fd replaces the first. On the loop's thread only. Returns false
    // when this loop has no sockets to watch (the simulated loop of the tests): the owner must
    // then report itself unavailable. The default is such a loop.
    virtual bool watch_fd(int fd, bool read, bool write, std::function<void(bool readable, bool writable)> ready) {
        (void)fd;
        (void)read;
        (void)write;
        (void)ready;
        return false;
    }
    // Stops watching `fd`; its function is not called again, even for readiness already seen.
    // On the loop's thread only; an fd not watched is ignored.
    virtual void unwatch_fd(int fd) { (void)fd; }
};

// Sends HTTP exchanges; each one's handler runs on the client's I/O thread.
class HttpClient {
public:
    using Id = std::uint64_t;
    virtual ~HttpClient() = default;
    // Starts an exchange. From any thread. The id can cancel it.
    virtual Id submit(HttpRequest request, std::shared_ptr<HttpHandler> handler) = 0;
    // Stops an exchange if it is still running; its handler gets on_complete(cancelled).
    // From any thread; unknown or finished ids are ignored.
    virtual void cancel(Id id) = 0;
};

// One I/O thread as its users see it: its loop and its HTTP client, which share that thread.
struct Io {
    EventLoop& loop;
    HttpClient& http;
};

}  // namespace sw::transport
