// worker.cpp — a worker's lifetime.
#include "worker.hpp"

#include "exchange.hpp"

#include <event2/event.h>
#include <event2/http.h>

namespace server {

void Worker::FreeBase::operator()(event_base* b) const { event_base_free(b); }

Worker::Worker(Gateway& g, event_base* b, evhttp* h) : owned_base_(b), gateway(g), base(b), http(h), mailbox(b) {}

Worker::~Worker() {
    // The loop has stopped and the router is gone: drop what the router's last callbacks
    // posted, forget the connections of unfinished exchanges, then let evhttp close them.
    mailbox.drop_all();
    for (auto& [raw, ex] : live) ex->abandon();
    live.clear();
    if (stop_event != nullptr) event_free(stop_event);
    if (metrics_http != nullptr) evhttp_free(metrics_http);
    evhttp_free(http);
}

}  // namespace server
