// test_redis_cache.cpp — the response cache's redis backend behind real Routers over the
// loopback mock and a throwaway redis-server (docs/cache.md, "The redis backend"): hit and miss,
// the TTL on the server, a stream replayed chunk by chunk, a truncated stream never stored,
// tenants kept apart, two routers sharing one answer, and the server killed or paused mid-run
// with every request still answered, by routing.
#include "chunk_collector.hpp"
#include "mock_process.hpp"
#include "redis_server.hpp"
#include "redis_support.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <future>

using sw::test::call_sync;
using sw::test::Chunks;
using sw::test::loopback_options;
using sw::test::MockProcess;
using sw::test::RedisServer;
using sw::test::wait_until;
using namespace std::chrono_literals;

namespace {

MockProcess& mock() {
    static MockProcess instance;  // one mock for the run; each test has its own scenario keys
    return instance;
}

// Model "chat" on one mock provider whose scenario is `key`, caching in `server`'s Redis through
// one connection (so that an answer's SET is ahead of the next lookup's GET), with the cache
// members `extra`.
std::shared_ptr<const sw::Config> config(const std::string& key, const RedisServer& server,
                                         const std::string& extra = "") {
    const std::string text = fmt::format(
        R"({{"pools":[{{"id":"primary","providers":[{{"name":"a","provider":"custom","modelName":"{}",)"
        R"("apiBase":"{}/v1","maxRetries":0,"timeout":5000}}]}}],"models":{{"chat":{{"primaryPoolId":"primary"}}}},)"
        R"("cache":{{"enabled":true,"backend":"redis","redis":{{"url":"{}","pool_size":1}}{}}}}})",
        key, mock().base(), server.url(), extra);
    sw::LoadOptions options;
    options.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

std::string chat(std::string_view content, bool stream = false) {
    return fmt::format(R"({{"model":"chat","stream":{},"messages":[{{"role":"user","content":"{}"}}]}})", stream,
                       content);
}

// The test's own connection to the server, to look at what the routers wrote.
struct Inspector {
    sw::transport::HttpEngine loop;
    sw::redis::Client client;
    explicit Inspector(const RedisServer& server) : client({&loop}, loopback_options(server.url()), 1) {
        if (!wait_until([&] { return client.available(); })) throw std::runtime_error("the inspector never came up");
    }
    std::vector<std::string> keys() {
        std::vector<std::string> names;
        for (const auto& e : call_sync(client, {"KEYS", "*"}).reply.elements) names.push_back(e.text);
        return names;
    }
    std::int64_t dbsize() { return call_sync(client, {"DBSIZE"}).reply.integer; }
    void flush() { call_sync(client, {"FLUSHDB"}); }
};

// A router's cache connection dials when the router is built; until it is up, lookups are misses
// and stores are dropped. Asks one question until it is answered from the cache, then forgets it.
void warm_up(sw::Router& router, Inspector& redis) {
    for (int i = 0; i < 250; ++i) {
        if (router.chat(chat("warm-up")).trace.cache_hit) {
            redis.flush();
            return;
        }
        std::this_thread::sleep_for(20ms);
    }
    FAIL("the router's cache never answered a hit");
}

}  // namespace

TEST_CASE("redis cache: a repeated request is a hit from Redis, and every key has a TTL", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    Inspector redis(server);
    const std::string key = "rcache-hit";
    sw::Router router(config(key, server, R"(,"default_ttl":600)"));
    warm_up(router, redis);
    const std::int64_t before = mock().attempts(key);

    sw::ChatResponse first = router.chat(chat("hello"));
    REQUIRE(first.ok());
    CHECK_FALSE(first.trace.cache_hit);
    sw::ChatResponse second = router.chat(chat("hello"));
    REQUIRE(second.ok());
    CHECK(second.trace.cache_hit);
    CHECK(mock().attempts(key) == before + 1);
    CHECK(second.body == first.body);
    CHECK(second.usage.output_tokens == first.usage.output_tokens);
    REQUIRE(second.cost_usd);
    CHECK(*second.cost_usd == 0.0);
    CHECK(second.trace.provider == "a");

    // One key, under the cache's prefix, with the configured TTL; a request's own ttl is its key's.
    std::vector<std::string> keys = redis.keys();
    REQUIRE(keys.size() == 1);
    CHECK(keys[0].rfind("switch:v1:cache:", 0) == 0);
    CHECK(keys[0].size() == std::string("switch:v1:cache:").size() + 64);
    const std::int64_t pttl = call_sync(redis.client, {"PTTL", keys[0]}).reply.integer;
    CHECK(pttl > 590'000);
    CHECK(pttl <= 600'000);
    sw::ChatOptions short_lived;
    short_lived.cache.ttl = 5s;
    REQUIRE(router.chat(chat("short"), short_lived).ok());
    // The inspector's connection is not the router's: the SET may still be on its way.
    REQUIRE(wait_until([&] { return redis.dbsize() == 2; }));
    for (const std::string& name : redis.keys()) {
        const std::int64_t t = call_sync(redis.client, {"PTTL", name}).reply.integer;
        CHECK(t > 0);  // never a key without one
        if (name != keys[0]) CHECK(t <= 5'000);
    }
    // The warm-up's hit, and this test's.
    CHECK_THAT(router.metrics_text(), Catch::Contains(R"(switch_cache_lookups_total{result="hit"} 2)"));
}

TEST_CASE("redis cache: an answer expires with its TTL on the server", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    Inspector redis(server);
    const std::string key = "rcache-ttl";
    sw::Router router(config(key, server, R"(,"default_ttl":1)"));
    warm_up(router, redis);
    const std::int64_t before = mock().attempts(key);
    REQUIRE(router.chat(chat("brief")).ok());
    CHECK(router.chat(chat("brief")).trace.cache_hit);
    REQUIRE(wait_until([&] { return redis.dbsize() == 0; }, 3s));  // Redis dropped it after 1 s
    CHECK_FALSE(router.chat(chat("brief")).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 2);
}

TEST_CASE("redis cache: a stream is replayed chunk by chunk, equal to the original", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    Inspector redis(server);
    const std::string key = "rcache-stream@chunks=4,tool_call=lookup";
    sw::Router router(config(key, server));
    warm_up(router, redis);
    const std::int64_t before = mock().attempts(key);
    Chunks original, replayed;
    sw::ChatResponse first = router.chat_stream(chat("stream me", true), original.callback());
    REQUIRE(first.ok());
    sw::ChatResponse second = router.chat_stream(chat("stream me", true), replayed.callback());
    REQUIRE(second.ok());
    CHECK(second.trace.cache_hit);
    CHECK(mock().attempts(key) == before + 1);
    REQUIRE(original.items.size() >= 6);
    CHECK(replayed.items == original.items);
    CHECK(second.text == first.text);
    CHECK(second.finish_reason == first.finish_reason);
}

TEST_CASE("redis cache: a truncated stream is never stored", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    Inspector redis(server);
    const std::string key = "rcache-cut@cut_after=2,fail_first=1";
    sw::Router router(config(key, server));
    warm_up(router, redis);
    mock().reset();  // fail_first counts from here
    Chunks cut, fresh, replayed;
    sw::ChatResponse broken = router.chat_stream(chat("cut me", true), cut.callback());
    CHECK_FALSE(broken.ok());
    REQUIRE(cut.items.size() >= 2);
    // Not stored: the next lookup (on the router's one connection, behind any SET) misses.
    sw::ChatResponse whole = router.chat_stream(chat("cut me", true), fresh.callback());
    REQUIRE(whole.ok());
    CHECK_FALSE(whole.trace.cache_hit);
    REQUIRE(wait_until([&] { return redis.dbsize() == 1; }));
    sw::ChatResponse hit = router.chat_stream(chat("cut me", true), replayed.callback());
    CHECK(hit.trace.cache_hit);
    CHECK(replayed.items == fresh.items);
    CHECK(mock().attempts(key) == 2);
}

TEST_CASE("redis cache: tenants are kept apart by partition", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    Inspector redis(server);
    const std::string key = "rcache-tenants";
    sw::Router router(config(key, server));
    warm_up(router, redis);
    const std::int64_t before = mock().attempts(key);
    auto as = [](std::string client, std::string partition = "") {
        sw::ChatOptions o;
        o.client_id = std::move(client);
        o.cache.partition = std::move(partition);
        return o;
    };
    CHECK_FALSE(router.chat(chat("tenant"), as("alice")).trace.cache_hit);
    CHECK_FALSE(router.chat(chat("tenant"), as("bob")).trace.cache_hit);
    REQUIRE(wait_until([&] { return redis.dbsize() == 2; }));  // two keys: one per partition
    CHECK(router.chat(chat("tenant"), as("alice")).trace.cache_hit);
    CHECK(router.chat(chat("tenant"), as("bob")).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 2);
    CHECK_FALSE(router.chat(chat("tenant"), as("alice", "team")).trace.cache_hit);
    CHECK(router.chat(chat("tenant"), as("bob", "team")).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 3);
}

TEST_CASE("redis cache: two routers share an answer through one Redis", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    Inspector redis(server);
    const std::string key = "rcache-shared";
    // Two routers, each with its own I/O threads and its own Redis connection: two processes, as
    // far as the cache can tell.
    sw::Router a(config(key, server));
    sw::Router b(config(key, server));
    warm_up(a, redis);
    warm_up(b, redis);
    const std::int64_t before = mock().attempts(key);
    sw::ChatResponse first = a.chat(chat("shared"));
    REQUIRE(first.ok());
    CHECK_FALSE(first.trace.cache_hit);
    // b's lookup takes another connection than a's SET: it waits for the SET to land.
    REQUIRE(wait_until([&] { return redis.dbsize() == 1; }));
    sw::ChatResponse second = b.chat(chat("shared"));
    CHECK(second.trace.cache_hit);
    CHECK(second.body == first.body);
    CHECK(mock().attempts(key) == before + 1);
    // And the other way, streamed.
    Chunks from_b, from_a;
    REQUIRE(b.chat_stream(chat("shared stream", true), from_b.callback()).ok());
    REQUIRE(wait_until([&] { return redis.dbsize() == 2; }));
    CHECK(a.chat_stream(chat("shared stream", true), from_a.callback()).trace.cache_hit);
    CHECK(from_a.items == from_b.items);
    CHECK(mock().attempts(key) == before + 2);
}

TEST_CASE("redis cache: Redis killed mid-run, every request is still answered by routing", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    const std::string key = "rcache-killed";
    sw::RouterOptions ro;
    ro.io_threads = 2;
    sw::Router router(config(key, server), ro);
    {
        Inspector redis(server);
        warm_up(router, redis);
    }
    REQUIRE(router.chat(chat("kept")).ok());
    REQUIRE(router.chat(chat("kept")).trace.cache_hit);

    server.kill();
    const std::int64_t before = mock().attempts(key);
    // Concurrent requests while the connection goes down, and after: each answered, none hung.
    std::vector<std::future<sw::ChatResponse>> futures;
    for (int i = 0; i < 20; ++i) futures.push_back(router.chat_async(chat("kept")));
    for (auto& f : futures) {
        REQUIRE(f.wait_for(10s) == std::future_status::ready);
        sw::ChatResponse r = f.get();
        CHECK(r.ok());
        CHECK_FALSE(r.trace.cache_hit);  // what Redis held died with it
    }
    CHECK(mock().attempts(key) == before + 20);
    const auto started = std::chrono::steady_clock::now();
    sw::ChatResponse r = router.chat(chat("kept"));
    CHECK(r.ok());
    CHECK(std::chrono::steady_clock::now() - started < 2s);

    // Back, empty: the router redials and caches again.
    server.start();
    Inspector redis(server);
    warm_up(router, redis);
    REQUIRE(router.chat(chat("again")).ok());
    CHECK(router.chat(chat("again")).trace.cache_hit);
}

TEST_CASE("redis cache: a paused Redis costs a lookup its timeout, and the request is routed", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    const std::string key = "rcache-paused";
    sw::Router router(config(key, server));
    {
        Inspector redis(server);
        warm_up(router, redis);
    }
    REQUIRE(router.chat(chat("slow")).ok());
    REQUIRE(router.chat(chat("slow")).trace.cache_hit);
    server.pause();
    const std::int64_t before = mock().attempts(key);
    const auto started = std::chrono::steady_clock::now();
    sw::ChatResponse r = router.chat(chat("slow"));
    const auto took = std::chrono::steady_clock::now() - started;
    server.resume();
    CHECK(r.ok());
    CHECK_FALSE(r.trace.cache_hit);
    CHECK(mock().attempts(key) == before + 1);
    CHECK(took >= 90ms);  // the call timeout (redis.timeout_ms, 100) ...
    CHECK(took < 2s);     // ... and not much more
}

TEST_CASE("redis cache: a router destroyed with lookups or requests in flight answers every one", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    Inspector redis(server);
    const std::string key = "rcache-shutdown@latency_ms=300";
    for (const bool paused : {false, true}) {
        INFO("lookups pending on a paused server: " << paused);
        std::vector<std::future<sw::ChatResponse>> futures;
        {
            sw::RouterOptions ro;
            ro.io_threads = 2;
            sw::Router router(config(key, server), ro);
            warm_up(router, redis);
            if (paused) server.pause();  // each lookup now waits for its 100 ms timeout
            for (int i = 0; i < 8; ++i) futures.push_back(router.chat_async(chat("in flight " + std::to_string(i))));
            std::this_thread::sleep_for(20ms);
        }  // ~Router: the cache's client closes (pending lookups: misses), then the engines stop
        if (paused) server.resume();
        for (auto& f : futures) {
            REQUIRE(f.wait_for(10s) == std::future_status::ready);
            CHECK_FALSE(f.get().ok());  // cancelled by the shutdown, before the mock's 300 ms
        }
        CHECK(redis.dbsize() == 0);  // and nothing of theirs stored
    }
}

TEST_CASE("redis cache: a hand-built config with the redis backend and no URL is refused by the router", "[redis]") {
    auto config = std::make_shared<sw::Config>();
    config->cache.enabled = true;
    config->cache.backend = sw::CacheBackend::redis;
    CHECK_THROWS_WITH(sw::Router(config), Catch::Contains("cache.redis.url"));
}

TEST_CASE("redis cache: the server lost and back is logged, naming it without its password", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    const std::string password = "cache-pw-5e81c0";
    RedisServer server(*bin, password);
    const std::string url = fmt::format("redis://:{}@127.0.0.1:{}/0", password, server.port());
    struct Lines {
        std::mutex mutex;
        std::vector<std::string> all;
        bool has(std::string_view a, std::string_view b) {
            std::lock_guard lock(mutex);
            for (const auto& l : all)
                if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
            return false;
        }
    };
    auto lines = std::make_shared<Lines>();
    sw::RouterOptions ro;
    ro.log_sink = [lines](sw::LogLevel, std::string_view line) {
        std::lock_guard lock(lines->mutex);
        lines->all.emplace_back(line);
    };
    const std::string text = fmt::format(
        R"({{"pools":[{{"id":"primary","providers":[{{"name":"a","provider":"custom","modelName":"rcache-log",)"
        R"("apiBase":"{}/v1","maxRetries":0}}]}}],"models":{{"chat":{{"primaryPoolId":"primary"}}}},)"
        R"("cache":{{"enabled":true,"backend":"redis","redis":{{"url":"{}","pool_size":1}}}}}})",
        mock().base(), url);
    sw::LoadOptions lo;
    lo.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto loaded = sw::load_config_string(text, sw::ConfigFormat::json, "test", lo);
    REQUIRE(loaded.ok());
    sw::Router router(loaded.config, ro);
    const std::string where = fmt::format("redis://127.0.0.1:{}/0", server.port());
    REQUIRE(wait_until([&] { return lines->has(R"("event":"redis")", R"("use":"cache","state":"up")"); }));
    CHECK(lines->has(R"("state":"up")", where));
    server.kill();
    REQUIRE(wait_until([&] { return lines->has(R"("state":"down")", where); }));
    CHECK(lines->has(R"("level":"warning")", R"("state":"down")"));
    CHECK(router.chat(chat("while down")).ok());  // and the request is routed
    std::lock_guard lock(lines->mutex);
    for (const auto& l : lines->all) CHECK_THAT(l, !Catch::Contains(password));
}
