// router_cache.cpp — choosing the store, and the redis client's life.
#include "cache/router_cache.hpp"

#include "cache/redis_store.hpp"

#include <stdexcept>

namespace sw::cache {

namespace {

redis::ConnectionOptions connection_options(const CacheRedisConfig& config) {
    std::string error;
    std::optional<RedisUrl> url = parse_redis_url(config.url.reveal(), error);
    if (!url) throw std::invalid_argument("Router: cache.redis.url: " + error);
    if (!config.password.empty()) url->password = config.password;
    redis::ConnectionOptions options;
    options.url = std::move(*url);
    options.call_timeout = config.timeout;
    return options;
}

}  // namespace

RouterCache::RouterCache(const CacheConfig& config, std::shared_ptr<Clock> clock,
                         std::vector<transport::EventLoop*> loops, AvailabilityListener listener) {
    if (config.backend != sw::CacheBackend::redis) {
        cache_ = std::make_shared<ResponseCache>(config, std::move(clock));
        return;
    }
    redis::ConnectionOptions options = connection_options(config.redis);
    redis::Client::AvailabilityListener heard;
    if (listener)
        heard = [listener = std::move(listener), server = describe_redis_url(options.url)](bool up) {
            listener(up, server);
        };
    client_ = std::make_unique<redis::Client>(std::move(loops), std::move(options), config.redis.pool_size,
                                              std::move(heard));
    gate_ = std::make_shared<ClientGate>(*client_);
    auto counters = std::make_shared<observe::CacheCounters>();
    cache_ = std::make_shared<ResponseCache>(config, std::move(clock),
                                             std::make_unique<RedisStore>(gate_, config.max_bytes, counters), counters);
}

RouterCache::~RouterCache() { close(); }

void RouterCache::close() {
    if (gate_) gate_->close();
    // Its destructor closes each connection on its loop and waits for it: pending lookups hear
    // `unavailable` there, as misses, while the loops still run the requests they continue.
    client_.reset();
}

}  // namespace sw::cache
