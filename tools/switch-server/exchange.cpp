// exchange.cpp — one proxied request, from the router's callbacks to the client's connection.
#include "exchange.hpp"

#include "http_reply.hpp"
#include "legacy_completions.hpp"
#include "trace_headers.hpp"
#include "worker.hpp"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include <sys/socket.h>

#include <cerrno>

namespace server {

void Exchange::start(Worker& worker, evhttp_request* req, ExchangeRequest request) {
    auto ex = std::make_shared<Exchange>(worker, req, std::move(request));
    worker.live.emplace(ex.get(), ex);
    worker.gateway.in_flight.fetch_add(1);

    // The router calls back on its I/O threads; each callback posts to this worker's loop,
    // which owns the connection. A request's callbacks come in order, and so do the posts.
    Mailbox* mailbox = &worker.mailbox;
    sw::DoneCallback done = [ex, mailbox](sw::ChatResponse r) {
        mailbox->post([ex, r = std::move(r)]() mutable { ex->finish(std::move(r)); });
    };
    sw::Router& router = worker.gateway.router;
    const ExchangeRequest& rq = ex->request_;
    switch (rq.endpoint) {
        case Endpoint::chat: ex->id_ = router.chat_async(rq.body, std::move(done), rq.options); break;
        case Endpoint::embeddings: ex->id_ = router.embeddings_async(rq.body, std::move(done), rq.options); break;
        case Endpoint::chat_stream: {
            sw::ChunkCallback on_chunk = [ex, mailbox](std::string_view chunk) {
                mailbox->post([ex, text = std::string(chunk)] { ex->forward_chunk(text); });
            };
            ex->id_ = router.chat_stream_async(rq.body, std::move(on_chunk), std::move(done), rq.options);
            break;
        }
    }
}

Exchange::Exchange(Worker& worker, evhttp_request* req, ExchangeRequest request)
    : worker_(worker), req_(req), evcon_(evhttp_request_get_connection(req)), request_(std::move(request)) {
    evhttp_connection_set_closecb(evcon_, &Exchange::on_close, this);
    // evhttp stops reading a connection while its request awaits an answer, so it would not see
    // the client leave until a write failed (never, for a slow answer). A read event of our own
    // sees the end of the connection at once.
    bufferevent* bev = evhttp_connection_get_bufferevent(evcon_);
    // The read timeout bounds how long a client takes to send its request; while the answer is
    // pending or streaming, the client has nothing to send, so only a client that stops reading
    // (the write timeout) is cut off. on_reply_sent puts the read timeout back for keep-alive.
    const timeval limit{worker.gateway.settings.read_timeout_seconds, 0};
    bufferevent_set_timeouts(bev, nullptr, &limit);
    watch_ = event_new(worker.base, bufferevent_getfd(bev), EV_READ, &Exchange::on_peer_readable, this);
    event_add(watch_, nullptr);
}

Exchange::~Exchange() {
    if (watch_ != nullptr) event_free(watch_);
}

void Exchange::abandon() {
    stop_watching();
    if (req_ != nullptr) evhttp_request_set_on_complete_cb(req_, nullptr, nullptr);
    evcon_ = nullptr;
    req_ = nullptr;
    gone_ = true;
}

void Exchange::stop_watching() {
    if (watch_ != nullptr) event_free(watch_);
    watch_ = nullptr;
    if (evcon_ != nullptr) evhttp_connection_set_closecb(evcon_, nullptr, nullptr);
}

void Exchange::on_peer_readable(int fd, short, void* self) {
    char byte = 0;
    const ssize_t n = recv(fd, &byte, 1, MSG_PEEK);
    // More bytes (a pipelined request) are evhttp's to read; only the end of the connection counts.
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        auto* ex = static_cast<Exchange*>(self);
        ex->stop_watching();
        // Freeing the connection frees the request waiting on it.
        evhttp_connection_free(ex->evcon_);
        ex->client_gone();
    }
}

