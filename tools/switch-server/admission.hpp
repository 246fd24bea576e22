// admission.hpp — the client's rate limit before a request goes on (docs/server.md): local, or
// shared through Redis without blocking the worker's loop.
#pragma once

#include <functional>
#include <string>

struct evhttp_request;

namespace server {

class Worker;

// Takes one request from `client`'s limits (its id, or its address). Admitted: `go` runs on the
// worker's thread (at once, or when Redis has answered). Refused: a 429 with Retry-After.
// Either way the answer carries the x-ratelimit-* headers. When the client's connection
// closes while Redis is asked, neither happens.
void admit_request(Worker& worker, evhttp_request* req, const std::string& client, std::function<void()> go);

}  // namespace server
