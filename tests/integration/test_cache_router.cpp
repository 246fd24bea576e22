// test_cache_router.cpp — the response cache behind a real Router over the loopback mock
// (docs/cache.md): a hit makes no provider call and says so everywhere (trace, event, metrics);
// a stream replays chunk by chunk, tool-call deltas included; a truncated stream and an error are
// never stored; partitions keep tenants apart; no-cache, no-store and the ttl work; the LRU and
// the TTL hold through the router, the TTL on the router's own clock.
#include "chunk_collector.hpp"
#include "mock_process.hpp"
#include "../unit/scripted_server.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>
#include <switch/testing/fake_clock.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <future>
#include <mutex>
#include <vector>

using sw::test::Chunks;
using sw::test::MockProcess;
using namespace std::chrono_literals;

namespace {

MockProcess& mock() {
    static MockProcess instance;  // one mock for the run; each test has its own scenario keys
    return instance;
}

// Model "chat" on one custom provider whose model (the mock's scenario and key) is `key`, with
// the cache section `cache` (JSON members).
std::shared_ptr<const sw::Config> config(const std::string& key, const std::string& cache = R"("enabled":true)") {
    const std::string text = fmt::format(
        R"({{"pools":[{{"id":"primary","providers":[{{"name":"a","provider":"custom","modelName":"{}",)"
        R"("apiBase":"{}/v1","maxRetries":0,"timeout":5000}}]}}],"models":{{"chat":{{"primaryPoolId":"primary"}}}},)"
        R"("cache":{{{}}}}})",
        key, mock().base(), cache);
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

// Every request_finished event, kept.
struct Finished final : sw::RouterObserver {
    std::mutex mutex;
    std::vector<bool> cache_hits;
    std::vector<std::optional<double>> costs;
    void on_request_finished(const sw::RequestFinishedEvent& e) override {
        std::lock_guard lock(mutex);
        cache_hits.push_back(e.trace.cache_hit);
        costs.push_back(e.cost_usd);
    }
};

sw::ChatOptions options_with(auto&& set) {
    sw::ChatOptions o;
    set(o);
    return o;
}

}  // namespace

TEST_CASE("router cache: a repeated request is answered from the cache, at cost 0, with the original usage") {
    const std::string key = "cache-hit";
    auto finished = std::make_shared<Finished>();
    sw::RouterOptions ro;
    ro.observers.push_back(finished);
    sw::Router router(config(key), ro);
    const std::int64_t before = mock().attempts(key);

    sw::ChatResponse first = router.chat(chat("hello"));
    REQUIRE(first.ok());
    CHECK_FALSE(first.trace.cache_hit);
    REQUIRE(first.usage.total() > 0);
    sw::ChatResponse second = router.chat(chat("hello"));
    REQUIRE(second.ok());
    CHECK(second.trace.cache_hit);
    CHECK(mock().attempts(key) == before + 1);  // one provider call for two answers
    CHECK(second.body == first.body);
    CHECK(second.text == first.text);
    CHECK(second.finish_reason == first.finish_reason);
    CHECK(second.usage.input_tokens == first.usage.input_tokens);
    CHECK(second.usage.output_tokens == first.usage.output_tokens);
    REQUIRE(second.cost_usd);
    CHECK(*second.cost_usd == 0.0);
    CHECK(second.trace.attempts.empty());
    CHECK(second.trace.provider == "a");
    CHECK(second.trace.pool_id == "primary");
    CHECK_THAT(second.trace_json(), Catch::Contains(R"("cache_hit":true)"));
    CHECK_THAT(first.trace_json(), !Catch::Contains("cache_hit"));

    // Another question is another key.
    CHECK_FALSE(router.chat(chat("something else")).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 2);

    {
        std::lock_guard lock(finished->mutex);
        CHECK(finished->cache_hits == std::vector<bool>{false, true, false});
        REQUIRE(finished->costs.size() == 3);
        CHECK(finished->costs[1] == std::optional<double>(0.0));
    }
    const std::string metrics = router.metrics_text();
    CHECK_THAT(metrics, Catch::Contains(R"(switch_cache_lookups_total{result="hit"} 1)"));
    CHECK_THAT(metrics, Catch::Contains(R"(switch_cache_lookups_total{result="miss"} 2)"));
    CHECK_THAT(metrics, Catch::Contains("switch_cache_stores_total 2"));
    CHECK_THAT(metrics, Catch::Contains("switch_cache_entries 2"));
}

TEST_CASE("router cache: a stream is replayed chunk by chunk, equal to the original, tool-call deltas included") {
    const std::string key = "cache-stream@chunks=4,tool_call=lookup";
    sw::Router router(config(key));
    const std::int64_t before = mock().attempts(key);
    Chunks original, replayed;
    sw::ChatResponse first = router.chat_stream(chat("stream me", true), original.callback());
    REQUIRE(first.ok());
    CHECK(first.finish_reason == "tool_calls");
    sw::ChatResponse second = router.chat_stream(chat("stream me", true), replayed.callback());
    REQUIRE(second.ok());
    CHECK(second.trace.cache_hit);
    CHECK(mock().attempts(key) == before + 1);
    REQUIRE(original.items.size() >= 6);  // 4 content chunks, the tool call in two, the end
    CHECK(replayed.items == original.items);
    CHECK_THAT(replayed.joined(), Catch::Contains("tool_calls"));
    CHECK(second.text == first.text);
    CHECK(second.usage.output_tokens == first.usage.output_tokens);

    // The same question unstreamed is another key: it goes to the provider, and is answered whole.
    Chunks none;
    sw::ChatResponse whole = router.chat_stream(chat("stream me", false), none.callback());
    REQUIRE(whole.ok());
    CHECK_FALSE(whole.trace.cache_hit);
    CHECK(none.items.empty());
    CHECK(mock().attempts(key) == before + 2);
}

TEST_CASE("router cache: a truncated stream is never stored") {
    // The first attempt is cut after two content chunks (the caller sees them, then an error);
    // the mock's later attempts are whole.
    const std::string key = "cache-cut@cut_after=2,fail_first=1";
    sw::Router router(config(key));
    const std::int64_t before = mock().attempts(key);
    Chunks cut, fresh, replayed;
    sw::ChatResponse broken = router.chat_stream(chat("cut me", true), cut.callback());
    CHECK_FALSE(broken.ok());
    CHECK(broken.failure_kind() == sw::FailureKind::stream_interrupted);
    REQUIRE(cut.items.size() >= 2);
    sw::ChatResponse whole = router.chat_stream(chat("cut me", true), fresh.callback());
    REQUIRE(whole.ok());
    CHECK_FALSE(whole.trace.cache_hit);  // the broken one was not kept
    CHECK(mock().attempts(key) == before + 2);
    sw::ChatResponse hit = router.chat_stream(chat("cut me", true), replayed.callback());
    CHECK(hit.trace.cache_hit);
    CHECK(replayed.items == fresh.items);  // the whole answer, not the broken one
    CHECK(mock().attempts(key) == before + 2);
}

TEST_CASE("router cache: an error inside a stream and an error status are never stored") {
    for (const std::string& key : {std::string("cache-stream-error@stream_error_at=2,fail_first=1"),
                                  std::string("cache-status@status=500,fail_first=1")}) {
        INFO(key);
        sw::Router router(config(key));
        mock().reset();
        const bool stream = key.find("stream") != std::string::npos;
        Chunks chunks;
        CHECK_FALSE(router.chat_stream(chat("fail once", stream), chunks.callback()).ok());
        sw::ChatResponse served = router.chat_stream(chat("fail once", stream), chunks.callback());
        REQUIRE(served.ok());
        CHECK_FALSE(served.trace.cache_hit);
        CHECK(mock().attempts(key) == 2);
        CHECK(router.chat_stream(chat("fail once", stream), chunks.callback()).trace.cache_hit);
        CHECK(mock().attempts(key) == 2);
    }
}

TEST_CASE("router cache: tenants are kept apart by client id, and share an explicit partition") {
    const std::string key = "cache-tenants";
    sw::Router router(config(key));
    const std::int64_t before = mock().attempts(key);
    auto as = [](std::string client, std::string partition = "") {
        sw::ChatOptions o;
        o.client_id = std::move(client);
        o.cache.partition = std::move(partition);
        return o;
    };
    CHECK_FALSE(router.chat(chat("tenant"), as("alice")).trace.cache_hit);
    CHECK_FALSE(router.chat(chat("tenant"), as("bob")).trace.cache_hit);  // not alice's answer
    CHECK_FALSE(router.chat(chat("tenant")).trace.cache_hit);             // nor, without a client id
    CHECK(mock().attempts(key) == before + 3);
    CHECK(router.chat(chat("tenant"), as("alice")).trace.cache_hit);
    CHECK(router.chat(chat("tenant"), as("bob")).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 3);
    // An explicit partition is shared by whoever names it.
    CHECK_FALSE(router.chat(chat("tenant"), as("alice", "team")).trace.cache_hit);
    CHECK(router.chat(chat("tenant"), as("bob", "team")).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 4);
}

TEST_CASE("router cache: no-store, no-cache and a ttl of 0 per request") {
    const std::string key = "cache-controls";
    sw::Router router(config(key));
    const std::int64_t before = mock().attempts(key);
    const auto no_store = options_with([](sw::ChatOptions& o) { o.cache.no_store = true; });
    const auto no_cache = options_with([](sw::ChatOptions& o) { o.cache.no_cache = true; });
    const auto ttl0 = options_with([](sw::ChatOptions& o) { o.cache.ttl = 0s; });

    REQUIRE(router.chat(chat("controls"), no_store).ok());
    CHECK_FALSE(router.chat(chat("controls")).trace.cache_hit);  // no-store kept nothing
    CHECK(mock().attempts(key) == before + 2);
    CHECK(router.chat(chat("controls"), no_store).trace.cache_hit);  // but no-store may read
    CHECK(mock().attempts(key) == before + 2);

    // no-cache goes to the provider and stores the fresh answer in place of the old one.
    sw::ChatResponse fresh = router.chat(chat("controls"), no_cache);
    CHECK_FALSE(fresh.trace.cache_hit);
    CHECK(mock().attempts(key) == before + 3);
    sw::ChatResponse hit = router.chat(chat("controls"));
    CHECK(hit.trace.cache_hit);
    CHECK(hit.body == fresh.body);

    CHECK_FALSE(router.chat(chat("controls"), ttl0).trace.cache_hit);  // max-age=0: neither reads nor stores
    CHECK(mock().attempts(key) == before + 4);
    CHECK(router.chat(chat("controls")).body == fresh.body);  // what was stored is still there
}

TEST_CASE("router cache: the TTL runs on the router's clock, and a request's ttl is its own") {
    const std::string key = "cache-ttl";
    auto clock = std::make_shared<sw::FakeClock>();
    sw::RouterOptions ro;
    ro.clock = clock;
    sw::Router router(config(key, R"("enabled":true,"default_ttl":60)"), ro);
    const std::int64_t before = mock().attempts(key);
    REQUIRE(router.chat(chat("ttl")).ok());
    clock->advance(60s - 1ms);
    CHECK(router.chat(chat("ttl")).trace.cache_hit);
    clock->advance(1ms);
    CHECK_FALSE(router.chat(chat("ttl")).trace.cache_hit);  // expired at exactly 60 s; stored again
    CHECK(mock().attempts(key) == before + 2);

    // A request's ttl: its answer is kept 5 s, not 60.
    const auto short_lived = options_with([](sw::ChatOptions& o) { o.cache.ttl = 5s; });
    REQUIRE(router.chat(chat("ttl short"), short_lived).ok());
    clock->advance(5s - 1ms);
    CHECK(router.chat(chat("ttl short")).trace.cache_hit);
    clock->advance(1ms);
    CHECK_FALSE(router.chat(chat("ttl short")).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 4);
    // And it accepts no answer older than itself: the one just stored (60 s TTL) is 2 s old.
    clock->advance(2s);
    const auto young = options_with([](sw::ChatOptions& o) { o.cache.ttl = 1s; });
    CHECK_FALSE(router.chat(chat("ttl short"), young).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 5);
}

TEST_CASE("router cache: least recently used out at max_size, through the router") {
    const std::string key = "cache-lru";
    sw::Router router(config(key, R"("enabled":true,"max_size":2)"));
    const std::int64_t before = mock().attempts(key);
    REQUIRE(router.chat(chat("one")).ok());
    REQUIRE(router.chat(chat("two")).ok());
    CHECK(router.chat(chat("one")).trace.cache_hit);  // "two" is now the least recently used
    REQUIRE(router.chat(chat("three")).ok());
    CHECK(mock().attempts(key) == before + 3);
    CHECK(router.chat(chat("one")).trace.cache_hit);
    CHECK(router.chat(chat("three")).trace.cache_hit);
    CHECK_FALSE(router.chat(chat("two")).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 4);
    CHECK_THAT(router.metrics_text(), Catch::Contains(R"(switch_cache_evictions_total{reason="entries"} 2)"));
}

TEST_CASE("router cache: off unless the config turns it on") {
    const std::string key = "cache-off";
    sw::Router router(config(key, R"("enabled":false)"));
    const std::int64_t before = mock().attempts(key);
    CHECK_FALSE(router.chat(chat("off")).trace.cache_hit);
    CHECK_FALSE(router.chat(chat("off")).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 2);
    CHECK_THAT(router.metrics_text(), !Catch::Contains("switch_cache_"));
}

TEST_CASE("router cache: concurrent identical requests on several I/O threads all get whole answers") {
    const std::string key = "cache-concurrent";
    sw::RouterOptions ro;
    ro.io_threads = 4;
    sw::Router router(config(key), ro);
    const std::int64_t before = mock().attempts(key);
    std::vector<std::future<sw::ChatResponse>> futures;
    for (int i = 0; i < 64; ++i) futures.push_back(router.chat_async(chat("same " + std::to_string(i % 4))));
    int hits = 0;
    for (auto& f : futures) {
        sw::ChatResponse r = f.get();
        REQUIRE(r.ok());
        CHECK_FALSE(r.text.empty());
        hits += r.trace.cache_hit ? 1 : 0;
    }
    // Requests in flight together may each miss; every one either hit or was answered.
    CHECK(hits + (mock().attempts(key) - before) == 64);
    CHECK(router.chat(chat("same 0")).trace.cache_hit);
}

TEST_CASE("router cache: reasoning deltas are replayed with the rest, in order") {
    // An OpenAI-protocol stream with reasoning_content deltas before its content, from a scripted
    // server: the mock does not reason.
    std::string sse;
    auto event = [&sse](const std::string& delta, const std::string& finish) {
        sse += R"(data: {"id":"r1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":)" + delta +
               R"(,"finish_reason":)" + finish + "}]}\n\n";
    };
    event(R"({"role":"assistant","reasoning_content":"Think "})", "null");
    event(R"({"reasoning_content":"twice."})", "null");
    event(R"({"content":"Answer."})", "null");
    event(R"({})", R"("stop")");
    sse += "data: [DONE]\n\n";
    sw::test::ScriptedServer server({sw::test::Step::send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                                          "Connection: close\r\nContent-Length: " +
                                                          std::to_string(sse.size()) + "\r\n\r\n" + sse),
                                     sw::test::Step::close()});
    const std::string text = fmt::format(
        R"({{"pools":[{{"id":"primary","providers":[{{"name":"r","provider":"custom","modelName":"m",)"
        R"("apiBase":"http://127.0.0.1:{}/v1","maxRetries":0}}]}}],"models":{{"chat":{{"primaryPoolId":"primary"}}}},)"
        R"("cache":{{"enabled":true}}}})",
        server.port());
    sw::LoadOptions lo;
    lo.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto loaded = sw::load_config_string(text, sw::ConfigFormat::json, "test", lo);
    REQUIRE(loaded.ok());
    sw::Router router(loaded.config);
    Chunks original, replayed;
    REQUIRE(router.chat_stream(chat("reason", true), original.callback()).ok());
    sw::ChatResponse hit = router.chat_stream(chat("reason", true), replayed.callback());
    REQUIRE(hit.ok());
    CHECK(hit.trace.cache_hit);
    CHECK(server.requests() == 1);
    REQUIRE(original.items.size() == 4);
    CHECK_THAT(original.items[0], Catch::Contains("reasoning_content"));
    CHECK(replayed.items == original.items);
}

