// test_redis_store.cpp — the response cache's redis store against a throwaway redis-server on
// loopback, without a router: an answer stored and read back exactly (binary chunks included),
// its key's name and TTL on the server, a value that is not an answer read as a miss, an answer
// over the bound never written, the age of a hit from the wall clock, and a closed gate.
#include "redis_server.hpp"
#include "redis_support.hpp"

#include "cache/answer_codec.hpp"
#include "cache/redis_store.hpp"

#include <catch2/catch.hpp>

#include <future>

using sw::cache::CachedAnswer;
using sw::cache::RedisStore;
using sw::test::call_sync;
using sw::test::loopback_options;
using sw::test::RedisServer;
using sw::test::wait_until;
using namespace std::chrono_literals;

namespace {

// A store over a one-connection client on one real I/O thread, its wall clock the test's.
struct StoreRig {
    sw::transport::HttpEngine loop;  // first: it outlives the client
    sw::redis::Client client;
    std::shared_ptr<sw::cache::ClientGate> gate;
    std::shared_ptr<sw::observe::CacheCounters> counters = std::make_shared<sw::observe::CacheCounters>();
    std::atomic<std::int64_t> wall_ms{1'000'000};
    RedisStore store;

    explicit StoreRig(const RedisServer& server, std::size_t max_bytes = 1u << 20)
        : client({&loop}, loopback_options(server.url()), 1),
          gate(std::make_shared<sw::cache::ClientGate>(client)),
          store(gate, max_bytes, counters, [this] { return wall_ms.load(); }) {
        if (!wait_until([&] { return client.available(); })) throw std::runtime_error("the client never came up");
    }
    ~StoreRig() { gate->close(); }

    std::shared_ptr<const CachedAnswer> lookup(const sw::cache::CacheKey& key, sw::TimePoint now = sw::TimePoint{}) {
        auto p = std::make_shared<std::promise<std::shared_ptr<const CachedAnswer>>>();
        auto f = p->get_future();
        store.lookup(key, now, [p](std::shared_ptr<const CachedAnswer> a) { p->set_value(std::move(a)); });
        if (f.wait_for(10s) != std::future_status::ready) throw std::runtime_error("a lookup hung");
        return f.get();
    }
};

std::shared_ptr<CachedAnswer> stream_answer() {
    auto a = std::make_shared<CachedAnswer>();
    a->stream = true;
    a->chunks = {R"({"choices":[{"delta":{"content":"Hel"}}]})", std::string("lo\0\r\n", 5), "", "[end]"};
    a->text = "Hello";
    a->finish_reason = "stop";
    a->usage = {12, 34};
    a->pool_id = "primary";
    a->provider = "a";
    return a;
}

sw::cache::CacheKey key_of(std::string_view text, std::string_view partition = "") {
    return sw::cache::make_key(text, partition);
}

}  // namespace

