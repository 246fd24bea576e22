// memory_store.hpp — the memory backend: least recently used out, bounded by entries and bytes.
//
// Requests look up and store from several I/O threads at once, so the store is split in shards,
// each a mutex, a hash index and an LRU list; a key's shard is fixed by its digest. Each shard
// holds its share of both bounds, so the whole never exceeds them. Small bounds get fewer shards
// (one under 256 entries or 1 MiB a shard): eviction is then exactly least recently used, and
// with many shards it is least recently used within the shard, which under a uniform digest is
// the same in the large. Nothing is called and nothing is freed under a shard's lock.
#pragma once

#include "cache/cache_store.hpp"

#include "observe/cache_counters.hpp"

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace sw::cache {

struct MemoryLimits {
    std::size_t max_entries = 10000;
    std::size_t max_bytes = 64u * 1024u * 1024u;
};

class MemoryStore final : public CacheStore {
public:
    MemoryStore(MemoryLimits limits, std::shared_ptr<observe::CacheCounters> counters);

    void lookup(const CacheKey& key, TimePoint now, LookupDone done) override;
    void store(const CacheKey& key, std::shared_ptr<const CachedAnswer> answer, TimePoint expires) override;

    std::size_t shard_count() const { return shards_.size(); }
    // The largest answer a shard can hold, in CachedAnswer::bytes(): larger ones are not stored.
    std::size_t max_answer_bytes() const { return shard_limits_.max_bytes; }

private:
    struct Entry {
        CacheKey key;
        std::shared_ptr<const CachedAnswer> answer;
        TimePoint expires;
        std::size_t bytes;
    };
    struct Shard {
        std::mutex mutex;
        std::list<Entry> lru;  // most recently used first
        std::unordered_map<CacheKey, std::list<Entry>::iterator, CacheKeyHash> index;
        std::size_t bytes = 0;
    };

    Shard& shard_of(const CacheKey& key) { return *shards_[key.hash() % shards_.size()]; }
    // Unlinks `it` from `shard` (locked), handing its answer to `graveyard` to be freed unlocked.
    void remove(Shard& shard, std::list<Entry>::iterator it,
                std::vector<std::shared_ptr<const CachedAnswer>>& graveyard);

    MemoryLimits shard_limits_;
    std::shared_ptr<observe::CacheCounters> counters_;
    std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace sw::cache
