// worker.hpp — one server thread's state: its event loop, its HTTP server and its pending answers.
#pragma once

#include "stats.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <thread>
#include <unordered_set>

struct event;
struct event_base;
struct evhttp;
struct evhttp_request;

namespace mock {

class Pending;
class Dialect;
struct RouteMatch;

// A complete non-streaming answer. Empty strings mean "no such header".
struct Reply {
    int status = 200;
    std::string body;
    std::string location;
    std::string retry_after;
    std::string retry_after_ms;
};

void send_reply(evhttp_request* req, const Reply& reply);

// Everything here is touched by its own thread only, except stats, which is shared and locked.
class Worker {
public:
    Worker(Stats& stats, event_base* base, evhttp* http);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // The evhttp callback for every request.
    void handle(evhttp_request* req);

    Stats& stats;
    event_base* const base;
    evhttp* const http;
    std::thread thread;
    // Activated from another thread to stop the loop. Unlike event_base_loopbreak, which a loop
    // forgets when it starts, it also works before the loop has started.
    event* stop_event = nullptr;
    // Answers that outlive their request callback (delays, streams, hangs), freed at shutdown.
    std::unordered_set<Pending*> pending;

private:
    void handle_api(evhttp_request* req, const Dialect& dialect, RouteMatch match, std::string_view path,
                    std::string_view query);

    // Reused between requests so that the steady state does not allocate.
    simdjson::dom::parser parser_;
    std::string body_;
    std::string key_;
    HeaderView headers_;
    Reply reply_;
};

}  // namespace mock
