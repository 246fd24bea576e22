// redis_schema.cpp — where shared state lives (docs/scaling.md): the `redis` section and the
// ModelMuxer guide's REDIS_* variables. A URL or password is never echoed in a message.
#include "config/env_expand.hpp"
#include "config/schema.hpp"

#include "common/redis_url.hpp"

#include <fmt/format.h>

#include <charconv>

namespace sw::config {

namespace {

constexpr std::int64_t kMaxPool = 1024;
constexpr std::int64_t kMaxTimeoutMs = 10'000;
constexpr std::int64_t kMaxSyncMs = 60'000;  // a minute: slower sync than that shares little

// "" when `url` is empty or one the client can dial; otherwise the reason.
std::string redis_url_error(std::string_view url) {
    if (url.empty()) return {};
    std::string error;
    parse_redis_url(url, error);
    return error;
}

}  // namespace

void read_redis_environment(Context& ctx, Config& config) {
    if (auto url = ctx.env("REDIS_URL"); url && !url->empty()) {
        if (std::string why = redis_url_error(*url); !why.empty())
            ctx.error("env:REDIS_URL", why);
        else
            config.redis.url = Secret(std::move(*url));
    }
    if (auto password = ctx.env("REDIS_PASSWORD"); password && !password->empty())
        config.redis.password = Secret(std::move(*password));
    if (auto text = ctx.env("REDIS_POOL_SIZE"); text && !text->empty()) {
        int n = 0;
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
        if (ec != std::errc{} || end != text->data() + text->size() || n < 1 || n > kMaxPool)
            ctx.error("env:REDIS_POOL_SIZE", fmt::format("expected a whole number from 1 to {}, got {}", kMaxPool, quote(*text)));
        else
            config.redis.pool_size = n;
    }
    // The guide's REDIS_SSL=false is what the client does; true asks for what it cannot.
    if (auto ssl = ctx.env("REDIS_SSL"); ssl && !ssl->empty()) {
        if (*ssl == "true" || *ssl == "1")
            ctx.error("env:REDIS_SSL", "TLS to Redis is not supported yet",
                      "set REDIS_SSL=false and reach the server through a local TLS proxy such as stunnel");
        else if (*ssl != "false" && *ssl != "0")
            ctx.error("env:REDIS_SSL", fmt::format("expected true or false, got {}", quote(*ssl)));
    }
}

void read_redis(Context& ctx, const Node& node, Config& config) {
    ObjectReader r(ctx, node, "redis", {"url", "password", "pool_size", "timeout_ms", "sync_ms"});
    if (!r.valid()) return;
    if (r.has("url")) {
        const std::string path = r.path_of("url");
        // url: "${REDIS_URL}" with REDIS_URL unset is the error any unset ${VAR} is; the
        // suggestion says how to mean "not shared" instead, as the ledger's database.url does.
        if (const Node* url = r.get("url"); url->is_string()) {
            Expansion e = expand_env(url->string, ctx.env);
            if (!e.error.empty() && e.error.find("is not set") != std::string::npos) {
                ctx.error(path, e.error,
                          "set it to share state through Redis, or write \"${REDIS_URL:-}\" to keep each process's "
                          "state to itself while it is unset");
                return;
            }
        }
        if (auto text = r.string("url")) {
            // An empty url turns sharing off, whatever REDIS_URL says.
            if (std::string why = redis_url_error(*text); !why.empty())
                ctx.error(path, why);
            else
                config.redis.url = Secret(std::move(*text));
        }
    }
    if (auto password = r.secret("password"); password && !password->empty()) config.redis.password = std::move(*password);
    if (auto n = r.integer("pool_size", 1, kMaxPool)) config.redis.pool_size = static_cast<int>(*n);
    if (auto ms = r.millis("timeout_ms", 1, kMaxTimeoutMs)) config.redis.timeout = *ms;
    if (auto ms = r.millis("sync_ms", 10, kMaxSyncMs)) config.redis.sync_interval = *ms;
}

}  // namespace sw::config
