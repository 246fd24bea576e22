// test_response_cache.cpp — the response cache's layer on an injected clock (docs/cache.md): the
// key and its normalisation, the memory store's TTL and LRU by entries and by bytes, the policy's
// per-request controls, and which answers may be stored at all.
#include "cache/cache_key.hpp"
#include "cache/memory_store.hpp"
#include "cache/response_cache.hpp"
#include "ledger/row.hpp"

#include <switch/config_loader.hpp>

#include <switch/testing/fake_clock.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

using namespace sw;
using namespace sw::cache;
using namespace std::chrono_literals;

namespace {

CacheKey key_of(std::string_view request, std::string_view partition = "", bool stream = false) {
    auto normalised = normalised_request(request, stream);
    REQUIRE(normalised);
    return make_key(*normalised, partition);
}

std::shared_ptr<const CachedAnswer> answer(std::string body, TimePoint at = {}) {
    auto a = std::make_shared<CachedAnswer>();
    a->body = std::move(body);
    a->finish_reason = "stop";
    a->stored_at = at;
    return a;
}

// A store's answer for `key` at `now`, or null.
std::shared_ptr<const CachedAnswer> find(CacheStore& store, const CacheKey& key, TimePoint now) {
    std::shared_ptr<const CachedAnswer> found;
    int calls = 0;
    store.lookup(key, now, [&](std::shared_ptr<const CachedAnswer> a) {
        found = std::move(a);
        ++calls;
    });
    REQUIRE(calls == 1);  // the memory store answers at once, once
    return found;
}

ChatResponse served(std::string body = R"({"choices":[]})") {
    ChatResponse r;
    r.status = 200;
    r.body = std::move(body);
    r.text = "hello";
    r.finish_reason = "stop";
    r.usage = {11, 7};
    r.trace.ok = true;
    r.trace.pool_id = "primary";
    r.trace.provider = "a";
    return r;
}

}  // namespace

TEST_CASE("cache key: member order, whitespace and non-answer members do not change it") {
    const CacheKey a = key_of(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.5})");
    const CacheKey b = key_of(R"({ "temperature": 0.5, "messages": [ {"content":"hi", "role":"user"} ], "model": "m",
                                  "user": "u-42", "metadata": {"k":"v"}, "store": true, "max_cost_usd": 1,
                                  "stream": false })");
    CHECK(a == b);
    CHECK(a.hex().size() == 64);
    // Escapes are read, not compared as written: \u00e9 is é, and quotes and newlines survive.
    CHECK(key_of(R"({"messages":[{"content":"caf\u00e9 \"x\"\n"}]})") ==
          key_of("{\"messages\":[{\"content\":\"caf\u00e9 \\\"x\\\"\\n\"}]}"));
    CHECK(*normalised_request(R"({"m":"a\"b\\c\u0001"})", false) == R"({"m":"a\"b\\c\u0001","stream":false})");
}

TEST_CASE("cache key: model, messages, answer parameters, the stream flag and the partition all change it") {
    const std::string base = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
    const CacheKey k = key_of(base);
    CHECK_FALSE(k == key_of(R"({"model":"n","messages":[{"role":"user","content":"hi"}]})"));
    CHECK_FALSE(k == key_of(R"({"model":"m","messages":[{"role":"user","content":"hi!"}]})"));
    CHECK_FALSE(k == key_of(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0})"));
    CHECK_FALSE(k == key_of(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":5})"));
    CHECK_FALSE(k == key_of(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[]})"));
    CHECK_FALSE(k == key_of(base, "", true));
    CHECK_FALSE(k == key_of(base, "tenant-a"));
    CHECK_FALSE(key_of(base, "tenant-a") == key_of(base, "tenant-b"));
    // The partition's length is hashed too: no partition can borrow the start of a request.
    CHECK_FALSE(make_key("bc", "a") == make_key("c", "ab"));
    CHECK_FALSE(normalised_request("[1,2]", false).has_value());
    CHECK_FALSE(normalised_request("not json", false).has_value());
}

