// trace_headers.cpp — the response headers that say how a request was served.
#include "trace_headers.hpp"

#include <algorithm>
#include <string>

namespace server {

std::int64_t overhead_us(const sw::ChatResponse& r, std::chrono::steady_clock::duration total) {
    return std::chrono::duration_cast<std::chrono::microseconds>(sw::router_overhead(r.trace, total)).count();
}

Headers trace_headers(const sw::ChatResponse& r, sw::RequestId id, std::chrono::steady_clock::duration total,
                      bool want_trace) {
    Headers h;
    h.emplace_back("x-switch-request-id", std::to_string(id));
    if (!r.trace.provider.empty()) h.emplace_back("x-switch-provider", r.trace.provider);
    if (!r.trace.pool_id.empty()) h.emplace_back("x-switch-pool", r.trace.pool_id);
    h.emplace_back("x-switch-used-fallback", r.trace.used_fallback ? "true" : "false");
    if (r.trace.cache_hit) h.emplace_back("x-switch-cache", "hit");  // docs/cache.md
    h.emplace_back("x-switch-overhead-us", std::to_string(overhead_us(r, total)));
    // The trace names providers, pools and classes, never a key or a provider's message.
    if (want_trace) h.emplace_back("x-switch-trace", r.trace_json());
    return h;
}

}  // namespace server
