// exchange.hpp — one client request proxied through the router: it starts the routed request,
// forwards a stream's chunks as server-sent events, answers when the router is done, and
// cancels the routed request when the client leaves first.
#pragma once

#include <switch/router.hpp>

#include <chrono>
#include <memory>
#include <string>

struct event;
struct evhttp_connection;
struct evhttp_request;

namespace server {

class Worker;

enum class Endpoint { chat, chat_stream, embeddings };

struct ExchangeRequest {
    Endpoint endpoint = Endpoint::chat;
    std::string body;
    sw::ChatOptions options;
    bool want_trace = false;  // the client sent `x-switch-trace: 1`
    bool legacy_completion = false;  // from /v1/completions: answered as text_completion objects
    std::chrono::steady_clock::time_point received;
};

// Lives on its worker's thread. Every member but the router callbacks' posts runs there. It is
// released when its answer has left (or the client has gone and the router is done), so that a
// drain waits for the last byte of every answer, not just for the router.
class Exchange : public std::enable_shared_from_this<Exchange> {
public:
    // Starts the routed request; the worker keeps the exchange until the router is done with it.
    static void start(Worker& worker, evhttp_request* req, ExchangeRequest request);

    Exchange(Worker& worker, evhttp_request* req, ExchangeRequest request);
    ~Exchange();
    Exchange(const Exchange&) = delete;
    Exchange& operator=(const Exchange&) = delete;

    // The worker's loop is gone for good: forget the connection without touching it.
    void abandon();

private:
    void forward_chunk(const std::string& chunk);
    void finish(sw::ChatResponse response);
    void write(const std::string& text);
    void start_stream();
    void client_gone();
    void stop_watching();
    // Sends nothing more: the exchange leaves the worker, and the drain stops waiting for it.
    void release();


    static void on_close(evhttp_connection* evcon, void* self);
    static void on_peer_readable(int fd, short what, void* self);
    static void on_reply_sent(evhttp_request* req, void* self);

    Worker& worker_;
    evhttp_request* req_;
    evhttp_connection* evcon_;
    event* watch_ = nullptr;
    ExchangeRequest request_;
    sw::RequestId id_ = 0;
    bool stream_started_ = false;
    bool gone_ = false;
    bool answered_ = false;  // the router is done and the answer is queued on the connection
};

}  // namespace server