TEST_CASE("memory store: a hit, a miss, and an entry that expires exactly at its TTL") {
    auto counters = std::make_shared<observe::CacheCounters>();
    MemoryStore store({100, 1 << 20}, counters);
    const TimePoint t0 = TimePoint{} + 1h;
    const CacheKey k = key_of(R"({"model":"m"})");
    CHECK(find(store, k, t0) == nullptr);
    store.store(k, answer("A"), t0 + 10s);
    auto hit = find(store, k, t0 + 10s - 1ns);
    REQUIRE(hit);
    CHECK(hit->body == "A");
    CHECK(find(store, k, t0 + 10s) == nullptr);  // expired: gone
    CHECK(counters->of(observe::CacheEviction::expired) == 1);
    CHECK(counters->entries.load() == 0);
    CHECK(counters->bytes.load() == 0);
    CHECK(find(store, k, t0) == nullptr);  // and not there any more, even at an earlier instant
}

TEST_CASE("memory store: least recently used out when the entries bound is reached") {
    auto counters = std::make_shared<observe::CacheCounters>();
    MemoryStore store({2, 1 << 20}, counters);
    REQUIRE(store.shard_count() == 1);  // small bounds: exact LRU
    const TimePoint now = TimePoint{} + 1h, later = now + 1h;
    const CacheKey a = key_of(R"({"model":"a"})"), b = key_of(R"({"model":"b"})"), c = key_of(R"({"model":"c"})");
    store.store(a, answer("A"), later);
    store.store(b, answer("B"), later);
    REQUIRE(find(store, a, now));  // a is now the most recently used
    store.store(c, answer("C"), later);
    CHECK(find(store, b, now) == nullptr);
    CHECK(find(store, a, now));
    CHECK(find(store, c, now));
    CHECK(counters->of(observe::CacheEviction::entries) == 1);
    CHECK(counters->entries.load() == 2);
}

TEST_CASE("memory store: least recently used out when the bytes bound is reached, and too large is never stored") {
    auto counters = std::make_shared<observe::CacheCounters>();
    const std::size_t one = answer(std::string(1000, 'x'))->bytes();
    // Room for two answers of `one` bytes (and their overhead) but not three.
    MemoryStore store({100, 3 * one}, counters);
    REQUIRE(store.shard_count() == 1);
    const TimePoint now = TimePoint{} + 1h, later = now + 1h;
    const CacheKey a = key_of(R"({"model":"a"})"), b = key_of(R"({"model":"b"})"), c = key_of(R"({"model":"c"})");
    store.store(a, answer(std::string(1000, 'a')), later);
    store.store(b, answer(std::string(1000, 'b')), later);
    CHECK(counters->entries.load() == 2);
    store.store(c, answer(std::string(1000, 'c')), later);
    CHECK(find(store, a, now) == nullptr);
    CHECK(find(store, b, now));
    CHECK(find(store, c, now));
    CHECK(counters->of(observe::CacheEviction::bytes) == 1);
    CHECK(counters->of(observe::CacheEviction::entries) == 0);
    CHECK(static_cast<std::size_t>(counters->bytes.load()) <= 3 * one);

    const CacheKey big = key_of(R"({"model":"big"})");
    store.store(big, answer(std::string(4 * one, 'z')), later);
    CHECK(find(store, big, now) == nullptr);
    CHECK(counters->too_large.load() == 1);
    CHECK(find(store, b, now));  // nothing was evicted for it
}

TEST_CASE("memory store: storing a key again replaces its answer and its size") {
    auto counters = std::make_shared<observe::CacheCounters>();
    MemoryStore store({10, 1 << 20}, counters);
    const TimePoint now = TimePoint{} + 1h;
    const CacheKey k = key_of(R"({"model":"m"})");
    store.store(k, answer("old"), now + 1s);
    store.store(k, answer("new"), now + 1h);
    auto hit = find(store, k, now + 2s);  // the new expiry holds
    REQUIRE(hit);
    CHECK(hit->body == "new");
    CHECK(counters->entries.load() == 1);
    CHECK(static_cast<std::size_t>(counters->bytes.load()) > answer("new")->bytes());
}

