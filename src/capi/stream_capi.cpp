// stream_capi.cpp — pull streams: the I/O thread queues chunks, a reader takes them with
// sw_stream_next on its own thread.
#include "capi/callbacks.hpp"
#include "capi/errors.hpp"
#include "capi/handles.hpp"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>

namespace sw::capi {

// Shared by the handle and the request's callbacks, so that either may go first.
struct StreamState {
    std::mutex mutex;
    std::condition_variable arrived;
    // Unbounded: the I/O thread must never wait for a reader (see sw_stream_open).
    std::deque<std::string> chunks;
    std::unique_ptr<sw_response> response;  // set once, when the request ends
    bool ended = false;
};

}  // namespace sw::capi

struct sw_stream {
    std::shared_ptr<sw::capi::StreamState> state;
    sw::Router* router = nullptr;  // only to cancel; never touched once the request has ended
    sw_request_id id = 0;
    std::string current;  // the chunk last handed out, borrowed by the caller
};

extern "C" {

SW_API int sw_stream_open(sw_stream** out, sw_router* router, const char* request, size_t len,
                          const sw_chat_options* options) {
    return sw::capi::guarded([&]() -> int {
        if (!out) return sw::capi::invalid_argument("out is NULL");
        *out = nullptr;
        if (!router) return sw::capi::invalid_argument("router is NULL");
        if (!request && len > 0) return sw::capi::invalid_argument("request is NULL");
        sw::ChatOptions chat_options;
        if (int rc = sw::capi::read_options(options, chat_options)) return rc;

        auto stream = std::make_unique<sw_stream>();
        auto state = std::make_shared<sw::capi::StreamState>();
        stream->state = state;
        stream->router = router->router.get();
        auto on_chunk = [state](std::string_view chunk) {
            std::lock_guard<std::mutex> lock(state->mutex);
            state->chunks.emplace_back(chunk);
            state->arrived.notify_one();
        };
        auto done = [state](sw::ChatResponse r) {
            // Built before taking the lock; a failure to build leaves the response NULL.
            std::unique_ptr<sw_response> response(sw::capi::new_response(std::move(r)));
            std::lock_guard<std::mutex> lock(state->mutex);
            state->response = std::move(response);
            state->ended = true;
            state->arrived.notify_all();
        };
        stream->id = router->router->chat_stream_async(std::string_view(request ? request : "", len),
                                                       std::move(on_chunk), std::move(done), chat_options);
        *out = stream.release();
        return SW_OK;
    });
}

SW_API int sw_stream_next(const char** out_chunk, size_t* out_len, sw_stream* stream, int64_t timeout_ms) {
    return sw::capi::guarded([&]() -> int {
        if (out_chunk) *out_chunk = nullptr;
        if (out_len) *out_len = 0;
        if (!out_chunk) return sw::capi::invalid_argument("out_chunk is NULL");
        if (!out_len) return sw::capi::invalid_argument("out_len is NULL");
        if (!stream) return sw::capi::invalid_argument("stream is NULL");
        if (timeout_ms != 0 && sw::capi::in_callback()) return sw::capi::refuse_in_callback("sw_stream_next");
        auto& state = *stream->state;
        std::unique_lock<std::mutex> lock(state.mutex);
        auto ready = [&] { return !state.chunks.empty() || state.ended; };
        // Beyond a year is "without limit": adding more to a time point could overflow.
        constexpr std::int64_t kForever = 365LL * 86'400'000;
        if (timeout_ms < 0 || timeout_ms > kForever) state.arrived.wait(lock, ready);
        else if (!state.arrived.wait_for(lock, std::chrono::milliseconds(timeout_ms), ready))
            return sw::capi::fail(SW_ERR_TIMEOUT, fmt::format("no chunk within {} ms", timeout_ms));
        if (state.chunks.empty()) return SW_ITER_OVER;  // ended, and everything was read
        stream->current = std::move(state.chunks.front());
        state.chunks.pop_front();
        *out_chunk = stream->current.c_str();
        *out_len = stream->current.size();
        return SW_OK;
    });
}

SW_API sw_request_id sw_stream_id(const sw_stream* stream) {
    return sw::capi::guarded_value<sw_request_id>(0, [&] { return stream ? stream->id : 0; });
}

SW_API const sw_response* sw_stream_response(const sw_stream* stream) {
    return sw::capi::guarded_value<const sw_response*>(nullptr, [&]() -> const sw_response* {
        if (!stream) return nullptr;
        std::lock_guard<std::mutex> lock(stream->state->mutex);
        return stream->state->ended ? stream->state->response.get() : nullptr;
    });
}

SW_API void sw_stream_destroy(sw_stream** stream) {
    sw::capi::guarded_void([&] {
        if (!stream || !*stream) return;
        std::unique_ptr<sw_stream> doomed(*stream);
        *stream = nullptr;
        // Under the lock, `ended` cannot flip while the router is used: a router destroyed
        // first has ended every request, and cancel() only queues work, so nothing waits here.
        std::lock_guard<std::mutex> lock(doomed->state->mutex);
        if (!doomed->state->ended) doomed->router->cancel(doomed->id);
    });
}

}  // extern "C"
