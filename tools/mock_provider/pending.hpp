// pending.hpp — answers that outlive their request callback: delays, resets, hangs and streams.
#pragma once

#include "scenario.hpp"
#include "worker.hpp"

#include <event2/util.h>

#include <cstdint>
#include <string>

struct event;
struct evbuffer;
struct evhttp_connection;

namespace mock {

class Dialect;

struct StreamPlan {
    Scenario scenario;
    const Dialect* dialect = nullptr;
    std::string model;
    std::uint64_t n = 0;
    std::int64_t created = 0;
    std::int64_t prompt_tokens = 0;
};

// Owns itself: it deletes itself once its answer is sent, its connection is closed, or the client
// goes away (evhttp's close callback). Its Worker frees what is left at shutdown. Every step runs
// from a timer on the worker's loop, never inside evhttp's own callbacks, so that closing a
// connection never pulls it from under evhttp.
class Pending {
public:
    static void reply_later(Worker& worker, evhttp_request* req, const Reply& reply, std::int64_t delay_ms);
    static void reset_later(Worker& worker, evhttp_request* req, std::int64_t delay_ms);
    static void hang(Worker& worker, evhttp_request* req);
    static void stream(Worker& worker, evhttp_request* req, StreamPlan plan);

    // Frees the timer and forgets the connection; the connection itself is evhttp's to free.
    ~Pending();
    Pending(const Pending&) = delete;
    Pending& operator=(const Pending&) = delete;

private:
    enum class Kind { reply, reset, hang, stream };

    Pending(Worker& worker, evhttp_request* req, Kind kind);
    static void on_timer(evutil_socket_t, short, void* self);
    static void on_close(evhttp_connection*, void* self);
    static void on_peer_readable(evutil_socket_t fd, short, void* self);

    void schedule(std::int64_t ms);
    void fire();
    void stream_step();
    void write(const std::string& text);
    void close_connection(bool rst);
    void detach();
    void finish();

    Worker& worker_;
    evhttp_request* req_;
    evhttp_connection* evcon_;
    Kind kind_;
    event* timer_;
    event* watch_ = nullptr;  // hang only: sees the client leave (see hang())
    Reply reply_;
    StreamPlan plan_;
    bool headers_sent_ = false;
    std::int64_t sent_ = 0;  // content chunks sent
    std::string text_;
};

}  // namespace mock
