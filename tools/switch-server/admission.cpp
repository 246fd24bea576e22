// admission.cpp — the local decision, or the shared one taken asynchronously: the worker's loop
// serves other requests while Redis answers, and the request resumes through the mailbox.
#include "admission.hpp"

#include "http_reply.hpp"
#include "shared_rate_limit.hpp"
#include "worker.hpp"

#include <event2/http.h>

#include <chrono>
#include <memory>
#include <optional>

namespace server {

namespace {

void answer(evhttp_request* req, const RateDecision& d, const std::function<void()>& go) {
    evkeyvalq* out = evhttp_request_get_output_headers(req);
    evhttp_add_header(out, "x-ratelimit-limit-requests", std::to_string(d.limit).c_str());
    evhttp_add_header(out, "x-ratelimit-remaining-requests", std::to_string(d.remaining).c_str());
    evhttp_add_header(out, "x-ratelimit-reset-requests", (std::to_string(d.reset_seconds) + "s").c_str());
    if (d.allowed) return go();
    send_gateway_error(req, 429,
                       "rate limit reached for this client; retry after " + std::to_string(d.retry_after_seconds) +
                           " s",
                       {{"Retry-After", std::to_string(d.retry_after_seconds)}});
}

// A request waiting for Redis. Touched only on the worker's thread; counted in flight, so a
// drain waits for it (Redis answers within its timeout).
struct Waiting {
    Worker& worker;
    evhttp_request* req;
    evhttp_connection* evcon;
    std::string client;
    std::function<void()> go;
    bool gone = false;
    bool resumed = false;

    // Dropped unresumed: its worker is shutting down (a drain shorter than redis.timeout_ms) and
    // freed the queued work; the connection is still alive, so it must not call back into this.
    ~Waiting() {
        if (!resumed && !gone) evhttp_connection_set_closecb(evcon, nullptr, nullptr);
    }
    Waiting(Worker& w, evhttp_request* r, evhttp_connection* c, std::string who, std::function<void()> next)
        : worker(w), req(r), evcon(c), client(std::move(who)), go(std::move(next)) {}
    Waiting(const Waiting&) = delete;
    Waiting& operator=(const Waiting&) = delete;

    static void on_close(evhttp_connection*, void* self) {
        // evhttp is freeing the connection; libevent 2.1 left a request still waiting for its
        // answer to its owner (Exchange::on_close does the same).
        auto* w = static_cast<Waiting*>(self);
        if (evhttp_request_get_connection(w->req) == nullptr) evhttp_request_free(w->req);
        w->gone = true;
    }

    void resume(std::optional<RateDecision> shared) {
        resumed = true;
        if (!gone) {
            evhttp_connection_set_closecb(evcon, nullptr, nullptr);
            // No answer from Redis: this server's own buckets decide.
            const RateDecision d =
                shared ? *shared : worker.gateway.limiter.admit(client, std::chrono::steady_clock::now());
            answer(req, d, go);
        }
        // After `go`: an admitted request is in flight as an exchange before this count drops,
        // so a drain never sees zero in between.
        worker.gateway.in_flight.fetch_sub(1);
    }
};

}  // namespace

void admit_request(Worker& worker, evhttp_request* req, const std::string& client, std::function<void()> go) {
    RateLimiter& local = worker.gateway.limiter;
    if (!local.enabled()) return go();
    SharedRateLimit* shared = worker.gateway.shared_limits;
    evhttp_connection* evcon = evhttp_request_get_connection(req);
    if (shared == nullptr || evcon == nullptr)
        return answer(req, local.admit(client, std::chrono::steady_clock::now()), go);
    auto waiting = std::make_shared<Waiting>(worker, req, evcon, client, std::move(go));
    evhttp_connection_set_closecb(evcon, &Waiting::on_close, waiting.get());
    worker.gateway.in_flight.fetch_add(1);
    Mailbox* mailbox = &worker.mailbox;
    // Always through the mailbox, even when the answer comes at once (no connection up): the
    // handler returns first, and the request resumes as every other callback does.
    shared->admit(client, local.limits(), [waiting, mailbox](std::optional<RateDecision> d) {
        mailbox->post([waiting, d] { waiting->resume(d); });
    });
}

}  // namespace server