void Exchange::on_close(evhttp_connection*, void* self) {
    // evhttp is freeing the connection. If the client left before the answer was complete,
    // libevent 2.1 first detached the request from it and left the request to its owner;
    // otherwise the request goes with the connection. Either way neither is touched again.
    auto* ex = static_cast<Exchange*>(self);
    if (evhttp_request_get_connection(ex->req_) == nullptr) evhttp_request_free(ex->req_);
    else evhttp_request_set_on_complete_cb(ex->req_, nullptr, nullptr);
    ex->evcon_ = nullptr;
    ex->stop_watching();
    if (ex->answered_) {
        ex->req_ = nullptr;
        ex->release();  // its answer was on its way out; the client will not read the rest
        return;
    }
    ex->client_gone();
}

void Exchange::on_reply_sent(evhttp_request*, void* self) {
    // The last byte has left; evhttp frees the request and may keep the connection.
    auto* ex = static_cast<Exchange*>(self);
    const timeval limit{ex->worker_.gateway.settings.read_timeout_seconds, 0};
    bufferevent_set_timeouts(evhttp_connection_get_bufferevent(ex->evcon_), &limit, &limit);
    ex->stop_watching();
    ex->req_ = nullptr;
    ex->release();
}

void Exchange::release() {
    std::shared_ptr<Exchange> keep = shared_from_this();  // until this function returns
    worker_.live.erase(this);
    worker_.gateway.in_flight.fetch_sub(1);
}

void Exchange::client_gone() {
    req_ = nullptr;
    evcon_ = nullptr;
    gone_ = true;
    // The router answers a cancel with status 499, which no breaker or health window counts.
    worker_.gateway.router.cancel(id_);
}

void Exchange::write(const std::string& text) {
    evbuffer* buf = evbuffer_new();
    evbuffer_add(buf, text.data(), text.size());
    evhttp_send_reply_chunk(req_, buf);
    evbuffer_free(buf);
}

void Exchange::start_stream() {
    stream_started_ = true;
    evkeyvalq* out = evhttp_request_get_output_headers(req_);
    evhttp_add_header(out, "Content-Type", "text/event-stream");
    evhttp_add_header(out, "Cache-Control", "no-cache");
    evhttp_add_header(out, "x-switch-request-id", std::to_string(id_).c_str());
    evhttp_send_reply_start(req_, 200, "OK");
}

void Exchange::forward_chunk(const std::string& chunk) {
    if (gone_) return;
    if (!stream_started_) start_stream();
    write("data: " + (request_.legacy_completion ? completion_from_chat(chunk) : chunk) + "\n\n");
}

void Exchange::finish(sw::ChatResponse r) {
    if (gone_) return release();
    // The watch goes; the close callback stays until the answer has left, and
    // on_reply_sent says when it has.
    if (watch_ != nullptr) event_free(watch_);
    watch_ = nullptr;
    answered_ = true;

    const auto total = std::chrono::steady_clock::now() - request_.received;
    if (request_.endpoint == Endpoint::chat_stream && (stream_started_ || r.ok())) {
        if (!stream_started_) start_stream();
        // Headers left long ago, so how it was served goes in an SSE comment, which every
        // client ignores (docs/server.md).
        std::string tail = ": x-switch-overhead-us " + std::to_string(overhead_us(r, total)) + "\n";
        if (request_.want_trace) tail += ": x-switch-trace " + r.trace_json() + "\n";
        tail += "\n";
        // A stream that broke after content already carries the library's error chunk: no [DONE].
        if (r.ok()) tail += "data: [DONE]\n\n";
        write(tail);
        evhttp_request_set_on_complete_cb(req_, &Exchange::on_reply_sent, this);
        evhttp_send_reply_end(req_);
        return;
    }
    const Headers headers = trace_headers(r, id_, total, request_.want_trace);
    evhttp_request_set_on_complete_cb(req_, &Exchange::on_reply_sent, this);
    if (r.ok()) send_json(req_, 200, request_.legacy_completion ? completion_from_chat(r.body) : r.body, headers);
    else send_json(req_, r.status, r.error_json(), headers);
}

}  // namespace server
