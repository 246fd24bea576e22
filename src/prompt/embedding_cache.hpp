// embedding_cache.hpp — a bounded cache of request embeddings in front of an embedder
// (CACHE_EMBEDDINGS), for embedders that cost more than a lookup: an application's callback.
#pragma once

#include "prompt/embedder.hpp"

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace sw::prompt {

class CachedEmbedder final : public Embedder {
public:
    // Keeps the `capacity` most recently used embeddings. A text is keyed by a 64-bit hash of it
    // and its length, so the cache holds no prompt text.
    CachedEmbedder(std::shared_ptr<const Embedder> inner, std::size_t capacity);

    // A failure is not cached: the next request asks the embedder again.
    bool embed(std::string_view text, std::vector<float>& out, std::string& error) const override;

private:
    struct Key {
        std::uint64_t hash;
        std::size_t length;
        bool operator==(const Key& o) const { return hash == o.hash && length == o.length; }
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const { return static_cast<std::size_t>(k.hash ^ k.length); }
    };
    using Entry = std::pair<Key, std::vector<float>>;

    std::shared_ptr<const Embedder> inner_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    mutable std::list<Entry> recent_;  // most recently used first
    mutable std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index_;
};

}  // namespace sw::prompt
