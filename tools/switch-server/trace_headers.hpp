// trace_headers.hpp — how a routed request was served, as response headers (docs/server.md).
#pragma once

#include "http_reply.hpp"

#include <switch/router.hpp>

#include <chrono>
#include <cstdint>

namespace server {

// The time the gateway added: the request's wall time here minus the upstream time the trace
// reports (every attempt's latency and the backoff before it), never below 0.
std::int64_t overhead_us(const sw::ChatResponse& r, std::chrono::steady_clock::duration total);

// x-switch-request-id, x-switch-provider, x-switch-pool, x-switch-used-fallback,
// x-switch-overhead-us, x-switch-cache: hit for an answer from the response cache, and with `want_trace` x-switch-trace (the trace's JSON).
Headers trace_headers(const sw::ChatResponse& r, sw::RequestId id, std::chrono::steady_clock::duration total,
                      bool want_trace);

}  // namespace server
