// routes.cpp — which endpoint a request is for, and the checks made before it is routed.
#include "admin.hpp"
#include "admission.hpp"
#include "cache_control.hpp"
#include "catalog.hpp"
#include "config_api.hpp"
#include "correlation_id.hpp"
#include "exchange.hpp"
#include "http_reply.hpp"
#include "legacy_completions.hpp"
#include "worker.hpp"

#include <event2/buffer.h>
#include <event2/http.h>

#include <simdjson.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace server {

namespace {

constexpr std::string_view kBudgetHeader = "x-switch-max-cost-usd";

// A chat request asks for a stream with "stream": true. A body that is not JSON is routed as
// it is, and the library's request check names its problem.
bool wants_stream(const std::string& body) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    bool stream = false;
    if (parser.parse(body).get(root)) return false;
    return root.is_object() && !root["stream"].get(stream) && stream;
}

// The per-request budget header: a finite number of USD, 0 or more. nullopt when malformed.
std::optional<double> parse_budget(const char* text) {
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    if (end == text || *end != '\0' || !std::isfinite(v) || v < 0) return std::nullopt;
    return v;
}

// `client`: who asked, as authentication found (empty without it).
// `legacy`: a /v1/completions request, routed as a chat completion.
void proxy(Worker& worker, evhttp_request* req, Endpoint endpoint, std::string client, bool legacy = false) {
    ExchangeRequest request;
    request.received = std::chrono::steady_clock::now();
    request.endpoint = endpoint;
    request.body = request_body(req);
    const evkeyvalq* in = evhttp_request_get_input_headers(req);
    if (worker.gateway.correlation_ids) {
        const char* given = evhttp_find_header(in, "x-correlation-id");
        if (given == nullptr) given = evhttp_find_header(in, "x-request-id");
        request.options.correlation_id = correlation_id(given);
        // Set first, so that every answer carries it, an error included.
        evhttp_add_header(evhttp_request_get_output_headers(req), "x-correlation-id",
                          request.options.correlation_id.c_str());
    }
    request.options.client_id = std::move(client);
    // W3C trace context: the request joins the caller's trace, and its attempts pass it on
    // upstream (docs/tracing.md); the router ignores a malformed one.
    if (const char* traceparent = evhttp_find_header(in, "traceparent")) {
        request.options.traceparent = traceparent;
        if (const char* tracestate = evhttp_find_header(in, "tracestate")) request.options.tracestate = tracestate;
    }
    if (legacy) {
        std::string error;
        request.body = chat_request_from_completion(request.body, error);
        if (!error.empty()) return send_gateway_error(req, 400, error);
        request.legacy_completion = true;
    }
    if (const char* budget = evhttp_find_header(in, std::string(kBudgetHeader).c_str())) {
        std::optional<double> usd = parse_budget(budget);
        if (!usd) {
            return send_gateway_error(req, 400, std::string(kBudgetHeader) +
                                                    ": expected a number of USD, 0 or more (for example 0.01)");
        }
        request.options.max_cost_usd = usd;
    }
    // The response cache's per-request controls (docs/cache.md); ignored when it is off.
    if (const char* cache_control = evhttp_find_header(in, "Cache-Control")) {
        if (std::string why = read_cache_control(cache_control, request.options.cache); !why.empty())
            return send_gateway_error(req, 400, why);
    }
    const char* trace = evhttp_find_header(in, "x-switch-trace");
    request.want_trace = trace != nullptr && std::string_view(trace) == "1";
    if (endpoint == Endpoint::chat && wants_stream(request.body)) request.endpoint = Endpoint::chat_stream;
    Exchange::start(worker, req, std::move(request));
}

// The client a rate limit counts: the API key's id or the token's subject, else the address.
std::string peer_address(evhttp_request* req) {
    evhttp_connection* evcon = evhttp_request_get_connection(req);
    char* address = nullptr;
    ev_uint16_t port = 0;
    if (evcon != nullptr) evhttp_connection_get_peer(evcon, &address, &port);
    return address != nullptr ? std::string("addr:") + address : std::string("addr:?");
}

