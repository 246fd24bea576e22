// listen_address.hpp — what the mock and switch-server need to listen: a numeric address made
// into a socket address, and the port a listener was given (for --port 0).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>

struct evconnlistener;

namespace http_common {

// `host` (numeric IPv4 or IPv6) and `port` as a socket address; false when `host` is not one.
bool make_address(const std::string& host, std::uint16_t port, sockaddr_storage* out, socklen_t* len);

// The port `listener` is bound to.
std::uint16_t bound_port(evconnlistener* listener);

}  // namespace http_common
