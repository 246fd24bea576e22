// listen_address.cpp — inet_pton into a sockaddr, and getsockname back out.
#include "listen_address.hpp"

#include <arpa/inet.h>
#include <event2/listener.h>
#include <netinet/in.h>

#include <cstring>

namespace http_common {

bool make_address(const std::string& host, std::uint16_t port, sockaddr_storage* out, socklen_t* len) {
    std::memset(out, 0, sizeof *out);
    auto* v4 = reinterpret_cast<sockaddr_in*>(out);
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *len = sizeof(sockaddr_in);
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
    if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *len = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

std::uint16_t bound_port(evconnlistener* listener) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    getsockname(evconnlistener_get_fd(listener), reinterpret_cast<sockaddr*>(&addr), &len);
    if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
}

}  // namespace http_common
