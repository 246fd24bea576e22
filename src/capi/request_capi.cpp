// request_capi.cpp — chat and embeddings requests through the C ABI, blocking and not.
#include "capi/callbacks.hpp"
#include "capi/errors.hpp"
#include "capi/handles.hpp"

#include <string_view>

namespace sw::capi {

namespace {

// The arguments every request shares: the router, the body and the options.
int check_request(sw_router* router, const char* request, size_t len, const sw_chat_options* options,
                  ChatOptions& chat_options) {
    if (!router) return invalid_argument("router is NULL");
    if (!request && len > 0) return invalid_argument("request is NULL");
    return read_options(options, chat_options);
}

std::string_view body(const char* request, size_t len) { return std::string_view(request ? request : "", len); }

// Runs a blocking request and hands its response to the caller.
template <typename Call>
int blocking(const char* function, sw_response** out, sw_router* router, const char* request, size_t len,
             const sw_chat_options* options, Call&& call) {
    if (!out) return invalid_argument("out is NULL");
    *out = nullptr;
    ChatOptions chat_options;
    if (int rc = check_request(router, request, len, options, chat_options)) return rc;
    if (in_callback()) return refuse_in_callback(function);
    *out = new sw_response(call(*router->router, body(request, len), chat_options));
    return SW_OK;
}

// Starts a non-blocking request; `done` is required, since someone must release the response.
template <typename Call>
int non_blocking(sw_request_id* out_id, sw_router* router, const char* request, size_t len,
                 const sw_chat_options* options, sw_response_cb done, Call&& call) {
    if (out_id) *out_id = 0;
    ChatOptions chat_options;
    if (int rc = check_request(router, request, len, options, chat_options)) return rc;
    if (!done) return invalid_argument("done is NULL");
    const RequestId id = call(*router->router, body(request, len), chat_options);
    if (out_id) *out_id = id;
    return SW_OK;
}

}  // namespace

}  // namespace sw::capi

using sw::capi::blocking;
using sw::capi::non_blocking;

extern "C" {

SW_API int sw_router_chat(sw_response** out, sw_router* router, const char* request, size_t len,
                          const sw_chat_options* options) {
    return sw::capi::guarded([&]() -> int {
        return blocking("sw_router_chat", out, router, request, len, options,
                        [](sw::Router& r, std::string_view body, const sw::ChatOptions& o) { return r.chat(body, o); });
    });
}

SW_API int sw_router_chat_async(sw_request_id* out_id, sw_router* router, const char* request, size_t len,
                                const sw_chat_options* options, sw_response_cb done, void* user_data) {
    return sw::capi::guarded([&]() -> int {
        return non_blocking(out_id, router, request, len, options, done,
                            [&](sw::Router& r, std::string_view body, const sw::ChatOptions& o) {
                                return r.chat_async(body, sw::capi::done_callback(done, user_data), o);
                            });
    });
}

SW_API int sw_router_chat_stream(sw_response** out, sw_router* router, const char* request, size_t len,
                                 const sw_chat_options* options, sw_chunk_cb on_chunk, void* user_data) {
    return sw::capi::guarded([&]() -> int {
        return blocking("sw_router_chat_stream", out, router, request, len, options,
                        [&](sw::Router& r, std::string_view body, const sw::ChatOptions& o) {
                            return r.chat_stream(body, sw::capi::chunk_callback(on_chunk, user_data), o);
                        });
    });
}

SW_API int sw_router_chat_stream_async(sw_request_id* out_id, sw_router* router, const char* request, size_t len,
                                       const sw_chat_options* options, sw_chunk_cb on_chunk, sw_response_cb done,
                                       void* user_data) {
    return sw::capi::guarded([&]() -> int {
        return non_blocking(out_id, router, request, len, options, done,
                            [&](sw::Router& r, std::string_view body, const sw::ChatOptions& o) {
                                return r.chat_stream_async(body, sw::capi::chunk_callback(on_chunk, user_data),
                                                           sw::capi::done_callback(done, user_data), o);
                            });
    });
}

SW_API int sw_router_embeddings(sw_response** out, sw_router* router, const char* request, size_t len,
                                const sw_chat_options* options) {
    return sw::capi::guarded([&]() -> int {
        return blocking("sw_router_embeddings", out, router, request, len, options,
                        [](sw::Router& r, std::string_view body, const sw::ChatOptions& o) {
                            return r.embeddings(body, o);
                        });
    });
}

SW_API int sw_router_embeddings_async(sw_request_id* out_id, sw_router* router, const char* request, size_t len,
                                      const sw_chat_options* options, sw_response_cb done, void* user_data) {
    return sw::capi::guarded([&]() -> int {
        return non_blocking(out_id, router, request, len, options, done,
                            [&](sw::Router& r, std::string_view body, const sw::ChatOptions& o) {
                                return r.embeddings_async(body, sw::capi::done_callback(done, user_data), o);
                            });
    });
}

}  // extern "C"
