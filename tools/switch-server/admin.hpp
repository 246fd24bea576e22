// admin.hpp — the admin API (/admin/*) and the admin-key check that the config endpoints share.
#pragma once

#include <string_view>

struct evhttp_request;

namespace server {

class Worker;

// True when the request carries the admin key (`Authorization: Bearer KEY` or
// `x-admin-api-key: KEY`). Otherwise it has been answered: 403 when ADMIN_API_KEY is not set
// (the endpoints are disabled, never open), 401 when the key is missing or wrong.
bool admin_allowed(Worker& worker, evhttp_request* req);

// Serves `path` when it is under /admin/; false when it is not an admin path.
bool serve_admin(Worker& worker, evhttp_request* req, std::string_view path);

}  // namespace server
