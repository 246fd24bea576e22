// cors.cpp — CORS headers and preflight answers.
#include "cors.hpp"

#include "http_reply.hpp"

#include <event2/http.h>

#include <simdjson.h>

#include <algorithm>

namespace server {

namespace {

std::string trim(std::string_view s) {
    const std::size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

std::optional<std::vector<std::string>> parse_list(const std::string& text) {
    std::vector<std::string> out;
    if (!trim(text).empty() && trim(text)[0] == '[') {
        simdjson::dom::parser parser;
        simdjson::dom::array items;
        if (parser.parse(text).get(items)) return std::nullopt;
        for (simdjson::dom::element e : items) {
            std::string_view v;
            if (e.get(v)) return std::nullopt;
            if (!trim(v).empty()) out.push_back(trim(v));
        }
        return out;
    }
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(',', start), text.size());
        if (std::string item = trim(std::string_view(text).substr(start, end - start)); !item.empty())
            out.push_back(std::move(item));
        start = end + 1;
    }
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

bool contains(const std::vector<std::string>& items, std::string_view v) {
    return std::find(items.begin(), items.end(), v) != items.end();
}

}  // namespace

std::optional<CorsPolicy> read_cors(const EnvGetter& env, std::string& error) {
    CorsPolicy p;
    const std::pair<const char*, std::vector<std::string>*> lists[] = {
        {"CORS_ORIGINS", &p.origins}, {"CORS_METHODS", &p.methods}, {"CORS_HEADERS", &p.headers}};
    for (const auto& [name, out] : lists)
        if (auto v = env(name)) {
            auto items = parse_list(*v);
            if (!items) {
                error = std::string(name) + ": expected a JSON array of strings or a comma-separated list";
                return std::nullopt;
            }
            *out = std::move(*items);
        }
    if (p.origins.empty()) return std::nullopt;
    if (p.methods.empty()) p.methods = {"GET", "POST", "PUT", "DELETE"};
    if (p.headers.empty()) p.headers = {"Authorization", "Content-Type"};
    return p;
}

bool apply_cors(const CorsPolicy& policy, evhttp_request* req) {
    const evkeyvalq* in = evhttp_request_get_input_headers(req);
    const char* origin = evhttp_find_header(in, "Origin");
    const bool preflight = evhttp_request_get_command(req) == EVHTTP_REQ_OPTIONS && origin != nullptr &&
                           evhttp_find_header(in, "Access-Control-Request-Method") != nullptr;
    const bool any = contains(policy.origins, "*");
    const bool allowed = origin != nullptr && (any || contains(policy.origins, origin));
    if (!allowed) {
        if (preflight) send_gateway_error(req, 403, "this origin may not call the server (CORS_ORIGINS)");
        return preflight;
    }
    evkeyvalq* out = evhttp_request_get_output_headers(req);
    // A listed origin is echoed, with Vary, so that a cache keeps one answer per origin.
    evhttp_add_header(out, "Access-Control-Allow-Origin", any ? "*" : origin);
    if (!any) evhttp_add_header(out, "Vary", "Origin");
    if (!preflight) {
        evhttp_add_header(out, "Access-Control-Expose-Headers",
                          "x-correlation-id, x-switch-request-id, x-switch-provider, x-switch-pool, x-switch-used-fallback, "
                          "x-switch-overhead-us, x-switch-trace, x-ratelimit-limit-requests, "
                          "x-ratelimit-remaining-requests, x-ratelimit-reset-requests, Retry-After");
        return false;
    }
    evhttp_add_header(out, "Access-Control-Allow-Methods", join(policy.methods).c_str());
    const char* asked = evhttp_find_header(in, "Access-Control-Request-Headers");
    const std::string headers = contains(policy.headers, "*") ? (asked ? asked : "") : join(policy.headers);
    if (!headers.empty()) evhttp_add_header(out, "Access-Control-Allow-Headers", headers.c_str());
    evhttp_add_header(out, "Access-Control-Max-Age", "600");
    send_body(req, 204, "text/plain", "");
    return true;
}

}  // namespace server