TEST_CASE("memory store: large bounds are sharded and hold their bounds in total") {
    auto counters = std::make_shared<observe::CacheCounters>();
    MemoryStore store({4096, 64u << 20}, counters);
    CHECK(store.shard_count() == 16);
    const TimePoint now = TimePoint{} + 1h;
    for (int i = 0; i < 10000; ++i)
        store.store(key_of("{\"model\":\"m" + std::to_string(i) + "\"}"), answer("x"), now + 1h);
    CHECK(counters->entries.load() <= 4096);
    CHECK(counters->entries.load() > 3500);  // each shard full, give or take the digest's spread
    CHECK(counters->of(observe::CacheEviction::entries) == 10000u - static_cast<std::uint64_t>(counters->entries.load()));
}

TEST_CASE("memory store: lookups and stores from several threads at once") {
    auto counters = std::make_shared<observe::CacheCounters>();
    MemoryStore store({1000, 1 << 22}, counters);
    const TimePoint now = TimePoint{} + 1h;
    std::atomic<int> hits{0}, wrong{0};  // Catch2's assertions are for the test's own thread
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 2000; ++i) {
                const CacheKey k = make_key(std::to_string(i % 300), "");
                if (i % 3 == t % 3) store.store(k, answer("v" + std::to_string(i % 300)), now + 1h);
                store.lookup(k, now, [&](std::shared_ptr<const CachedAnswer> a) {
                    if (!a) return;
                    hits.fetch_add(1);
                    if (a->body != "v" + std::to_string(i % 300)) wrong.fetch_add(1);
                });
            }
        });
    for (auto& t : threads) t.join();
    CHECK(hits.load() > 0);
    CHECK(wrong.load() == 0);
    CHECK(counters->entries.load() == 300);
}

TEST_CASE("response cache: the plan follows no-cache, no-store and the request's ttl") {
    auto clock = std::make_shared<FakeClock>();
    CacheConfig config;
    config.enabled = true;
    config.default_ttl = 60s;
    ResponseCache cache(config, clock);
    const std::string request = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
    ChatOptions o;
    auto p = cache.plan(request, false, o);
    REQUIRE(p);
    CHECK(p->read);
    CHECK(p->write);
    CHECK(p->ttl == 60s);
    CHECK_FALSE(p->max_age);

    o.cache.no_cache = true;
    p = cache.plan(request, false, o);
    REQUIRE(p);
    CHECK_FALSE(p->read);
    CHECK(p->write);

    o.cache.no_store = true;
    CHECK_FALSE(cache.plan(request, false, o));  // neither: it passes by
    CHECK(cache.counters()->of(observe::CacheLookup::bypass) == 2);

    ChatOptions ttl;
    ttl.cache.ttl = 5s;
    p = cache.plan(request, false, ttl);
    REQUIRE(p);
    CHECK(p->ttl == 5s);
    CHECK(p->max_age == 5s);
    ttl.cache.ttl = 0s;
    CHECK_FALSE(cache.plan(request, false, ttl));

    // The partition: the client id by default, or the one given.
    ChatOptions alice, bob, shared_a, shared_b;
    alice.client_id = "alice";
    bob.client_id = "bob";
    shared_a.client_id = "alice";
    shared_a.cache.partition = "team";
    shared_b.client_id = "bob";
    shared_b.cache.partition = "team";
    CHECK_FALSE(cache.plan(request, false, alice)->key == cache.plan(request, false, bob)->key);
    CHECK(cache.plan(request, false, shared_a)->key == cache.plan(request, false, shared_b)->key);
}

TEST_CASE("response cache: stored with its TTL on the router clock, and a request's ttl bounds the age it accepts") {
    auto clock = std::make_shared<FakeClock>();
    CacheConfig config;
    config.enabled = true;
    config.default_ttl = 60s;
    ResponseCache cache(config, clock);
    const std::string request = R"({"model":"m","messages":[]})";
    auto plan = cache.plan(request, false, {});
    REQUIRE(plan);
    auto look = [&](const CachePlan& p) {
        std::shared_ptr<const CachedAnswer> found;
        cache.lookup(p, [&](std::shared_ptr<const CachedAnswer> a) { found = std::move(a); });
        return found;
    };
    CHECK(look(*plan) == nullptr);
    REQUIRE(cache.store(*plan, served(), false, {}));
    clock->advance(30s);
    auto hit = look(*plan);
    REQUIRE(hit);
    CHECK(hit->usage.input_tokens == 11);
    CHECK(hit->usage.output_tokens == 7);
    CHECK(hit->provider == "a");

    ChatOptions young;
    young.cache.ttl = 20s;  // accepts nothing older than 20 s: the stored answer is 30 s old
    auto strict = cache.plan(request, false, young);
    REQUIRE(strict);
    CHECK(look(*strict) == nullptr);
    young.cache.ttl = 30s;
    CHECK(look(*cache.plan(request, false, young)));

    clock->advance(30s - 1ns);
    CHECK(look(*plan));
    clock->advance(1ns);  // 60 s: the default TTL is over
    CHECK(look(*plan) == nullptr);
    CHECK(cache.counters()->of(observe::CacheLookup::hit) == 3);
    CHECK(cache.counters()->of(observe::CacheLookup::miss) == 3);
}

