// memory_store.cpp — the sharded LRU.
#include "cache/memory_store.hpp"

#include <algorithm>
#include <iterator>

namespace sw::cache {

namespace {

constexpr std::size_t kMaxShards = 16;
constexpr std::size_t kMinShardEntries = 256;
constexpr std::size_t kMinShardBytes = 1u << 20;
// What an index slot and a list node cost beyond the answer itself.
constexpr std::size_t kEntryOverhead = 96;

std::size_t shards_for(const MemoryLimits& limits) {
    const std::size_t by_entries = limits.max_entries / kMinShardEntries;
    const std::size_t by_bytes = limits.max_bytes / kMinShardBytes;
    return std::clamp<std::size_t>(std::min(by_entries, by_bytes), 1, kMaxShards);
}

}  // namespace

MemoryStore::MemoryStore(MemoryLimits limits, std::shared_ptr<observe::CacheCounters> counters)
    : counters_(std::move(counters)) {
    const std::size_t n = shards_for(limits);
    shard_limits_ = {std::max<std::size_t>(1, limits.max_entries / n), std::max<std::size_t>(1, limits.max_bytes / n)};
    shards_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) shards_.push_back(std::make_unique<Shard>());
}

void MemoryStore::remove(Shard& shard, std::list<Entry>::iterator it,
                         std::vector<std::shared_ptr<const CachedAnswer>>& graveyard) {
    shard.bytes -= it->bytes;
    counters_->entries.fetch_sub(1, std::memory_order_relaxed);
    counters_->bytes.fetch_sub(static_cast<std::int64_t>(it->bytes), std::memory_order_relaxed);
    graveyard.push_back(std::move(it->answer));
    shard.index.erase(it->key);
    shard.lru.erase(it);
}

void MemoryStore::lookup(const CacheKey& key, TimePoint now, LookupDone done) {
    std::shared_ptr<const CachedAnswer> found;
    std::vector<std::shared_ptr<const CachedAnswer>> graveyard;
    {
        Shard& shard = shard_of(key);
        std::lock_guard<std::mutex> lock(shard.mutex);
        if (auto it = shard.index.find(key); it != shard.index.end()) {
            auto entry = it->second;
            if (now >= entry->expires) {
                remove(shard, entry, graveyard);
                counters_->count(observe::CacheEviction::expired);
            } else {
                shard.lru.splice(shard.lru.begin(), shard.lru, entry);
                found = entry->answer;
            }
        }
    }
    done(std::move(found));
}

void MemoryStore::store(const CacheKey& key, std::shared_ptr<const CachedAnswer> answer, TimePoint expires) {
    const std::size_t bytes = answer->bytes() + kEntryOverhead;
    if (bytes > shard_limits_.max_bytes) {
        counters_->too_large.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    std::vector<std::shared_ptr<const CachedAnswer>> graveyard;
    Shard& shard = shard_of(key);
    std::lock_guard<std::mutex> lock(shard.mutex);
    if (auto it = shard.index.find(key); it != shard.index.end()) remove(shard, it->second, graveyard);
    shard.lru.push_front(Entry{key, std::move(answer), expires, bytes});
    shard.index.emplace(key, shard.lru.begin());
    shard.bytes += bytes;
    counters_->stores.fetch_add(1, std::memory_order_relaxed);
    counters_->entries.fetch_add(1, std::memory_order_relaxed);
    counters_->bytes.fetch_add(static_cast<std::int64_t>(bytes), std::memory_order_relaxed);
    // The new entry fits alone (checked above), so this stops before reaching it.
    while (shard.index.size() > shard_limits_.max_entries || shard.bytes > shard_limits_.max_bytes) {
        const bool for_entries = shard.index.size() > shard_limits_.max_entries;
        remove(shard, std::prev(shard.lru.end()), graveyard);
        counters_->count(for_entries ? observe::CacheEviction::entries : observe::CacheEviction::bytes);
    }
}

}  // namespace sw::cache
