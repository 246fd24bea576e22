// cache_control.hpp — a request's Cache-Control header as the response cache's per-request
// controls (docs/cache.md, "In switch-server"): no-cache, no-store and max-age=N (the request's
// ttl). Other directives are ignored, as HTTP caches ignore what they do not use.
#pragma once

#include <switch/router.hpp>

#include <string>
#include <string_view>

namespace server {

// Reads `header` into `out`. Returns "" on success, or why the header cannot be used (a max-age
// that is not a whole number of seconds up to 30 days), for a 400.
std::string read_cache_control(std::string_view header, sw::CacheOptions& out);

}  // namespace server
