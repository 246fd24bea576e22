// rate_limit.hpp — per-client request limits: token buckets per minute, hour and day
// (RATE_LIMIT_* in docs/server.md). The caller passes the time, so tests are exact.
#pragma once

#include "settings.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace server {

struct RateLimits {
    bool enabled = false;
    std::int64_t per_minute = 60;  // 0: no limit of this kind
    std::int64_t per_hour = 1000;
    std::int64_t per_day = 10000;
    std::int64_t burst = 0;  // the minute bucket's size; 0: per_minute
};

// RATE_LIMIT_ENABLED, RATE_LIMIT_REQUESTS_PER_MINUTE, _PER_HOUR, _PER_DAY, RATE_LIMIT_BURST_SIZE.
// nullopt with `error` set when one is malformed.
std::optional<RateLimits> read_rate_limits(const EnvGetter& env, std::string& error);

struct RateDecision {
    bool allowed = true;
    std::int64_t limit = 0;      // x-ratelimit-limit-requests: the tightest bucket's size
    std::int64_t remaining = 0;  // x-ratelimit-remaining-requests: whole requests left now
    std::int64_t reset_seconds = 0;  // x-ratelimit-reset-requests: until that bucket is full again
    std::int64_t retry_after_seconds = 0;  // when refused: until every bucket has a request
};

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;
    explicit RateLimiter(const RateLimits& limits);

    // Replaces the limits (SIGHUP, PUT /api/v1/config/rate-limits). Thread-safe; every client
    // starts again with full buckets.
    void set_limits(const RateLimits& limits);
    // RateLimits::enabled: when false, requests are not checked at all.
    bool enabled() const { return enabled_.load(); }
    // The limits set last: the shared limiter (shared_rate_limit.hpp) takes them to Redis.
    RateLimits limits() {
        std::lock_guard lock(mutex_);
        return limits_;
    }

    // Takes one request from each of `client`'s buckets, or none when any is empty.
    RateDecision admit(const std::string& client, Clock::time_point now);

private:
    struct Bucket {
        double capacity = 0;
        double per_second = 0;  // refill rate
    };
    struct Client {
        std::vector<double> tokens;
        Clock::time_point last;
    };

    std::atomic<bool> enabled_{false};
    std::mutex mutex_;  // guards buckets_ and clients_
    std::vector<Bucket> buckets_;
    RateLimits limits_;
    std::unordered_map<std::string, Client> clients_;
};

}  // namespace server