TEST_CASE("response cache: only complete, successful answers are stored") {
    auto clock = std::make_shared<FakeClock>();
    CacheConfig config;
    config.enabled = true;
    ResponseCache cache(config, clock);
    auto plan = cache.plan(R"({"model":"m"})", true, {});
    REQUIRE(plan);
    const std::vector<std::string> chunks = {R"({"choices":[{"delta":{"content":"hel"}}]})",
                                             R"({"choices":[{"delta":{"content":"lo"},"finish_reason":"stop"}]})"};
    ChatResponse ok = served("");
    CHECK(ResponseCache::storable(ok, true, chunks));
    CHECK_FALSE(ResponseCache::storable(ok, true, {}));  // a stream with no chunk recorded

    ChatResponse failed = served();
    failed.status = 502;
    failed.trace.ok = false;
    CHECK_FALSE(ResponseCache::storable(failed, false, {}));
    CHECK_FALSE(cache.store(*plan, failed, true, chunks));

    ChatResponse truncated = served("");
    truncated.finish_reason.clear();  // no finish reason: the answer did not end
    CHECK_FALSE(ResponseCache::storable(truncated, true, chunks));

    ChatResponse hit = served();
    hit.trace.cache_hit = true;
    CHECK_FALSE(ResponseCache::storable(hit, false, {}));

    ChatResponse whole = served();
    CHECK(ResponseCache::storable(whole, false, {}));
    whole.body.clear();
    CHECK_FALSE(ResponseCache::storable(whole, false, {}));

    ChatOptions no_store;
    no_store.cache.no_store = true;
    auto read_only = cache.plan(R"({"model":"m"})", true, no_store);
    REQUIRE(read_only);
    CHECK_FALSE(cache.store(*read_only, ok, true, chunks));
    CHECK(cache.counters()->stores.load() == 0);
    CHECK(cache.store(*plan, ok, true, chunks));
    CHECK(cache.counters()->stores.load() == 1);
}

namespace {

sw::LoadResult load(const std::string& cache_section, std::map<std::string, std::string> env = {}) {
    std::string text = R"({"pools":[{"id":"p","providers":[{"name":"a","provider":"custom","modelName":"m",)"
                       R"("apiBase":"http://127.0.0.1:9/v1"}]}],"models":{"chat":{"primaryPoolId":"p"}})";
    if (!cache_section.empty()) text += R"(,"cache":)" + cache_section;
    text += "}";
    sw::LoadOptions options;
    options.env = [env](const std::string& name) -> std::optional<std::string> {
        if (auto it = env.find(name); it != env.end()) return it->second;
        if (name == "OPENAI_API_KEY") return std::string("sk-test");
        return std::nullopt;
    };
    return sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
}

const sw::Diagnostic* at(const sw::LoadResult& r, std::string_view path) {
    for (const auto& d : r.diagnostics)
        if (d.path == path) return &d;
    return nullptr;
}

}  // namespace

TEST_CASE("cache config: off by default, and each key of the section works") {
    auto off = load("");
    REQUIRE(off.ok());
    CHECK_FALSE(off.config->cache.enabled);
    CHECK(off.config->cache.default_ttl == 3600s);
    CHECK(off.config->cache.max_entries == 10000);

    auto on = load(R"({"enabled":true,"backend":"memory","default_ttl":120,"max_size":50,"max_bytes":2048})");
    INFO(sw::format_diagnostics_text(on));
    REQUIRE(on.ok());
    CHECK(on.diagnostics.empty());  // nothing ignored any more
    CHECK(on.config->cache.enabled);
    CHECK(on.config->cache.default_ttl == 120s);
    CHECK(on.config->cache.max_entries == 50);
    CHECK(on.config->cache.max_bytes == 2048);
}

