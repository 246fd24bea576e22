// http_reply.cpp — whole answers over evhttp.
#include "http_reply.hpp"

#include "http_common/reason_phrase.hpp"

#include <switch/router.hpp>

#include <event2/buffer.h>
#include <event2/http.h>

namespace server {

std::string request_body(evhttp_request* req) {
    evbuffer* in = evhttp_request_get_input_buffer(req);
    std::string body(evbuffer_get_length(in), '\0');
    evbuffer_copyout(in, body.data(), body.size());
    return body;
}

void send_json(evhttp_request* req, int status, std::string_view body, const Headers& headers) {
    send_body(req, status, "application/json", body, headers);
}

void send_body(evhttp_request* req, int status, const char* content_type, std::string_view body,
               const Headers& headers) {
    evkeyvalq* out = evhttp_request_get_output_headers(req);
    evhttp_add_header(out, "Content-Type", content_type);
    for (const auto& [name, value] : headers) evhttp_add_header(out, name.c_str(), value.c_str());
    evbuffer_add(evhttp_request_get_output_buffer(req), body.data(), body.size());
    evhttp_send_reply(req, status, http_common::reason_phrase(status), nullptr);
}

std::string gateway_error_json(int status, std::string_view message) {
    // The same shape, type and code rules as a routed request's error: a 4xx with no route
    // error is the caller's (type bad_request, code invalid_request).
    sw::ChatResponse r;
    r.status = status;
    r.error = std::string(message);
    r.error_class = status < 500 ? sw::ErrorClass::invalid_request : sw::ErrorClass::transient;
    return r.error_json();
}

void send_gateway_error(evhttp_request* req, int status, std::string_view message, const Headers& headers) {
    send_json(req, status, gateway_error_json(status, message), headers);
}

}  // namespace server
