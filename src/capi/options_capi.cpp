// options_capi.cpp — the versioned options structs: initialisation and reading them into the
// C++ options.
#include "capi/callbacks.hpp"
#include "capi/errors.hpp"
#include "capi/handles.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace sw::capi {

namespace {

// A struct of a version this library does not know may have fields it cannot see: refusing it
// is the only way not to ignore them silently. Version 0 is a struct nobody initialised.
int check_version(const char* type, unsigned int version, unsigned int known) {
    if (version == 0)
        return fail(SW_ERR_INVALID_ARGUMENT,
                    fmt::format("invalid argument: {}.version is 0; initialise the struct with its _INIT macro "
                                "or its _init function",
                                type));
    if (version > known)
        return fail(SW_ERR_INVALID_ARGUMENT,
                    fmt::format("invalid argument: {}.version is {}, newer than this library ({}) knows ({})", type,
                                version, SW_VERSION_STRING, known));
    return SW_OK;
}

// Durations are bounded so that adding one to a time point can never overflow.
constexpr std::int64_t kMaxMillis = 86'400'000;  // one day

int check_millis(const char* field, std::int64_t value) {
    if (value < 0 || value > kMaxMillis)
        return fail(SW_ERR_INVALID_ARGUMENT,
                    fmt::format("invalid argument: {} is {}; expected 0 (the default) to {}", field, value, kMaxMillis));
    return SW_OK;
}

}  // namespace

int read_options(const sw_router_options* in, RouterOptions& out) {
    if (!in) return SW_OK;
    if (int rc = check_version("sw_router_options", in->version, SW_ROUTER_OPTIONS_VERSION)) return rc;
    if (int rc = check_millis("connect_timeout_ms", in->connect_timeout_ms)) return rc;
    if (int rc = check_millis("stream_idle_timeout_ms", in->stream_idle_timeout_ms)) return rc;
    if (in->connect_timeout_ms > 0) out.connect_timeout = Millis(in->connect_timeout_ms);
    if (in->stream_idle_timeout_ms > 0) out.stream_idle_timeout = Millis(in->stream_idle_timeout_ms);
    if (in->max_response_bytes > 0) out.max_response_bytes = static_cast<std::size_t>(in->max_response_bytes);
    if (in->version >= 2) {
        if (in->on_event) out.observers.push_back(event_observer(in->on_event, in->event_user_data));
        if (in->io_threads > 64)
            return fail(SW_ERR_INVALID_ARGUMENT,
                        fmt::format("invalid argument: io_threads is {}; expected 0 (the default) to 64", in->io_threads));
        out.io_threads = in->io_threads;
    }
    if (in->version >= 3 && in->embed) {
        if (in->embed_dimensions < 1 || in->embed_dimensions > 65536)
            return fail(SW_ERR_INVALID_ARGUMENT,
                        fmt::format("invalid argument: embed_dimensions is {}; expected 1 to 65536 with embed set",
                                    in->embed_dimensions));
        out.embedder = embed_function(in->embed, in->embed_user_data, in->embed_dimensions);
    }
    if (in->version >= 3 && in->judge) out.judge = judge_function(in->judge, in->judge_user_data);
    if (in->version >= 4 && in->on_log) out.log_sink = log_sink(in->on_log, in->log_user_data);
    if (in->version >= 5 && in->on_span) out.span_sink = span_sink(in->on_span, in->span_user_data);
    return SW_OK;
}

int read_options(const sw_chat_options* in, ChatOptions& out) {
    if (!in) return SW_OK;
    if (int rc = check_version("sw_chat_options", in->version, SW_CHAT_OPTIONS_VERSION)) return rc;
    if (int rc = check_millis("deadline_ms", in->deadline_ms)) return rc;
    if (in->deadline_ms > 0) out.deadline = Millis(in->deadline_ms);
    if (in->version >= 2) {
        if (!(in->max_cost_usd >= 0) || in->max_cost_usd > 1e9)  // also refuses NaN
            return fail(SW_ERR_INVALID_ARGUMENT,
                        fmt::format("invalid argument: max_cost_usd is {}; expected 0 (no budget) to 1e9",
                                    in->max_cost_usd));
        if (in->max_cost_usd > 0) out.max_cost_usd = in->max_cost_usd;
    }
    if (in->version >= 3) {
        if (in->correlation_id) out.correlation_id = in->correlation_id;
        if (in->client_id) out.client_id = in->client_id;
    }
    if (in->version >= 4) {
        if (in->traceparent) out.traceparent = in->traceparent;
        if (in->tracestate) out.tracestate = in->tracestate;
    }
    if (in->version >= 5) {
        // The same bound as the config's default_ttl: 30 days.
        constexpr std::int64_t kMaxTtl = 30LL * 24 * 3600;
        if (in->cache_ttl_s > kMaxTtl)
            return fail(SW_ERR_INVALID_ARGUMENT,
                        fmt::format("invalid argument: cache_ttl_s is {}; expected -1 (the default), 0 (not stored) "
                                    "to {}",
                                    in->cache_ttl_s, kMaxTtl));
        out.cache.no_cache = in->cache_no_cache != 0;
        out.cache.no_store = in->cache_no_store != 0;
        if (in->cache_ttl_s >= 0) out.cache.ttl = std::chrono::seconds(in->cache_ttl_s);
        if (in->cache_partition) out.cache.partition = in->cache_partition;
    }
    return SW_OK;
}

}  // namespace sw::capi

extern "C" {

SW_API int sw_router_options_init(sw_router_options* options, unsigned int version) {
    return sw::capi::guarded([&]() -> int {
        if (!options) return sw::capi::invalid_argument("options is NULL");
        if (int rc = sw::capi::check_version("sw_router_options", version, SW_ROUTER_OPTIONS_VERSION)) return rc;
        // An older caller's struct ends before the later versions' fields: write only its own.
        const sw_router_options defaults SW_ROUTER_OPTIONS_INIT;
        const std::size_t size = version >= 5   ? sizeof defaults
                                 : version == 4 ? offsetof(sw_router_options, on_span)
                                 : version == 3 ? offsetof(sw_router_options, on_log)
                                 : version == 2 ? offsetof(sw_router_options, embed)
                                                : offsetof(sw_router_options, on_event);
        std::memcpy(options, &defaults, size);
        options->version = version;
        return SW_OK;
    });
}

SW_API int sw_chat_options_init(sw_chat_options* options, unsigned int version) {
    return sw::capi::guarded([&]() -> int {
        if (!options) return sw::capi::invalid_argument("options is NULL");
        if (int rc = sw::capi::check_version("sw_chat_options", version, SW_CHAT_OPTIONS_VERSION)) return rc;
        // An older caller's struct ends before the later versions' fields: write only its own.
        const sw_chat_options defaults SW_CHAT_OPTIONS_INIT;
        const std::size_t size = version >= 5   ? sizeof defaults
                                 : version == 4 ? offsetof(sw_chat_options, cache_no_cache)
                                 : version == 3 ? offsetof(sw_chat_options, traceparent)
                                 : version == 2 ? offsetof(sw_chat_options, correlation_id)
                                                : offsetof(sw_chat_options, max_cost_usd);
        std::memcpy(options, &defaults, size);
        options->version = version;
        return SW_OK;
    });
}

}  // extern "C"
