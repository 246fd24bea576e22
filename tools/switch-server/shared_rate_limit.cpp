// shared_rate_limit.cpp — the client's buckets as script keys, and the Redis connections.
#include "shared_rate_limit.hpp"

#include "common/digest.hpp"
#include "common/redis_url.hpp"


#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>

namespace server {

namespace {

std::int64_t ceil_seconds(std::chrono::microseconds us) {
    return std::max<std::int64_t>(0, (us.count() + 999'999) / 1'000'000);
}

}  // namespace

std::vector<sw::redis::WindowLimit> client_windows(std::string_view client, const RateLimits& limits) {
    using std::chrono::microseconds;
    // One hash tag for all of a client's keys: a multi-key script needs them in one slot.
    const std::string prefix = "switch:v1:client:{" + sw::sha256_hex(client) + "}:";
    std::vector<sw::redis::WindowLimit> out;
    if (limits.per_minute > 0) {
        const std::int64_t burst = limits.burst > 0 ? limits.burst : limits.per_minute;
        // A bucket of `burst` refilled at per_minute a minute: empty to full in burst/rate.
        out.push_back({prefix + "minute:" + std::to_string(limits.per_minute) + ":" + std::to_string(burst), burst,
                       microseconds(burst * 60'000'000 / limits.per_minute)});
    }
    if (limits.per_hour > 0)
        out.push_back({prefix + "hour:" + std::to_string(limits.per_hour), limits.per_hour,
                       microseconds(3'600'000'000LL)});
    if (limits.per_day > 0)
        out.push_back({prefix + "day:" + std::to_string(limits.per_day), limits.per_day,
                       microseconds(86'400'000'000LL)});
    return out;
}

std::unique_ptr<SharedRateLimit> SharedRateLimit::from_config(const sw::Config& config, std::string& error) {
    if (config.redis.url.empty()) return nullptr;
    std::optional<sw::RedisUrl> url = sw::parse_redis_url(config.redis.url.reveal(), error);
    if (!url) {
        error = "redis.url: " + error;
        return nullptr;
    }
    if (!config.redis.password.empty()) url->password = config.redis.password;
    std::unique_ptr<SharedRateLimit> shared(new SharedRateLimit());
    shared->engine_ = std::make_unique<sw::transport::HttpEngine>();
    sw::redis::ConnectionOptions options;
    options.url = *url;
    options.call_timeout = config.redis.timeout;
    // Named without its password; stderr is the server's log.
    auto availability = [server = sw::describe_redis_url(*url)](bool available) {
        std::fprintf(stderr, "switch-server: rate limits: Redis at %s %s\n", server.c_str(),
                     available ? "is up: limits are shared" : "is unavailable: each server limits alone");
    };
    shared->client_ = std::make_unique<sw::redis::Client>(std::vector<sw::transport::EventLoop*>{shared->engine_.get()},
                                                          options, config.redis.pool_size, availability);
    const auto until = std::chrono::steady_clock::now() + config.redis.timeout;
    while (!shared->client_->available() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return shared;
}

SharedRateLimit::~SharedRateLimit() { close(); }

void SharedRateLimit::admit(std::string_view client, const RateLimits& limits,
                            std::function<void(std::optional<RateDecision>)> done) {
    std::shared_lock lock(mu_);
    if (!client_) return done(std::nullopt);
    sw::redis::take_window_limits(*client_, client_windows(client, limits), [done = std::move(done)](
                                                                                 sw::redis::WindowDecision w) {
        using Verdict = sw::redis::WindowDecision::Verdict;
        if (w.verdict == Verdict::unavailable) return done(std::nullopt);
        RateDecision d;
        d.allowed = w.verdict == Verdict::admitted;
        d.limit = w.limit;
        d.remaining = w.remaining;
        d.reset_seconds = ceil_seconds(w.reset);
        if (!d.allowed) d.retry_after_seconds = std::max<std::int64_t>(1, ceil_seconds(w.wait));
        done(d);
    });
}

void SharedRateLimit::close() {
    std::unique_ptr<sw::redis::Client> client;
    {
        std::unique_lock lock(mu_);
        client = std::move(client_);
    }
    // Outside the lock: the client waits for its loop to close the connections, and the loop's
    // thread may be in admit()'s callback.
    client.reset();
    if (engine_) engine_->stop();
}

}  // namespace server