TEST_CASE("router cache: a reload keeps the answers, and a model it removed answers 404, not from the cache") {
    const std::string key = "cache-reload";
    sw::Router router(config(key));
    const std::int64_t before = mock().attempts(key);
    REQUIRE(router.chat(chat("reload")).ok());
    router.reload(config(key, R"("enabled":false)"));  // the cache was built from the first config
    CHECK(router.chat(chat("reload")).trace.cache_hit);
    CHECK(mock().attempts(key) == before + 1);
    // The same pool, but no model "chat" any more.
    const std::string text = fmt::format(
        R"({{"pools":[{{"id":"primary","providers":[{{"name":"a","provider":"custom","modelName":"{}",)"
        R"("apiBase":"{}/v1","maxRetries":0}}]}}],"models":{{"other":{{"primaryPoolId":"primary"}}}}}})",
        key, mock().base());
    sw::LoadOptions lo;
    lo.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto loaded = sw::load_config_string(text, sw::ConfigFormat::json, "test", lo);
    REQUIRE(loaded.ok());
    router.reload(loaded.config);
    sw::ChatResponse gone = router.chat(chat("reload"));
    CHECK(gone.status == 404);
    CHECK_FALSE(gone.trace.cache_hit);
    CHECK(mock().attempts(key) == before + 1);
}
