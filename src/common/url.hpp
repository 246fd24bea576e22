// url.hpp — checks on provider base URLs, with libcurl's URL parser.
#pragma once

#include <string>
#include <string_view>

namespace sw {

// "" when `url` is an acceptable apiBase; otherwise the reason. Accepted: http or https, a host,
// no user info, no query or fragment, no whitespace or control characters.
std::string check_api_base(std::string_view url);

// True when the URL's host is 127.0.0.0/8, ::1 or localhost.
bool is_loopback_url(std::string_view url);

}  // namespace sw
