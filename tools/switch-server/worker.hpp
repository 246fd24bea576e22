// worker.hpp — one event-loop thread: its event base, its HTTP server on the shared port, its
// mailbox for the router's callbacks, and the exchanges it has in flight.
#pragma once

#include "gateway.hpp"
#include "mailbox.hpp"

#include <memory>
#include <thread>
#include <unordered_map>

struct event;
struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct evhttp_request;

namespace server {

class Exchange;

class Worker {
    struct FreeBase {
        void operator()(event_base* b) const;
    };
    // Declared first, so freed last: the mailbox's event and the exchanges' watches live in it.
    std::unique_ptr<event_base, FreeBase> owned_base_;

public:
    // Takes ownership of `base` and `http`.
    Worker(Gateway& gateway, event_base* base, evhttp* http);
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // The evhttp callback for every request (routes.cpp).
    void handle(evhttp_request* req);
    // The same for the metrics' own port (PROMETHEUS_PORT), which serves nothing else.
    void handle_metrics_port(evhttp_request* req);

    Gateway& gateway;
    event_base* const base;
    evhttp* const http;
    Mailbox mailbox;
    std::thread thread;
    // Activated from another thread to stop the loop, even before it has started.
    event* stop_event = nullptr;
    // This thread's listening socket; freed when a drain begins.
    evhttp_bound_socket* bound = nullptr;
    // The metrics' own port, on the first worker only, when PROMETHEUS_PORT asks for one.
    evhttp* metrics_http = nullptr;
    // Exchanges waiting for the router, by address (the connection callbacks' argument).
    std::unordered_map<Exchange*, std::shared_ptr<Exchange>> live;
};

}  // namespace server
