// admin.cpp — GET /admin/providers/status and POST /admin/providers/{pool}/{provider}/reset.
#include "admin.hpp"

#include "common/json_writer.hpp"
#include "http_reply.hpp"
#include "worker.hpp"

#include <switch/trace.hpp>

#include <event2/http.h>

#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>

namespace server {

namespace {

constexpr std::string_view kPrefix = "/admin/providers/";

// The key as the client sent it, or nullopt. The Bearer scheme is matched case-insensitively
// (RFC 7235); the key itself is never copied anywhere but into the digest.
std::optional<std::string_view> presented_key(evhttp_request* req) {
    const evkeyvalq* in = evhttp_request_get_input_headers(req);
    if (const char* key = evhttp_find_header(in, "x-admin-api-key")) return std::string_view(key);
    const char* auth = evhttp_find_header(in, "Authorization");
    if (auth == nullptr) return std::nullopt;
    std::string_view value(auth);
    constexpr std::string_view scheme = "bearer ";
    if (value.size() <= scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(value[i])) != scheme[i]) return std::nullopt;
    return value.substr(scheme.size());
}

// One percent-decoded path segment; nullopt when it is empty or does not decode.
std::optional<std::string> segment(std::string_view raw) {
    if (raw.empty()) return std::nullopt;
    std::size_t size = 0;
    char* decoded = evhttp_uridecode(std::string(raw).c_str(), 0, &size);
    if (decoded == nullptr) return std::nullopt;
    std::string out(decoded, size);
    std::free(decoded);
    return out;
}

void reset(Worker& worker, evhttp_request* req, std::string_view rest) {
    // rest is "{pool}/{provider}/reset".
    const std::size_t slash = rest.find('/');
    const std::size_t last = rest.rfind('/');
    if (slash == std::string_view::npos || last == slash || rest.substr(last) != "/reset")
        return send_gateway_error(req, 404, "no such endpoint; use POST /admin/providers/{pool}/{provider}/reset");
    const std::optional<std::string> pool = segment(rest.substr(0, slash));
    const std::optional<std::string> provider = segment(rest.substr(slash + 1, last - slash - 1));
    if (!pool || !provider)
        return send_gateway_error(req, 404, "no such endpoint; use POST /admin/providers/{pool}/{provider}/reset");
    if (!worker.gateway.router.reset_breaker(*pool, *provider))
        return send_gateway_error(req, 404, "no provider " + *provider + " in pool " + *pool);
    sw::JsonWriter w;
    w.begin_object().key("reset").boolean(true).key("pool").string(*pool).key("provider").string(*provider);
    w.end_object();
    send_json(req, 200, w.str());
}

}  // namespace

bool admin_allowed(Worker& worker, evhttp_request* req) {
    const std::optional<SecretDigest>& expected = worker.gateway.admin_key;
    if (!expected) {
        send_gateway_error(req, 403, "the admin and config endpoints are disabled: set ADMIN_API_KEY to enable them");
        return false;
    }
    const std::optional<std::string_view> key = presented_key(req);
    if (!key || !expected->matches(*key)) {
        send_gateway_error(req, 401,
                           key ? "the admin key is not valid"
                               : "an admin key is required: send Authorization: Bearer KEY or x-admin-api-key",
                           {{"WWW-Authenticate", "Bearer"}});
        return false;
    }
    return true;
}

bool serve_admin(Worker& worker, evhttp_request* req, std::string_view path) {
    if (path.substr(0, 7) != "/admin/") return false;
    const evhttp_cmd_type method = evhttp_request_get_command(req);
    if (path == "/admin/providers/status") {
        if (method != EVHTTP_REQ_GET) {
            send_gateway_error(req, 405, "method not allowed; use GET", {{"Allow", "GET"}});
        } else if (admin_allowed(worker, req)) {
            send_json(req, 200, sw::to_json(worker.gateway.router.status()));
        }
        return true;
    }
    if (path.substr(0, kPrefix.size()) == kPrefix && path.size() > 6 && path.substr(path.size() - 6) == "/reset") {
        if (method != EVHTTP_REQ_POST) {
            send_gateway_error(req, 405, "method not allowed; use POST", {{"Allow", "POST"}});
        } else if (admin_allowed(worker, req)) {
            reset(worker, req, path.substr(kPrefix.size()));
        }
        return true;
    }
    send_gateway_error(req, 404, "no such endpoint: " + std::string(path));
    return true;
}

}  // namespace server
