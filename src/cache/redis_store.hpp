// redis_store.hpp — the redis backend: answers kept in one Redis (or Valkey) server that every
// process naming it shares (docs/cache.md, "The redis backend").
//
// - Each answer is one string key, `switch:v1:cache:` + the cache key's hex (the partition is in
//   the key), its value answer_codec.hpp's bytes, written with SET ... PX ttl: every cache key
//   expires, and Redis removes it then, so that no entry outlives its TTL in any process.
// - Redis never holds a request up or fails it: a lookup that times out, finds no connection,
//   gets an error reply or a value it cannot read is a miss, and the request is routed. A store
//   is sent and forgotten; one that does not arrive is an answer not kept.
// - The TTL is Redis's, on its clock, not the router's: a FakeClock does not age these entries.
//   An answer's age (for a request's max-age) is from the wall clock, which processes share.
#pragma once

#include "cache/cache_store.hpp"
#include "cache/client_gate.hpp"

#include "observe/cache_counters.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace sw::cache {

// The prefix of every key the cache writes: apart from the shared state's `switch:v1:limit:`,
// `switch:v1:breaker:` and `switch:v1:probe:`. The version changes with the value's format.
inline constexpr std::string_view kRedisKeyPrefix = "switch:v1:cache:";

// Milliseconds since the Unix epoch, on the wall clock.
using WallClock = std::function<std::int64_t()>;
std::int64_t unix_ms_now();

class RedisStore final : public CacheStore {
public:
    // `max_value_bytes`: the largest value it writes (cache.max_bytes); a larger answer is
    // counted in `too_large` and not stored. `wall_ms` is the wall clock (tests set it).
    RedisStore(std::shared_ptr<ClientGate> gate, std::size_t max_value_bytes,
               std::shared_ptr<observe::CacheCounters> counters, WallClock wall_ms = unix_ms_now);

    // GET: `done` runs once, on a connection's I/O thread, within the call timeout, or at once
    // when no connection is up.
    void lookup(const CacheKey& key, TimePoint now, LookupDone done) override;
    // SET PX, fire and forget. The TTL is `expires` less the answer's stored_at (the router's
    // clock), rounded up to a whole millisecond.
    void store(const CacheKey& key, std::shared_ptr<const CachedAnswer> answer, TimePoint expires) override;

    static std::string key_name(const CacheKey& key);

private:
    std::shared_ptr<ClientGate> gate_;
    std::size_t max_value_bytes_;
    std::shared_ptr<observe::CacheCounters> counters_;
    WallClock wall_ms_;
};

}  // namespace sw::cache