TEST_CASE("cache config: the redis backend reads its server from cache.redis") {
    auto r = load(R"({"enabled":true,"backend":"redis","redis":{"url":"redis://cachehost:6380/2","pool_size":3}})",
                  {{"REDIS_URL", "redis://statehost:6379/0"}, {"REDIS_PASSWORD", "state-pw-1f3a"}});
    INFO(sw::format_diagnostics_text(r));
    REQUIRE(r.ok());
    CHECK(r.diagnostics.empty());
    const sw::CacheConfig& cache = r.config->cache;
    CHECK(cache.backend == sw::CacheBackend::redis);
    CHECK(cache.redis.url.reveal() == "redis://cachehost:6380/2");
    // A server of its own: the shared state's password is not sent to it.
    CHECK(cache.redis.password.empty());
    CHECK(cache.redis.pool_size == 3);
    CHECK(cache.redis.timeout == sw::Millis(100));
}

TEST_CASE("cache config: without cache.redis.url the redis backend uses the top-level redis server") {
    const std::map<std::string, std::string> env = {{"REDIS_URL", "redis://statehost:6379/1"},
                                                    {"REDIS_PASSWORD", "state-pw-1f3a"},
                                                    {"REDIS_POOL_SIZE", "6"}};
    auto r = load(R"({"enabled":true,"backend":"redis"})", env);
    INFO(sw::format_diagnostics_text(r));
    REQUIRE(r.ok());
    const sw::CacheConfig& cache = r.config->cache;
    CHECK(cache.redis.url.reveal() == "redis://statehost:6379/1");
    CHECK(cache.redis.password.reveal() == "state-pw-1f3a");
    CHECK(cache.redis.pool_size == 6);
    // CACHE_BACKEND does the same; the guide's url: "${REDIS_URL}" too, with its own pool size.
    auto from_env = load("", {{"CACHE_ENABLED", "true"}, {"CACHE_BACKEND", "redis"}, {"REDIS_URL", "redis://h:1/0"}});
    REQUIRE(from_env.ok());
    CHECK(from_env.config->cache.backend == sw::CacheBackend::redis);
    CHECK(from_env.config->cache.redis.url.reveal() == "redis://h:1/0");
    auto guide = load(R"({"backend":"redis","redis":{"url":"${REDIS_URL}","pool_size":10}})", env);
    REQUIRE(guide.ok());
    CHECK(guide.config->cache.redis.url.reveal() == "redis://statehost:6379/1");
    CHECK(guide.config->cache.redis.pool_size == 10);
}

