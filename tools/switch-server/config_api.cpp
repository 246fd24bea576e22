// config_api.cpp — GET /api/v1/config/status and PUT /api/v1/config/{routing,models,rate-limits}.
#include "config_api.hpp"

#include "admin.hpp"
#include "config_state.hpp"
#include "http_reply.hpp"
#include "worker.hpp"

#include <event2/http.h>

#include <string>

namespace server {

bool serve_config_api(Worker& worker, evhttp_request* req, std::string_view path) {
    constexpr std::string_view kPrefix = "/api/v1/config/";
    if (path.substr(0, kPrefix.size()) != kPrefix) return false;
    const std::string_view name = path.substr(kPrefix.size());
    const bool is_status = name == "status";
    if (!is_status && name != "routing" && name != "models" && name != "rate-limits") {
        send_gateway_error(req, 404, "no such endpoint: " + std::string(path));
        return true;
    }
    const evhttp_cmd_type method = evhttp_request_get_command(req);
    const evhttp_cmd_type wanted = is_status ? EVHTTP_REQ_GET : EVHTTP_REQ_PUT;
    if (method != wanted) {
        const char* allow = is_status ? "GET" : "PUT";
        send_gateway_error(req, 405, std::string("method not allowed; use ") + allow, {{"Allow", allow}});
        return true;
    }
    if (!admin_allowed(worker, req)) return true;
    ConfigState& state = *worker.gateway.config;
    if (is_status) {
        send_json(req, 200, state.status_json());
        return true;
    }
    // Runs on this event loop: a reload that embeds prompt routes' utterances holds this one
    // loop for that long, and the others go on serving.
    const std::string_view section = name == "routing"       ? "routing"
                                     : name == "rate-limits" ? "server.rate_limits"
                                                             : "routing_preferences";
    const ConfigState::Outcome outcome = state.edit_section(worker.gateway.router, section, request_body(req));
    send_json(req, outcome.status, outcome.json);
    return true;
}

}  // namespace server
