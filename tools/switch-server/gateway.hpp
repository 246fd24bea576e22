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
#include <mutex>
#include <optional>

namespace server {

class SharedRateLimit;

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
    // Who may call the OpenAI endpoints: never null once serving; replaced whole when the
    // configuration changes, while the loops read it.
    std::shared_ptr<const AuthPolicy> auth() const {
        std::lock_guard lock(auth_mutex_);
        return auth_;
    }
    void set_auth(std::shared_ptr<const AuthPolicy> policy) {
        std::lock_guard lock(auth_mutex_);
        auth_ = std::move(policy);
    }
    // Per-client request limits; checks nothing until enabled (RATE_LIMIT_ENABLED or the config).
    RateLimiter limiter{RateLimits{}};
    // The same limits shared through Redis when the config names `redis.url`; null otherwise.
    // The local limiter above then decides only while Redis does not answer.
    SharedRateLimit* shared_limits = nullptr;
    // ENABLE_CORRELATION_ID (monitoring.logging.correlation_id): take or make each request's
    // correlation id, and answer with it. Read at start.
    bool correlation_ids = true;
    // Cross-origin access; nullopt without CORS_ORIGINS.
    std::optional<CorsPolicy> cors;

private:
    mutable std::mutex auth_mutex_;
    std::shared_ptr<const AuthPolicy> auth_;
};

}  // namespace server
