// listener.cpp — binding the workers' sockets and running their loops.
#include "listener.hpp"

#include "worker.hpp"

#include "http_common/event_base.hpp"
#include "http_common/listen_address.hpp"

#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace server {

namespace {

void on_request(evhttp_request* req, void* worker) { static_cast<Worker*>(worker)->handle(req); }

void on_metrics_request(evhttp_request* req, void* worker) { static_cast<Worker*>(worker)->handle_metrics_port(req); }

void on_stop(evutil_socket_t, short, void* base) { event_base_loopbreak(static_cast<event_base*>(base)); }

void apply_limits(evhttp* http, const Settings& s) {
    // A larger body is refused with 413 before it is read; a larger header block, or a client
    // that sends too slowly, closes the connection.
    evhttp_set_max_body_size(http, static_cast<ev_ssize_t>(s.max_body_bytes));
    evhttp_set_max_headers_size(http, static_cast<ev_ssize_t>(s.max_header_bytes));
    evhttp_set_timeout(http, s.read_timeout_seconds);
    evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                         EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS);
}

}  // namespace

std::unique_ptr<Listener> Listener::bind(Gateway& gateway, const Settings& settings, std::string* error) {
    std::unique_ptr<Listener> out(new Listener());
    const std::uint16_t port = settings.port;
    evconnlistener* first = nullptr;
    for (int i = 0; i < settings.threads; ++i) {
        sockaddr_storage addr{};
        socklen_t len = 0;
        if (!http_common::make_address(settings.host, port, &addr, &len)) {
            *error = "cannot parse address " + settings.host;
            return nullptr;
        }
        // Each request turns epoll interest on and off several times within one pass of the
        // loop (evhttp stops reading while it answers, writes, then reads again; the exchange
        // watches for the client leaving). The changelist sends epoll only the net change, once
        // a pass.
        event_base* base = http_common::new_event_base(EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
        evhttp* http = base ? evhttp_new(base) : nullptr;
        if (http == nullptr) {
            if (base) event_base_free(base);
            *error = "cannot create an event loop";
            return nullptr;
        }
        auto worker = std::make_unique<Worker>(gateway, base, http);
        evhttp_set_gencb(http, &on_request, worker.get());
        apply_limits(http, settings);
        worker->stop_event = event_new(base, -1, 0, &on_stop, base);
        // One listening socket, bound once, that every loop accepts from (a dup of it each).
        // SO_REUSEPORT would let a second server bind the same port and silently take a share
        // of its connections.
        const unsigned flags = LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE;
        evconnlistener* listener = nullptr;
        if (i == 0) {
            listener = evconnlistener_new_bind(base, nullptr, nullptr, flags, 1024, reinterpret_cast<sockaddr*>(&addr),
                                               static_cast<int>(len));
        } else {
            const evutil_socket_t fd = dup(evconnlistener_get_fd(first));
            // Backlog 0: the socket already listens.
            if (fd >= 0) listener = evconnlistener_new(base, nullptr, nullptr, flags, 0, fd);
            if (listener == nullptr && fd >= 0) close(fd);
        }
        if (listener == nullptr) {
            *error = "cannot listen on " + settings.host + ":" + std::to_string(port) + ": " + std::strerror(errno);
            return nullptr;
        }
        // Each SSE event leaves at once instead of waiting for the ACK of the one before.
        const int one = 1;
        setsockopt(evconnlistener_get_fd(listener), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        worker->bound = evhttp_bind_listener(http, listener);
        if (worker->bound == nullptr) {
            evconnlistener_free(listener);
            *error = "cannot attach the HTTP server to its listener";
            return nullptr;
        }
        if (i == 0) {
            first = listener;
            out->port_ = http_common::bound_port(listener);  // the kernel's choice, for port 0
        }
        out->workers_.push_back(std::move(worker));
    }
    // The metrics' own port (PROMETHEUS_PORT), served by the first loop: scrapes are rare and
    // small. It stays open through a drain, so that the drain itself can be watched.
    if (settings.metrics_port != 0) {
        Worker& first_worker = *out->workers_.front();
        first_worker.metrics_http = evhttp_new(first_worker.base);
        if (first_worker.metrics_http == nullptr ||
            evhttp_bind_socket(first_worker.metrics_http, settings.host.c_str(), settings.metrics_port) != 0) {
            *error = "cannot listen on " + settings.host + ":" + std::to_string(settings.metrics_port) +
                     " for the metrics (PROMETHEUS_PORT): " + std::strerror(errno);
            return nullptr;
        }
        evhttp_set_gencb(first_worker.metrics_http, &on_metrics_request, &first_worker);
        apply_limits(first_worker.metrics_http, settings);
    }
    return out;
}

Listener::~Listener() {
    stop();
    free_workers();
}

void Listener::start() {
    running_ = true;
    for (auto& w : workers_) {
        Worker* worker = w.get();
        worker->thread = std::thread([worker] { event_base_loop(worker->base, EVLOOP_NO_EXIT_ON_EMPTY); });
    }
}

void Listener::stop_accepting() {
    for (auto& w : workers_) {
        Worker* worker = w.get();
        worker->mailbox.post([worker] {
            if (worker->bound != nullptr) evhttp_del_accept_socket(worker->http, worker->bound);
            worker->bound = nullptr;
        });
    }
}

void Listener::stop() {
    if (!running_) return;
    // event_active may be called from another thread: main() turned on libevent's pthreads
    // support before any loop was made.
    for (auto& w : workers_) event_active(w->stop_event, EV_READ, 0);
    for (auto& w : workers_) w->thread.join();
    running_ = false;
}

void Listener::free_workers() { workers_.clear(); }

}  // namespace server
