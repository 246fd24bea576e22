// response_cache.cpp — plans, lookups with the request's max age, and what may be stored.
#include "cache/response_cache.hpp"

#include "cache/memory_store.hpp"

namespace sw::cache {

ResponseCache::ResponseCache(const CacheConfig& config, std::shared_ptr<Clock> clock)
    : config_(config), clock_(std::move(clock)), counters_(std::make_shared<observe::CacheCounters>()) {
    store_ = std::make_unique<MemoryStore>(MemoryLimits{config.max_entries, config.max_bytes}, counters_);
}

ResponseCache::ResponseCache(const CacheConfig& config, std::shared_ptr<Clock> clock, std::unique_ptr<CacheStore> store,
                             std::shared_ptr<observe::CacheCounters> counters)
    : config_(config), clock_(std::move(clock)), counters_(std::move(counters)), store_(std::move(store)) {}

std::optional<CachePlan> ResponseCache::plan(std::string_view request_json, bool stream,
                                             const ChatOptions& options) const {
    const CacheOptions& c = options.cache;
    CachePlan p;
    p.ttl = c.ttl.value_or(config_.default_ttl);
    if (c.ttl) p.max_age = *c.ttl;
    // A TTL of 0 (max-age=0) keeps nothing and accepts nothing: the request passes by.
    p.read = !c.no_cache && p.ttl.count() > 0;
    p.write = !c.no_store && p.ttl.count() > 0;
    if (!p.read && !p.write) {
        counters_->count(observe::CacheLookup::bypass);
        return std::nullopt;
    }
    std::optional<std::string> normalised = normalised_request(request_json, stream);
    if (!normalised) return std::nullopt;
    p.key = make_key(*normalised, c.partition.empty() ? std::string_view(options.client_id) : c.partition);
    if (!p.read) counters_->count(observe::CacheLookup::bypass);
    return p;
}

void ResponseCache::lookup(const CachePlan& plan, LookupDone done) const {
    const TimePoint now = clock_->now();
    // By value: a shared store answers after lookup has returned.
    store_->lookup(plan.key, now, [counters = counters_, max_age = plan.max_age, now, done = std::move(done)](
                                      std::shared_ptr<const CachedAnswer> found) {
        // Older than the request accepts: Cache-Control's max-age on a request.
        if (found && max_age && now - found->stored_at > *max_age) found.reset();
        counters->count(found ? observe::CacheLookup::hit : observe::CacheLookup::miss);
        done(std::move(found));
    });
}

bool ResponseCache::storable(const ChatResponse& response, bool stream, const std::vector<std::string>& chunks) {
    if (!response.ok() || !response.trace.ok || response.trace.cache_hit || response.finish_reason.empty())
        return false;
    return stream ? !chunks.empty() : !response.body.empty();
}

bool ResponseCache::store(const CachePlan& plan, const ChatResponse& response, bool stream,
                          std::vector<std::string> chunks) const {
    if (!plan.write || !storable(response, stream, chunks)) return false;
    auto answer = std::make_shared<CachedAnswer>();
    answer->stream = stream;
    if (!stream) answer->body = response.body;
    answer->chunks = std::move(chunks);
    answer->text = response.text;
    answer->finish_reason = response.finish_reason;
    answer->usage = response.usage;
    answer->pool_id = response.trace.pool_id;
    answer->provider = response.trace.provider;
    const TimePoint now = clock_->now();
    answer->stored_at = now;
    store_->store(plan.key, std::move(answer), now + plan.ttl);
    return true;
}

}  // namespace sw::cache
