// http_reply.hpp — sending whole answers: JSON bodies and OpenAI-shaped errors.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct evhttp_request;

namespace server {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The request's whole body (evhttp has read it all before calling the handler).
std::string request_body(evhttp_request* req);

// Sends `body` as `content_type` with `status` and the extra `headers`.
void send_body(evhttp_request* req, int status, const char* content_type, std::string_view body,
               const Headers& headers = {});
// The same as application/json.
void send_json(evhttp_request* req, int status, std::string_view body, const Headers& headers = {});

// An error the gateway itself finds (no route, bad header, unsupported endpoint), in OpenAI's
// error shape, written by the library's own serializer (ChatResponse::error_json()).
std::string gateway_error_json(int status, std::string_view message);
void send_gateway_error(evhttp_request* req, int status, std::string_view message, const Headers& headers = {});

}  // namespace server
