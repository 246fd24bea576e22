// cache_counters.hpp — what the response cache (src/cache/, docs/cache.md) counts: lookups by
// result, stores, evictions by reason, and what it holds. The cache adds to them with relaxed
// atomics; the metrics read them when written out (docs/metrics.md).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sw::observe {

enum class CacheLookup : std::uint8_t {
    hit,
    miss,    // absent, expired, or older than the request's ttl accepts
    bypass,  // the request said no-cache
};
inline constexpr std::size_t kCacheLookupResults = 3;

enum class CacheEviction : std::uint8_t {
    entries,  // the least recently used, for room under max_size
    bytes,    // the least recently used, for room under max_bytes
    expired,  // found past its TTL
};
inline constexpr std::size_t kCacheEvictionReasons = 3;

constexpr std::string_view to_string(CacheLookup r) {
    switch (r) {
        case CacheLookup::hit: return "hit";
        case CacheLookup::miss: return "miss";
        case CacheLookup::bypass: return "bypass";
    }
    return "";
}

constexpr std::string_view to_string(CacheEviction r) {
    switch (r) {
        case CacheEviction::entries: return "entries";
        case CacheEviction::bytes: return "bytes";
        case CacheEviction::expired: return "expired";
    }
    return "";
}

struct CacheCounters {
    std::array<std::atomic<std::uint64_t>, kCacheLookupResults> lookups{};
    std::atomic<std::uint64_t> stores{0};
    std::atomic<std::uint64_t> too_large{0};  // answers bigger than the store may hold, not stored
    std::array<std::atomic<std::uint64_t>, kCacheEvictionReasons> evictions{};
    std::atomic<std::int64_t> entries{0};
    std::atomic<std::int64_t> bytes{0};

    void count(CacheLookup r) { lookups[static_cast<std::size_t>(r)].fetch_add(1, std::memory_order_relaxed); }
    void count(CacheEviction r) { evictions[static_cast<std::size_t>(r)].fetch_add(1, std::memory_order_relaxed); }
    std::uint64_t of(CacheLookup r) const { return lookups[static_cast<std::size_t>(r)].load(std::memory_order_relaxed); }
    std::uint64_t of(CacheEviction r) const {
        return evictions[static_cast<std::size_t>(r)].load(std::memory_order_relaxed);
    }
};

}  // namespace sw::observe