TEST_CASE("redis store: an answer comes back exactly, under switch:v1:cache: and its TTL", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    StoreRig rig(server);
    const auto key = key_of("question", "alice");
    auto answer = stream_answer();
    answer->stored_at = sw::TimePoint{} + 5s;
    rig.store.store(key, answer, answer->stored_at + 30s);
    const std::string name = "switch:v1:cache:" + key.hex();
    CHECK(RedisStore::key_name(key) == name);
    REQUIRE(wait_until([&] { return call_sync(rig.client, {"EXISTS", name}).reply.integer == 1; }));
    CHECK(rig.counters->stores.load() == 1);
    // Every cache key expires: here in 30 s, on the server's clock.
    const auto pttl = call_sync(rig.client, {"PTTL", name});
    REQUIRE(pttl.reply.type == sw::redis::Reply::Type::integer);
    CHECK(pttl.reply.integer > 29'000);
    CHECK(pttl.reply.integer <= 30'000);

    auto hit = rig.lookup(key);
    REQUIRE(hit);
    CHECK(hit->stream);
    CHECK(hit->chunks == answer->chunks);  // four chunks, an empty one and binary bytes included
    CHECK(hit->text == "Hello");
    CHECK(hit->finish_reason == "stop");
    CHECK(hit->usage.input_tokens == 12);
    CHECK(hit->usage.output_tokens == 34);
    CHECK(hit->pool_id == "primary");
    CHECK(hit->provider == "a");
    // Another partition is another key.
    CHECK_FALSE(rig.lookup(key_of("question", "bob")));
    CHECK_FALSE(rig.lookup(key_of("question")));
}

TEST_CASE("redis store: a hit's age is from the wall clock, set on the router's clock", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    StoreRig rig(server);
    const auto key = key_of("aged");
    auto answer = stream_answer();
    rig.store.store(key, answer, answer->stored_at + 60s);
    REQUIRE(wait_until([&] { return rig.counters->stores.load() == 1; }));
    rig.wall_ms += 7'000;  // seven seconds later, for every process
    const sw::TimePoint now = sw::TimePoint{} + 100s;
    auto hit = rig.lookup(key, now);
    REQUIRE(hit);
    CHECK(hit->stored_at == now - 7s);
    // A wall clock that ran back is age 0, never a hit from the future.
    rig.wall_ms -= 60'000;
    CHECK(rig.lookup(key, now)->stored_at == now);
}

TEST_CASE("redis store: a value that is not an answer is a miss", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    StoreRig rig(server);
    const auto key = key_of("malformed");
    const std::string name = RedisStore::key_name(key);
    const std::string good = sw::cache::encode_answer(*stream_answer(), 0);
    const std::vector<std::string> bad = {
        "not an answer",
        "",
        good.substr(0, good.size() - 1),  // truncated
        good + "x",                       // trailing bytes
        "SWC\x02" + good.substr(4),       // a later format version
    };
    for (const std::string& value : bad) {
        INFO(value.size());
        REQUIRE(call_sync(rig.client, {"SET", name, value}).ok());
        CHECK_FALSE(rig.lookup(key));
    }
    // The good one, for contrast, is a hit.
    REQUIRE(call_sync(rig.client, {"SET", name, good}).ok());
    CHECK(rig.lookup(key));
    // A key of another type: the server's WRONGTYPE error is a miss too.
    REQUIRE(call_sync(rig.client, {"DEL", name}).ok());
    REQUIRE(call_sync(rig.client, {"RPUSH", name, "x"}).ok());
    CHECK_FALSE(rig.lookup(key));
    // And the next answer stored replaces whatever was there.
    auto answer = stream_answer();
    rig.store.store(key, answer, answer->stored_at + 10s);
    REQUIRE(wait_until([&] { return rig.counters->stores.load() == 1; }));
    CHECK(rig.lookup(key));
}

TEST_CASE("redis store: an answer over max_bytes is not written, and counted", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    StoreRig rig(server, 4096);
    auto big = stream_answer();
    big->chunks.push_back(std::string(5000, 'x'));
    rig.store.store(key_of("big"), big, big->stored_at + 10s);
    CHECK(rig.counters->too_large.load() == 1);
    auto small = stream_answer();
    rig.store.store(key_of("small"), small, small->stored_at + 10s);
    REQUIRE(wait_until([&] { return rig.counters->stores.load() == 1; }));
    CHECK(call_sync(rig.client, {"DBSIZE"}).reply.integer == 1);  // the small one only
    CHECK_FALSE(rig.lookup(key_of("big")));
}

TEST_CASE("redis store: with the gate closed or the server gone, a lookup is a miss at once", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    StoreRig rig(server);
    const auto key = key_of("gone");
    auto answer = stream_answer();
    rig.store.store(key, answer, answer->stored_at + 60s);
    REQUIRE(wait_until([&] { return rig.counters->stores.load() == 1; }));
    REQUIRE(rig.lookup(key));

    server.kill();
    REQUIRE(wait_until([&] { return !rig.client.available(); }));
    auto started = std::chrono::steady_clock::now();
    CHECK_FALSE(rig.lookup(key));
    CHECK(std::chrono::steady_clock::now() - started < 50ms);
    rig.store.store(key, answer, answer->stored_at + 60s);  // dropped, without a word
    CHECK(rig.counters->stores.load() == 1);

    server.start();  // empty: it kept nothing
    REQUIRE(wait_until([&] { return rig.client.available(); }));
    CHECK_FALSE(rig.lookup(key));
    rig.gate->close();
    started = std::chrono::steady_clock::now();
    CHECK_FALSE(rig.lookup(key));  // closed: not even sent
    rig.store.store(key, answer, answer->stored_at + 60s);
    CHECK(std::chrono::steady_clock::now() - started < 50ms);
    CHECK(call_sync(rig.client, {"DBSIZE"}).reply.integer == 0);
}
