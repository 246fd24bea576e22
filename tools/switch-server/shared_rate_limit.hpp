// shared_rate_limit.hpp — the per-client limits shared by every switch-server on one Redis
// (docs/server.md, docs/scaling.md): when the config names `redis.url`, a request is admitted
// only when the server's script finds room in all the client's buckets, so N replicas behind a
// load balancer enforce one limit together. When Redis does not answer within `redis.timeout`,
// the caller's local RateLimiter decides: an outage never fails or stalls a request.
#pragma once

#include "rate_limit.hpp"

#include "redis/client.hpp"
#include "redis/window_limit.hpp"
#include "transport/http_engine.hpp"

#include <switch/config.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace server {

// The client's buckets as the script's keys: `switch:v1:client:{<SHA-256 of the client>}:...`,
// never the client itself (an address, or an API key's id). The limit's numbers are part of
// each key, so a reload that changes them starts the client on fresh buckets, as the local
// limiter does; the old keys expire when full.
std::vector<sw::redis::WindowLimit> client_windows(std::string_view client, const RateLimits& limits);

class SharedRateLimit {
public:
    // nullptr without `redis.url`. The connections live on an I/O thread of their own, so that
    // the workers' loops never wait on Redis. Waits for the first connection up to one call's
    // timeout, as the router's shared state does, so a fleet starting together does not decide
    // its first requests alone. Fails (nullptr and `error`) on a malformed URL.
    static std::unique_ptr<SharedRateLimit> from_config(const sw::Config& config, std::string& error);
    ~SharedRateLimit();
    SharedRateLimit(const SharedRateLimit&) = delete;
    SharedRateLimit& operator=(const SharedRateLimit&) = delete;

    // Takes one request from `client`'s buckets. `done` runs once, on the Redis thread or at once
    // on the calling thread: the decision, or nullopt when Redis did not give one (the local
    // limiter's turn).
    void admit(std::string_view client, const RateLimits& limits,
               std::function<void(std::optional<RateDecision>)> done);

    // Closes the connections (pending calls hear nullopt) and stops the thread. Before the
    // workers' loops stop, not on one of them. Idempotent.
    void close();

private:
    SharedRateLimit() = default;

    std::unique_ptr<sw::transport::HttpEngine> engine_;
    std::shared_mutex mu_;  // exclusive only while close() takes client_ away
    std::unique_ptr<sw::redis::Client> client_;
};

}  // namespace server
