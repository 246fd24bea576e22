// config_api.hpp — ModelMuxer's runtime configuration endpoints (/api/v1/config/*), behind the
// admin key.
#pragma once

#include <string_view>

struct evhttp_request;

namespace server {

class Worker;

// Serves `path` when it is under /api/v1/config/; false when it is not.
bool serve_config_api(Worker& worker, evhttp_request* req, std::string_view path);

}  // namespace server
