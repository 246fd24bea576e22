// router_capi.cpp — sw_router: creation, destruction, reload and the operator functions.
#include "capi/callbacks.hpp"
#include "capi/errors.hpp"
#include "capi/handles.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <thread>

extern "C" {

SW_API int sw_router_create(sw_router** out, const sw_config* config, const sw_router_options* options) {
    return sw::capi::guarded([&]() -> int {
        if (!out) return sw::capi::invalid_argument("out is NULL");
        *out = nullptr;
        if (!config) return sw::capi::invalid_argument("config is NULL");
        sw::RouterOptions router_options;
        if (int rc = sw::capi::read_options(options, router_options)) return rc;
        try {
            *out = new sw_router{std::make_unique<sw::Router>(config->config, std::move(router_options))};
        } catch (const std::invalid_argument& e) {
            // The routing core's own limits, such as providers per pool.
            return sw::capi::fail(SW_ERR_CONFIG, e.what());
        }
        return SW_OK;
    });
}

SW_API void sw_router_destroy(sw_router** router) {
    sw::capi::guarded_void([&] {
        if (!router || !*router) return;
        sw_router* doomed = *router;
        *router = nullptr;
        if (!sw::capi::in_callback()) {
            delete doomed;
            return;
        }
        // This thread is an I/O thread, perhaps this router's own, which the shutdown must join:
        // it happens on a helper thread instead, once the callback has returned.
        try {
            std::thread([doomed] { delete doomed; }).detach();
        } catch (...) {
            delete doomed;  // no thread to be had: a leak would be worse than joining late
        }
    });
}

SW_API int sw_router_reload(sw_router* router, const sw_config* config) {
    return sw::capi::guarded([&]() -> int {
        if (!router) return sw::capi::invalid_argument("router is NULL");
        if (!config) return sw::capi::invalid_argument("config is NULL");
        try {
            router->router->reload(config->config);
        } catch (const std::invalid_argument& e) {
            return sw::capi::fail(SW_ERR_CONFIG, e.what());
        }
        return SW_OK;
    });
}

SW_API int sw_router_status_json(char** out, sw_router* router) {
    return sw::capi::guarded([&]() -> int {
        if (!out) return sw::capi::invalid_argument("out is NULL");
        *out = nullptr;
        if (!router) return sw::capi::invalid_argument("router is NULL");
        *out = sw::capi::owned_copy(sw::to_json(router->router->status()));
        return SW_OK;
    });
}

SW_API int sw_router_metrics(char** out, sw_router* router, int format) {
    return sw::capi::guarded([&]() -> int {
        if (!out) return sw::capi::invalid_argument("out is NULL");
        *out = nullptr;
        if (!router) return sw::capi::invalid_argument("router is NULL");
        if (format != SW_METRICS_PROMETHEUS && format != SW_METRICS_JSON)
            return sw::capi::invalid_argument(fmt::format("unknown metrics format {}", format).c_str());
        *out = sw::capi::owned_copy(format == SW_METRICS_JSON ? router->router->metrics_json()
                                                              : router->router->metrics_text());
        return SW_OK;
    });
}

SW_API int sw_router_reset_breaker(sw_router* router, const char* pool_id, const char* provider) {
    return sw::capi::guarded([&]() -> int {
        if (!router) return sw::capi::invalid_argument("router is NULL");
        if (!pool_id) return sw::capi::invalid_argument("pool_id is NULL");
        if (!provider) return sw::capi::invalid_argument("provider is NULL");
        if (!router->router->reset_breaker(pool_id, provider))
            return sw::capi::fail(SW_ERR_NOT_FOUND,
                                  fmt::format("no provider \"{}\" in a pool \"{}\"", provider, pool_id));
        return SW_OK;
    });
}

SW_API int sw_router_cancel(sw_router* router, sw_request_id id) {
    return sw::capi::guarded([&]() -> int {
        if (!router) return sw::capi::invalid_argument("router is NULL");
        router->router->cancel(id);
        return SW_OK;
    });
}

}  // extern "C"
