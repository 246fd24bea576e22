// server.cpp — binds one SO_REUSEPORT listener per thread and runs each thread's event loop.
#include "server.hpp"

#include "worker.hpp"

#include "http_common/event_base.hpp"
#include "http_common/listen_address.hpp"

#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include <netinet/tcp.h>
#include <sys/socket.h>

namespace mock {

namespace {

void on_request(evhttp_request* req, void* worker) { static_cast<Worker*>(worker)->handle(req); }

void on_stop(evutil_socket_t, short, void* base) { event_base_loopbreak(static_cast<event_base*>(base)); }

}  // namespace

std::unique_ptr<Server> Server::bind(const ServerOptions& options, std::string* error) {
    std::unique_ptr<Server> server(new Server());
    std::uint16_t port = options.port;
    for (int i = 0; i < options.threads; ++i) {
        sockaddr_storage addr{};
        socklen_t len = 0;
        if (!http_common::make_address(options.host, port, &addr, &len)) {
            *error = "cannot parse address " + options.host;
            return nullptr;
        }
        // A scenario's delays (ttft_ms, chunk_delay_ms) are lower bounds that tests assert on.
        // libevent reads CLOCK_MONOTONIC_COARSE by default, whose few-millisecond ticks can fire
        // a timer early.
        event_base* base = http_common::new_event_base(EVENT_BASE_FLAG_PRECISE_TIMER);
        evhttp* http = base ? evhttp_new(base) : nullptr;
        if (http == nullptr) {
            if (base) event_base_free(base);
            *error = "cannot create an event loop";
            return nullptr;
        }
        // The worker owns base and http from here on, so every early return frees them.
        auto worker = std::make_unique<Worker>(server->stats_, base, http);
        evhttp_set_gencb(http, &on_request, worker.get());
        worker->stop_event = event_new(base, -1, 0, &on_stop, base);
        // Each thread has its own listening socket on the same port; the kernel spreads the
        // connections between them, so no accept lock or hand-off is needed.
        const unsigned flags = LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE |
                               LEV_OPT_REUSEABLE_PORT;
        evconnlistener* listener =
            evconnlistener_new_bind(base, nullptr, nullptr, flags, 1024, reinterpret_cast<sockaddr*>(&addr),
                                    static_cast<int>(len));
        if (listener == nullptr) {
            *error = "cannot listen on " + options.host + ":" + std::to_string(port) + ": " + std::strerror(errno);
            return nullptr;
        }
        // Each small write (a stream's chunk) leaves at once. With Nagle on, a chunk waits for the
        // ACK of the one before, which the client delays up to 40 ms. Accepted sockets inherit
        // the option from the listener.
        const int one = 1;
        setsockopt(evconnlistener_get_fd(listener), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (evhttp_bind_listener(http, listener) == nullptr) {
            evconnlistener_free(listener);
            *error = "cannot attach the HTTP server to its listener";
            return nullptr;
        }
        // With --port 0 the first socket picks the port and the others join it.
        if (i == 0) port = server->port_ = http_common::bound_port(listener);
        server->workers_.push_back(std::move(worker));
    }
    return server;
}

Server::~Server() { stop(); }

void Server::start() {
    running_ = true;
    for (auto& w : workers_) {
        Worker* worker = w.get();
        worker->thread = std::thread([worker] { event_base_loop(worker->base, EVLOOP_NO_EXIT_ON_EMPTY); });
    }
}

void Server::stop() {
    if (running_) {
        // event_active may be called from another thread: main() turned on libevent's pthreads
        // support before any loop was created.
        for (auto& w : workers_) event_active(w->stop_event, EV_READ, 0);
        for (auto& w : workers_) w->thread.join();
        running_ = false;
    }
    workers_.clear();
}

}  // namespace mock