TEST_CASE("cache config: the redis backend with no server, or a bad one, is an error that never echoes the URL") {
    auto none = load(R"({"enabled":true,"backend":"redis"})");
    CHECK_FALSE(none.ok());
    const sw::Diagnostic* backend = at(none, "cache.backend");
    REQUIRE(backend);
    CHECK(backend->severity == sw::Severity::error);
    CHECK_THAT(backend->message, Catch::Contains("needs a server") && Catch::Contains("REDIS_URL"));
    CHECK_THAT(backend->suggestion, Catch::Contains("REDIS_URL") && Catch::Contains("memory"));
    auto none_env = load("", {{"CACHE_BACKEND", "redis"}});
    CHECK_FALSE(none_env.ok());
    REQUIRE(at(none_env, "env:CACHE_BACKEND"));
    CHECK_THAT(at(none_env, "env:CACHE_BACKEND")->message, Catch::Contains("needs a server"));

    auto bad = load(R"({"backend":"redis","redis":{"url":"rediss://u:hunter2-secret@host:6380/0","pool_size":0}})");
    CHECK_FALSE(bad.ok());
    const sw::Diagnostic* url = at(bad, "cache.redis.url");
    REQUIRE(url);
    CHECK_THAT(url->message, Catch::Contains("TLS"));
    CHECK(at(bad, "cache.redis.pool_size"));
    for (const auto& d : bad.diagnostics) {
        CHECK_THAT(d.message, !Catch::Contains("hunter2"));
        CHECK_THAT(d.suggestion, !Catch::Contains("hunter2"));
    }

    // The guide's "${REDIS_URL}" unset: the error any unset variable is, saying how to do without.
    auto unset = load(R"({"backend":"redis","redis":{"url":"${REDIS_URL}"}})");
    CHECK_FALSE(unset.ok());
    REQUIRE(at(unset, "cache.redis.url"));
    CHECK_THAT(at(unset, "cache.redis.url")->message, Catch::Contains("REDIS_URL"));
    CHECK_THAT(at(unset, "cache.redis.url")->suggestion, Catch::Contains("${REDIS_URL:-}"));

    // With the memory backend the subsection does nothing, and says so.
    auto unused = load(R"({"backend":"memory","redis":{"url":"redis://h:1/0"}})");
    REQUIRE(unused.ok());
    REQUIRE(at(unused, "cache.redis"));
    CHECK(at(unused, "cache.redis")->severity == sw::Severity::warning);

    auto typo = load(R"({"enabled":true,"backend":"memroy","default_tll":5})");
    CHECK_FALSE(typo.ok());
    REQUIRE(at(typo, "cache.backend"));
    CHECK_THAT(at(typo, "cache.backend")->message, Catch::Contains("unknown cache backend"));
    REQUIRE(at(typo, "cache.default_tll"));
    CHECK_THAT(at(typo, "cache.default_tll")->suggestion, Catch::Contains("default_ttl"));

    auto zero = load(R"({"default_ttl":0,"max_size":0})");
    CHECK_FALSE(zero.ok());
    CHECK(at(zero, "cache.default_ttl"));
    CHECK(at(zero, "cache.max_size"));
}

TEST_CASE("cache config: CACHE_ENABLED, CACHE_DEFAULT_TTL, CACHE_MAX_SIZE and CACHE_MAX_BYTES, which the section overrides") {
    const std::map<std::string, std::string> env = {{"CACHE_ENABLED", "true"},
                                                    {"CACHE_BACKEND", "memory"},
                                                    {"CACHE_DEFAULT_TTL", "30"},
                                                    {"CACHE_MAX_SIZE", "7"},
                                                    {"CACHE_MAX_BYTES", "4096"}};
    auto r = load("", env);
    INFO(sw::format_diagnostics_text(r));
    REQUIRE(r.ok());
    CHECK(r.config->cache.enabled);
    CHECK(r.config->cache.default_ttl == 30s);
    CHECK(r.config->cache.max_entries == 7);
    CHECK(r.config->cache.max_bytes == 4096);
    auto overridden = load(R"({"enabled":false,"max_size":9})", env);
    REQUIRE(overridden.ok());
    CHECK_FALSE(overridden.config->cache.enabled);
    CHECK(overridden.config->cache.max_entries == 9);
    CHECK(overridden.config->cache.default_ttl == 30s);

    auto unknown = load("", {{"CACHE_BACKEND", "memcached"}});
    CHECK_FALSE(unknown.ok());
    REQUIRE(at(unknown, "env:CACHE_BACKEND"));
    CHECK_THAT(at(unknown, "env:CACHE_BACKEND")->message, Catch::Contains("unknown cache backend"));
    auto bad = load("", {{"CACHE_DEFAULT_TTL", "an hour"}, {"CACHE_ENABLED", "yes"}});
    CHECK_FALSE(bad.ok());
    CHECK(at(bad, "env:CACHE_DEFAULT_TTL"));
    CHECK(at(bad, "env:CACHE_ENABLED"));
}

TEST_CASE("cache: a hit's ledger row says cache_hit") {
    RouteResult trace;
    trace.ok = true;
    trace.model = "chat";
    trace.cache_hit = true;
    const RequestFinishedEvent e{.request = 7, .operation = "chat", .status = 200, .trace = trace, .cost_usd = 0.0};
    const ledger::Row row = ledger::make_row(e, 1);
    CHECK(row.cache_hit);
    CHECK(row.cost_usd == std::optional<double>(0.0));
    trace.cache_hit = false;
    CHECK_FALSE(ledger::make_row(e, 1).cache_hit);
}
