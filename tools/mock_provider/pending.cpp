// pending.cpp — timers, streams and abrupt closes for answers that are not sent at once.
#include "pending.hpp"

#include "bodies.hpp"
#include "dialect.hpp"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace mock {

Pending::Pending(Worker& worker, evhttp_request* req, Kind kind)
    : worker_(worker),
      req_(req),
      evcon_(evhttp_request_get_connection(req)),
      kind_(kind),
      timer_(evtimer_new(worker.base, &Pending::on_timer, this)) {
    worker_.pending.insert(this);
    evhttp_connection_set_closecb(evcon_, &Pending::on_close, this);
}

Pending::~Pending() {
    if (evcon_ != nullptr) evhttp_connection_set_closecb(evcon_, nullptr, nullptr);
    event_free(timer_);
    if (watch_ != nullptr) event_free(watch_);
}

void Pending::reply_later(Worker& worker, evhttp_request* req, const Reply& reply, std::int64_t delay_ms) {
    auto* p = new Pending(worker, req, Kind::reply);
    p->reply_ = reply;
    p->schedule(delay_ms);
}

void Pending::reset_later(Worker& worker, evhttp_request* req, std::int64_t delay_ms) {
    (new Pending(worker, req, Kind::reset))->schedule(delay_ms);
}

void Pending::hang(Worker& worker, evhttp_request* req) {
    // No timer: it waits for the client to leave, or for shutdown. evhttp does not read a
    // connection whose request awaits its answer, so it would never see the client close it; a
    // read event of our own does, instead of leaving the socket in CLOSE_WAIT until shutdown.
    auto* p = new Pending(worker, req, Kind::hang);
    evutil_socket_t fd = bufferevent_getfd(evhttp_connection_get_bufferevent(p->evcon_));
    p->watch_ = event_new(worker.base, fd, EV_READ, &Pending::on_peer_readable, p);
    event_add(p->watch_, nullptr);
}

void Pending::on_peer_readable(evutil_socket_t fd, short, void* self) {
    char byte = 0;
    ssize_t n = recv(fd, &byte, 1, MSG_PEEK);
    // A pipelined request (n > 0) is left alone; the watch is then over.
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) static_cast<Pending*>(self)->close_connection(false);
}

void Pending::stream(Worker& worker, evhttp_request* req, StreamPlan plan) {
    auto* p = new Pending(worker, req, Kind::stream);
    std::int64_t latency = plan.scenario.latency_ms;
    p->plan_ = std::move(plan);
    p->schedule(latency);
}

void Pending::on_timer(evutil_socket_t, short, void* self) { static_cast<Pending*>(self)->fire(); }

void Pending::on_close(evhttp_connection*, void* self) {
    // evhttp is freeing the connection. When the client went away, evhttp first detached the
    // unfinished request from it and left the request to us (libevent 2.1's incoming_fail);
    // otherwise the request is freed with the connection. Either way, touch neither again.
    auto* p = static_cast<Pending*>(self);
    if (p->req_ != nullptr && evhttp_request_get_connection(p->req_) == nullptr) evhttp_request_free(p->req_);
    p->evcon_ = nullptr;
    p->req_ = nullptr;
    p->finish();
}

