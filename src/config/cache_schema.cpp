// cache_schema.cpp — ModelMuxer's `cache` section and its CACHE_* variables: the response cache
// (docs/cache.md). The memory backend works; the redis backend and the `redis` subsection are
// refused with their reason until the shared-state issue builds them, so that nobody believes
// several replicas share one cache when they do not.
#include "config/schema.hpp"

#include <fmt/format.h>

namespace sw::config {

namespace {

constexpr std::string_view kRedisNotYet =
    "the redis cache backend is not supported yet: libswitch caches in process memory only "
    "(docs/cache.md, \"Backends\")";

}  // namespace

std::string cache_backend_error(std::string_view backend) {
    if (backend == "memory") return {};
    if (backend == "redis") return std::string(kRedisNotYet);
    return fmt::format("unknown cache backend {}; expected memory (redis is not supported yet)", quote(backend));
}

void read_cache(Context& ctx, const Node& node, Config& config) {
    ObjectReader r(ctx, node, "cache", {"enabled", "backend", "default_ttl", "max_size", "max_bytes", "redis"});
    if (!r.valid()) return;
    // Keys here override the environment's CACHE_* (read first, in read_environment_defaults).
    CacheConfig& cache = config.cache;
    if (auto v = r.boolean("enabled")) cache.enabled = *v;
    if (auto backend = r.string("backend")) {
        if (std::string why = cache_backend_error(*backend); !why.empty())
            ctx.error(r.path_of("backend"), why, "write backend: \"memory\", or leave it out");
    }
    if (auto v = r.integer("default_ttl", 1, kMaxCacheTtlSeconds)) cache.default_ttl = std::chrono::seconds(*v);
    if (auto v = r.integer("max_size", 1, kMaxCacheEntries)) cache.max_entries = static_cast<std::size_t>(*v);
    if (auto v = r.integer("max_bytes", kMinCacheBytes, kMaxCacheBytes)) cache.max_bytes = static_cast<std::size_t>(*v);
    // The guide's cache.redis {url, pool_size}: only the redis backend reads it.
    if (r.has("redis"))
        ctx.error(r.path_of("redis"), std::string(kRedisNotYet),
                  "remove the redis subsection; the memory backend needs none");
}

}  // namespace sw::config
