// cache_store.hpp — the seam between the response cache's policy (response_cache.hpp) and where
// answers are kept. The memory store answers at once; a shared store (Redis, later) answers on a
// thread of its own after a round trip, which is why lookup takes a callback rather than
// returning. A store never calls back while it holds a lock.
#pragma once

#include "cache/cache_key.hpp"
#include "cache/cached_answer.hpp"

#include <switch/clock.hpp>

#include <functional>
#include <memory>

namespace sw::cache {

// A hit, or null for a miss (absent or expired at `now`).
using LookupDone = std::function<void(std::shared_ptr<const CachedAnswer>)>;

class CacheStore {
public:
    virtual ~CacheStore() = default;
    // Thread-safe. `done` runs exactly once: here, before lookup returns, for the memory store.
    virtual void lookup(const CacheKey& key, TimePoint now, LookupDone done) = 0;
    // Thread-safe, and never blocks on the network. Replaces an answer already stored for `key`.
    virtual void store(const CacheKey& key, std::shared_ptr<const CachedAnswer> answer, TimePoint expires) = 0;
};

}  // namespace sw::cache
