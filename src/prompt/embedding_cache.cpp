// embedding_cache.cpp — least recently used, under one lock held only for the lookup and the
// insert, never while the embedder runs.
#include "prompt/embedding_cache.hpp"

#include <functional>

namespace sw::prompt {

CachedEmbedder::CachedEmbedder(std::shared_ptr<const Embedder> inner, std::size_t capacity)
    : inner_(std::move(inner)), capacity_(capacity) {}

bool CachedEmbedder::embed(std::string_view text, std::vector<float>& out, std::string& error) const {
    const Key key{std::hash<std::string_view>{}(text), text.size()};
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (auto it = index_.find(key); it != index_.end()) {
            recent_.splice(recent_.begin(), recent_, it->second);
            out = it->second->second;
            return true;
        }
    }
    if (!inner_->embed(text, out, error)) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    if (capacity_ == 0 || index_.count(key) != 0) return true;  // another thread stored it meanwhile
    recent_.emplace_front(key, out);
    index_.emplace(key, recent_.begin());
    if (recent_.size() > capacity_) {
        index_.erase(recent_.back().first);
        recent_.pop_back();
    }
    return true;
}

}  // namespace sw::prompt