// Client authentication, then the client's rate limit (docs/server.md): `go` runs with the
// client (the API key's id or the token's subject; empty without authentication) when the
// request may go on, at once or when the shared limit has answered (admission.hpp); otherwise
// the request has been answered.
void when_client_allowed(Worker& worker, evhttp_request* req, std::string_view scope,
                         std::function<void(std::string)> go) {
    const char* authorization = evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
    Verdict v = check_client(*worker.gateway.auth(), authorization, scope, std::chrono::system_clock::now());
    if (v.status == 200) {
        const std::string limited = v.client.empty() ? peer_address(req) : "id:" + v.client;
        return admit_request(worker, req, limited,
                             [go = std::move(go), client = std::move(v.client)]() mutable { go(std::move(client)); });
    }
    Headers headers;
    if (v.status == 401) headers.emplace_back("WWW-Authenticate", "Bearer");
    send_gateway_error(req, v.status, v.message, headers);
}

void method_not_allowed(evhttp_request* req, const char* allowed) {
    send_gateway_error(req, 405, std::string("method not allowed; use ") + allowed, {{"Allow", allowed}});
}

void serve_metrics(Worker& worker, evhttp_request* req) {
    if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) return method_not_allowed(req, "GET");
    std::string text = worker.gateway.router.metrics_text();
    if (text.empty())
        return send_gateway_error(req, 404, "metrics are turned off (METRICS_ENABLED, or monitoring.metrics.enabled "
                                            "in the config)");
    send_body(req, 200, "text/plain; version=0.0.4; charset=utf-8", text);
}

std::string_view path_of(evhttp_request* req) {
    std::string_view path = evhttp_request_get_uri(req);
    return path.substr(0, path.find('?'));
}

}  // namespace

void Worker::handle_metrics_port(evhttp_request* req) {
    if (path_of(req) == gateway.settings.metrics_path) return serve_metrics(*this, req);
    send_gateway_error(req, 404, "this port serves the metrics only, at " + gateway.settings.metrics_path);
}

void Worker::handle(evhttp_request* req) {
    const std::string_view path = path_of(req);
    const evhttp_cmd_type method = evhttp_request_get_command(req);
    const bool post = method == EVHTTP_REQ_POST, get = method == EVHTTP_REQ_GET;

    if (gateway.draining.load()) {
        return send_gateway_error(req, 503, "the server is shutting down", {{"Connection", "close"}});
    }
    // Before authentication: a browser's preflight carries no credential.
    if (gateway.cors && apply_cors(*gateway.cors, req)) return;
    if (path == "/v1/chat/completions") {
        if (!post) return method_not_allowed(req, "POST");
        return when_client_allowed(*this, req, "chat", [this, req](std::string client) {
            proxy(*this, req, Endpoint::chat, std::move(client));
        });
    }
    if (path == "/v1/completions") {
        if (!post) return method_not_allowed(req, "POST");
        return when_client_allowed(*this, req, "chat", [this, req](std::string client) {
            proxy(*this, req, Endpoint::chat, std::move(client), true);
        });
    }
    if (path == "/v1/embeddings") {
        if (!post) return method_not_allowed(req, "POST");
        return when_client_allowed(*this, req, "embeddings", [this, req](std::string client) {
            proxy(*this, req, Endpoint::embeddings, std::move(client));
        });
    }
    if (path == "/v1/models") {
        if (!get) return method_not_allowed(req, "GET");
        return when_client_allowed(*this, req, "models", [this, req](std::string) {
            send_json(req, 200, models_json(*gateway.router.config()));
        });
    }
    if (path == "/health") {
        if (!get) return method_not_allowed(req, "GET");
        const Health h = health(*gateway.router.config(), gateway.router.status());
        return send_json(req, h.ready ? 200 : 503, h.json);
    }
    // On the gateway's port unless the metrics have a port of their own.
    if (path == gateway.settings.metrics_path && gateway.settings.metrics_port == 0) return serve_metrics(*this, req);
    if (serve_admin(*this, req, path)) return;
    if (serve_config_api(*this, req, path)) return;
    send_gateway_error(req, 404, "no such endpoint: " + std::string(path));
}

}  // namespace server
