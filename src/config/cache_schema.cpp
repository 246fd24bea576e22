// cache_schema.cpp — ModelMuxer's `cache` section and its CACHE_* variables: the response cache
// (docs/cache.md). Two backends: memory, and redis, whose server is the guide's `cache.redis`
// subsection or, without one, the top-level `redis` section (REDIS_URL) that the shared state
// uses. A URL or password is never echoed in a message.
#include "config/env_expand.hpp"
#include "config/schema.hpp"

#include "common/redis_url.hpp"

#include <fmt/format.h>

namespace sw::config {

namespace {

constexpr std::int64_t kMaxCachePool = 1024;

// cache.redis {url, pool_size}: kept in ctx.cache_reading until finish_cache, which knows the
// top-level section the url defaults to.
void read_cache_redis(Context& ctx, const Node& node) {
    ObjectReader r(ctx, node, "cache.redis", {"url", "pool_size"});
    if (!r.valid()) return;
    ctx.cache_reading.redis_path = r.path();
    if (r.has("url")) {
        const std::string path = r.path_of("url");
        const std::size_t errors_before = ctx.diagnostics.size();
        // The guide writes url: "${REDIS_URL}". Unset, that is the error any unset ${VAR} is;
        // the suggestion says how to mean "the top-level redis.url" instead.
        if (const Node* url = r.get("url"); url->is_string()) {
            Expansion e = expand_env(url->string, ctx.env);
            if (!e.error.empty() && e.error.find("is not set") != std::string::npos) {
                ctx.error(path, e.error,
                          "set it, or leave url out (or write \"${REDIS_URL:-}\") so that the cache uses the "
                          "top-level redis.url");
                ctx.cache_reading.url_reported = true;
                return;
            }
        }
        if (auto text = r.secret("url"); text && !text->empty()) {
            std::string error;
            if (!parse_redis_url(text->reveal(), error))
                ctx.error(path, error);
            else
                ctx.cache_reading.url = std::move(*text);
        }
        ctx.cache_reading.url_reported = ctx.diagnostics.size() != errors_before;
    }
    if (auto n = r.integer("pool_size", 1, kMaxCachePool)) ctx.cache_reading.pool_size = static_cast<int>(*n);
}

}  // namespace

std::optional<CacheBackend> parse_cache_backend(std::string_view name, std::string& why) {
    if (name == "memory") return CacheBackend::memory;
    if (name == "redis") return CacheBackend::redis;
    why = fmt::format("unknown cache backend {}; expected memory or redis", quote(name));
    return std::nullopt;
}

void read_cache(Context& ctx, const Node& node, Config& config) {
    ObjectReader r(ctx, node, "cache", {"enabled", "backend", "default_ttl", "max_size", "max_bytes", "redis"});
    if (!r.valid()) return;
    // Keys here override the environment's CACHE_* (read first, in read_environment_defaults).
    CacheConfig& cache = config.cache;
    if (auto v = r.boolean("enabled")) cache.enabled = *v;
    if (auto name = r.string("backend")) {
        std::string why;
        if (auto backend = parse_cache_backend(*name, why)) {
            cache.backend = *backend;
            ctx.cache_reading.backend_path = r.path_of("backend");
        } else {
            ctx.error(r.path_of("backend"), why, "write backend: \"memory\" or \"redis\", or leave it out");
        }
    }
    if (auto v = r.integer("default_ttl", 1, kMaxCacheTtlSeconds)) cache.default_ttl = std::chrono::seconds(*v);
    if (auto v = r.integer("max_size", 1, kMaxCacheEntries)) cache.max_entries = static_cast<std::size_t>(*v);
    if (auto v = r.integer("max_bytes", kMinCacheBytes, kMaxCacheBytes)) cache.max_bytes = static_cast<std::size_t>(*v);
    if (const Node* redis = r.get("redis")) read_cache_redis(ctx, *redis);
}

void finish_cache(Context& ctx, Config& config) {
    CacheConfig& cache = config.cache;
    const Context::CacheReading& read = ctx.cache_reading;
    if (cache.backend != CacheBackend::redis) {
        // Said nothing wrong, but does nothing: worth a word, since it looks like sharing.
        if (!read.redis_path.empty())
            ctx.warning(read.redis_path, "has no effect: only the redis backend reads it",
                        "write backend: \"redis\" to share the cache through this server, or remove it");
        return;
    }
    cache.redis.timeout = config.redis.timeout;
    cache.redis.pool_size = read.pool_size.value_or(config.redis.pool_size);
    if (read.url) {
        // A server of its own carries its own password, in its URL: REDIS_PASSWORD is the
        // top-level server's, and sending it to another would fail that server's handshake.
        cache.redis.url = *read.url;
        cache.redis.password = Secret();
    } else if (!config.redis.url.empty()) {
        cache.redis.url = config.redis.url;
        cache.redis.password = config.redis.password;
    } else if (!read.url_reported) {
        ctx.error(read.backend_path.empty() ? std::string("cache.backend") : read.backend_path,
                  "the redis cache backend needs a server, and neither cache.redis.url nor redis.url (REDIS_URL) "
                  "names one",
                  "set REDIS_URL (or cache.redis.url) to redis://HOST:PORT/DB, or use backend \"memory\"");
    }
}

}  // namespace sw::config
