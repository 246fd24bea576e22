// cors.hpp — cross-origin access for browsers, from CORS_ORIGINS, CORS_METHODS and CORS_HEADERS
// (ModelMuxer's; docs/server.md, "CORS").
#pragma once

#include "settings.hpp"

#include <optional>
#include <string>
#include <vector>

struct evhttp_request;

namespace server {

struct CorsPolicy {
    std::vector<std::string> origins;  // exact origins; "*" allows any
    std::vector<std::string> methods;
    std::vector<std::string> headers;  // "*" allows whatever a preflight asks for
};

// nullopt when CORS_ORIGINS is unset or empty (no cross-origin access). Each variable is a JSON
// array (ModelMuxer's form, `["http://localhost:3000"]`) or a comma-separated list. `error` is
// set, and nullopt returned, when one does not parse.
std::optional<CorsPolicy> read_cors(const EnvGetter& env, std::string& error);

// Adds the CORS headers a request from an allowed origin gets. Answers a preflight (OPTIONS with
// Origin and Access-Control-Request-Method) itself and returns true; false otherwise.
bool apply_cors(const CorsPolicy& policy, evhttp_request* req);

}  // namespace server
