// bodies.cpp — builds the mock provider's JSON answers by appending, so the hot path allocates little.
#include "bodies.hpp"

#include <fmt/format.h>

#include <iterator>

namespace mock {

void append_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
                else out.push_back(ch);
        }
    }
    out.push_back('"');
}

ErrorKind default_error(int status) {
    switch (status) {
        case 400: return {"invalid_request_error", "invalid_request", "Bad request (mock)."};
        case 401: return {"invalid_request_error", "invalid_api_key", "Incorrect API key provided (mock)."};
        case 403: return {"permission_error", "permission_denied", "Permission denied (mock)."};
        case 404: return {"invalid_request_error", "model_not_found", "The model does not exist (mock)."};
        case 408: return {"timeout_error", "timeout", "Request timed out (mock)."};
        case 409: return {"invalid_request_error", "conflict", "Conflict (mock)."};
        case 413: return {"invalid_request_error", "request_too_large", "Request too large (mock)."};
        case 422: return {"invalid_request_error", "unprocessable_entity", "Unprocessable entity (mock)."};
        case 429: return {"requests", "rate_limit_exceeded", "Rate limit reached (mock)."};
        case 500: return {"server_error", "server_error", "The server had an error (mock)."};
        case 502: return {"server_error", "bad_gateway", "Bad gateway (mock)."};
        case 503: return {"server_error", "service_unavailable", "The server is overloaded (mock)."};
        case 504: return {"server_error", "gateway_timeout", "Gateway timeout (mock)."};
        default: break;
    }
    if (status >= 500) return {"server_error", "server_error", "Server error (mock)."};
    return {"invalid_request_error", "invalid_request", "Request error (mock)."};
}

}  // namespace mock
