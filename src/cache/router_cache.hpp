// router_cache.hpp — the response cache a router builds from its first config, with what its
// backend owns. The memory backend owns nothing beyond the cache. The redis backend owns a Redis
// client of its own (cache.redis.pool_size connections over the router's I/O threads), apart
// from any the shared state uses, since its server may be another.
//
// Order at shutdown: close() before the I/O threads stop, and not on one of them. The client
// then closes its connections on their loops (pending lookups are misses), and any store after
// it, from a request the shutdown completes, is dropped (client_gate.hpp).
#pragma once

#include "cache/client_gate.hpp"
#include "cache/response_cache.hpp"

#include "transport/io.hpp"

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace sw::cache {

// Told on an I/O thread when the redis backend's last connection goes down (false) and when one
// is up again, the first one included (true); `server` is redis://HOST:PORT/DB, never a
// password. Must not block or call the cache.
using AvailabilityListener = std::function<void(bool available, std::string_view server)>;

class RouterCache {
public:
    // The cache `config` describes (which must be enabled), its redis client dialling at once on
    // `loops`, which must outlive close(). Throws std::invalid_argument when the redis backend's
    // URL does not parse (a config built by hand: the loader refuses one); the reason never holds
    // the URL.
    RouterCache(const CacheConfig& config, std::shared_ptr<Clock> clock, std::vector<transport::EventLoop*> loops,
                AvailabilityListener listener = {});
    ~RouterCache();  // close()
    RouterCache(const RouterCache&) = delete;
    RouterCache& operator=(const RouterCache&) = delete;

    const std::shared_ptr<ResponseCache>& cache() const { return cache_; }
    // The redis backend's client; null for the memory backend, or once closed.
    redis::Client* client() const { return client_.get(); }
    // Idempotent. See above for when.
    void close();

private:
    std::unique_ptr<redis::Client> client_;
    std::shared_ptr<ClientGate> gate_;
    std::shared_ptr<ResponseCache> cache_;
};

}  // namespace sw::cache
