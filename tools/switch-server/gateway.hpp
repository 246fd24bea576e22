// gateway.hpp — what every event-loop thread shares: the router, the limits, and the count of
// requests in flight that a drain waits for.
#pragma once

#include "client_auth.hpp"
#include "config_state.hpp"
#include "cors.hpp"
#include "rate_limit.hpp"
#include "secret_digest.hpp"
#include "settings.hpp"

#include <switch/router.hpp>

#include <atomic>
#include <memory>
#include <optional>

namespace server {

struct Gateway {
    Gateway(sw::Router& r, const Settings& s) : router(r), settings(s) {}

    sw::Router& router;
    const Settings& settings;
    // Requests handed to the router whose done callback has not yet been handled.
    std::atomic<int> in_flight{0};
    // Set on SIGTERM or SIGINT: new requests get 503 and their connection is closed.
    std::atomic<bool> draining{false};
    // ADMIN_API_KEY's digest; without it the admin and config endpoints are disabled.
    std::optional<SecretDigest> admin_key;
    // The configuration's source and runtime edits (set before the loops start).
    ConfigState* config = nullptr;
    // Who may call the OpenAI endpoints (read at start; never null once serving).
    std::shared_ptr<const AuthPolicy> auth;
    // Per-client request limits; null when RATE_LIMIT_ENABLED is off.
    std::unique_ptr<RateLimiter> limiter;
    // Cross-origin access; nullopt without CORS_ORIGINS.
    std::optional<CorsPolicy> cors;
};

}  // namespace server
