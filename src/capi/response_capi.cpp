// response_capi.cpp — sw_response: building one from a ChatResponse, and its accessors.
#include "capi/errors.hpp"
#include "capi/handles.hpp"

#include <new>

sw_response::sw_response(sw::ChatResponse r)
    : response(std::move(r)),
      error_class(sw::to_string(response.error_class)),
      route_error(response.trace.error == sw::RouteError::none ? std::string_view()
                                                               : sw::to_string(response.trace.error)),
      trace_json(response.trace_json()),
      error_json(response.ok() ? std::string() : response.error_json()) {}

namespace sw::capi {

sw_response* new_response(ChatResponse r) noexcept {
    try {
        return new sw_response(std::move(r));
    } catch (...) {
        return nullptr;
    }
}

int result_of(int http_status) noexcept {
    switch (http_status) {
        case 200: return SW_OK;
        case 499: return SW_ERR_CANCELLED;
        case 504: return SW_ERR_TIMEOUT;
        default: return SW_ERR_REQUEST_FAILED;
    }
}

}  // namespace sw::capi

namespace {

// Accessors read an immutable response; each is a guarded read with a value for NULL.
template <typename T, typename Get>
T get(const sw_response* r, T fallback, Get&& getter) noexcept {
    return sw::capi::guarded_value<T>(fallback, [&]() -> T { return r ? getter(*r) : fallback; });
}

using Response = const sw_response&;

}  // namespace

extern "C" {

SW_API void sw_response_destroy(sw_response** response) {
    sw::capi::guarded_void([&] {
        if (!response || !*response) return;
        delete *response;
        *response = nullptr;
    });
}

SW_API int sw_response_result(const sw_response* r) {
    return get(r, static_cast<int>(SW_ERR_INVALID_ARGUMENT),
               [](Response x) { return sw::capi::result_of(x.response.status); });
}
SW_API int sw_response_status(const sw_response* r) {
    return get(r, 0, [](Response x) { return x.response.status; });
}
SW_API const char* sw_response_error_class(const sw_response* r) {
    return get(r, "", [](Response x) { return x.error_class.c_str(); });
}
SW_API const char* sw_response_route_error(const sw_response* r) {
    return get(r, "", [](Response x) { return x.route_error.c_str(); });
}
SW_API const char* sw_response_error(const sw_response* r) {
    return get(r, "", [](Response x) { return x.response.error.c_str(); });
}
SW_API const char* sw_response_body(const sw_response* r) {
    return get(r, "", [](Response x) { return x.response.body.c_str(); });
}
SW_API const char* sw_response_text(const sw_response* r) {
    return get(r, "", [](Response x) { return x.response.text.c_str(); });
}
SW_API const char* sw_response_finish_reason(const sw_response* r) {
    return get(r, "", [](Response x) { return x.response.finish_reason.c_str(); });
}

SW_API uint64_t sw_response_prompt_tokens(const sw_response* r) {
    return get<uint64_t>(r, 0, [](Response x) { return x.response.usage.input_tokens; });
}
SW_API uint64_t sw_response_completion_tokens(const sw_response* r) {
    return get<uint64_t>(r, 0, [](Response x) { return x.response.usage.output_tokens; });
}
SW_API uint64_t sw_response_total_tokens(const sw_response* r) {
    return get<uint64_t>(r, 0, [](Response x) { return x.response.usage.total(); });
}

SW_API int sw_response_has_cost(const sw_response* r) {
    return get(r, 0, [](Response x) { return x.response.cost_usd ? 1 : 0; });
}
SW_API double sw_response_cost_usd(const sw_response* r) {
    return get(r, 0.0, [](Response x) { return x.response.cost_usd.value_or(0.0); });
}

SW_API const char* sw_response_provider(const sw_response* r) {
    return get(r, "", [](Response x) { return x.response.trace.provider.c_str(); });
}
SW_API const char* sw_response_pool(const sw_response* r) {
    return get(r, "", [](Response x) { return x.response.trace.pool_id.c_str(); });
}
SW_API int sw_response_used_fallback(const sw_response* r) {
    return get(r, 0, [](Response x) { return x.response.trace.used_fallback ? 1 : 0; });
}
SW_API const char* sw_response_trace_json(const sw_response* r) {
    return get(r, "", [](Response x) { return x.trace_json.c_str(); });
}

SW_API const char* sw_response_error_json(const sw_response* r) {
    return get(r, "", [](Response x) { return x.error_json.c_str(); });
}

}  // extern "C"