void Pending::schedule(std::int64_t ms) {
    timeval tv{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
    // libevent counts from the loop's cached time, which is stale by however long this
    // iteration has run; refresh it so the delay is never shorter than asked.
    event_base_update_cache_time(worker_.base);
    evtimer_add(timer_, &tv);
}

void Pending::detach() {
    if (evcon_ != nullptr) evhttp_connection_set_closecb(evcon_, nullptr, nullptr);
    evcon_ = nullptr;
}

void Pending::finish() {
    worker_.pending.erase(this);
    delete this;
}

void Pending::fire() {
    switch (kind_) {
        case Kind::reply:
            detach();
            send_reply(req_, reply_);
            finish();
            return;
        case Kind::reset:
            close_connection(true);
            return;
        case Kind::hang:
            return;
        case Kind::stream:
            stream_step();
            return;
    }
}

void Pending::write(const std::string& text) {
    evbuffer* buf = evbuffer_new();
    evbuffer_add(buf, text.data(), text.size());
    evhttp_send_reply_chunk(req_, buf);
    evbuffer_free(buf);
}

void Pending::stream_step() {
    const Scenario& s = plan_.scenario;
    const std::string_view eol = s.crlf ? "\r\n" : "\n";
    const Completion c{plan_.n, plan_.created, plan_.model, plan_.prompt_tokens, s.tool_call};
    const Dialect& d = *plan_.dialect;

    if (!headers_sent_) {
        headers_sent_ = true;
        evkeyvalq* out = evhttp_request_get_output_headers(req_);
        evhttp_add_header(out, "Content-Type", d.stream_content_type());
        evhttp_add_header(out, "Cache-Control", "no-cache");
        if (!s.retry_after.empty()) evhttp_add_header(out, "Retry-After", s.retry_after.c_str());
        if (!s.retry_after_ms.empty()) evhttp_add_header(out, "retry-after-ms", s.retry_after_ms.c_str());
        evhttp_send_reply_start(req_, 200, "OK");
        text_.clear();
        d.append_keep_alive(text_, eol);
        write(text_);
        schedule(s.ttft_ms);
        return;
    }

    // A fault "after N chunks" with N >= chunks strikes before the final event.
    if (s.cut_after >= 0 && sent_ == std::min(s.cut_after, s.chunks)) {
        // Close only once what was sent has left: freeing the connection drops unsent output.
        bufferevent* bev = evhttp_connection_get_bufferevent(evcon_);
        if (evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
            schedule(1);
            return;
        }
        close_connection(false);
        return;
    }
    if (s.stall_after >= 0 && sent_ == std::min(s.stall_after, s.chunks)) return;  // silence, connection kept

    if (s.stream_error_at >= 1 && sent_ + 1 == std::min(s.stream_error_at, s.chunks + 1)) {
        // An error inside the stream takes the place of chunk N (of the final event, for
        // N > chunks), and the stream ends there.
        text_.clear();
        if (sent_ == 0) d.append_stream_open(text_, c, eol);
        d.append_stream_error(text_, c, ScriptedError{500, Fault::status, s.error_type, s.error_code, s.error_message}, eol);
        write(text_);
        evhttp_request* req = req_;
        detach();
        evhttp_send_reply_end(req);
        finish();
        return;
    }
    if (sent_ < s.chunks) {
        ++sent_;
        text_.clear();
        if (sent_ == 1) d.append_stream_open(text_, c, eol);
        d.append_stream_chunk(text_, c, sent_, sent_ == s.malformed_at, eol);
        write(text_);
        schedule(sent_ < s.chunks ? s.chunk_delay_ms : 0);
        return;
    }

    text_.clear();
    if (sent_ == 0) d.append_stream_open(text_, c, eol);
    d.append_stream_close(text_, c, s.chunks, !s.no_done, eol);
    write(text_);
    evhttp_request* req = req_;
    detach();
    evhttp_send_reply_end(req);
    finish();
}

void Pending::close_connection(bool rst) {
    evhttp_connection* evcon = evcon_;
    detach();
    if (rst) {
        int fd = static_cast<int>(bufferevent_getfd(evhttp_connection_get_bufferevent(evcon)));
        if (fd >= 0) {
            linger lg{1, 0};
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            // evhttp shuts the socket down for writing before it closes it, which would send a FIN
            // first. Connecting to AF_UNSPEC disconnects a Linux TCP socket with an RST right away.
            sockaddr unspec{};
            unspec.sa_family = AF_UNSPEC;
            (void)connect(fd, &unspec, sizeof unspec);
        }
    }
    evhttp_connection_free(evcon);
    finish();
}

}  // namespace mock
