// test_router_io_threads.cpp — a router with several I/O threads, over real HTTP to the loopback
// mock: requests spread over every thread, and what works on one thread works on each of them
// (cancel, shutdown, the would-deadlock refusal, a token exchange shared by all threads).
#include "mock_process.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;  // one mock for the file; tests use distinct scenario keys
    return instance;
}

// Model "chat" on one OpenAI-compatible provider whose mock scenario is `model` (NAME@SPEC),
// or, with `oauth_token`, on an OpenAI provider whose bearer token comes from the mock's
// /token/NAME endpoint through an oauth store.
std::shared_ptr<const sw::Config> config(const std::string& model, const std::string& oauth_token = "") {
    const std::string store =
        oauth_token.empty() ? R"("key":{"type":"simple","source":"inline","config":{"apiKey":"sk-test-io"}})"
                            : fmt::format(R"("key":{{"type":"oauth","config":{{"tokenUrl":"{}/token/{}",)"
                                          R"("clientId":"router","clientSecretVar":"CLIENT_SECRET"}}}})",
                                          mock().base(), oauth_token);
    const std::string text = fmt::format(
        R"({{"credentialStores":{{{}}},"pools":[{{"id":"primary","providers":[{{"name":"a","provider":"{}",)"
        R"("modelName":"{}","apiBase":"{}/v1","credentialsRef":"key","timeout":5000,"maxRetries":0}}]}}],)"
        R"("models":{{"chat":{{"primaryPoolId":"primary"}}}}}})",
        store, oauth_token.empty() ? "custom" : "openai", model, mock().base());
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", {});
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

sw::RouterOptions threads(std::size_t n) {
    sw::RouterOptions o;
    o.io_threads = n;
    o.env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "CLIENT_SECRET") return std::string("cs-io-threads");
        return std::nullopt;
    };
    return o;
}

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";
constexpr const char* kStream = R"({"model":"chat","stream":true,"messages":[{"role":"user","content":"hello"}]})";

// What the done callbacks of a batch of requests saw: each response and the thread it ran on.
class Batch {
public:
    explicit Batch(int expected) : expected_(expected) {}

    sw::DoneCallback done() {
        return [this](sw::ChatResponse r) {
            std::lock_guard<std::mutex> lock(mutex_);
            responses_.push_back(std::move(r));
            threads_.push_back(std::this_thread::get_id());
            cv_.notify_all();
        };
    }
    // Waits for every done callback; false after 20 s.
    bool wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        return cv_.wait_for(lock, std::chrono::seconds(20), [&] { return static_cast<int>(responses_.size()) >= expected_; });
    }
    std::vector<sw::ChatResponse> responses() {
        std::lock_guard<std::mutex> lock(mutex_);
        return responses_;
    }
    std::size_t distinct_threads() {
        std::lock_guard<std::mutex> lock(mutex_);
        return std::set<std::thread::id>(threads_.begin(), threads_.end()).size();
    }
    bool ran_on(std::thread::id id) {
        std::lock_guard<std::mutex> lock(mutex_);
        return std::find(threads_.begin(), threads_.end(), id) != threads_.end();
    }

private:
    const int expected_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<sw::ChatResponse> responses_;
    std::vector<std::thread::id> threads_;
};

}  // namespace

TEST_CASE("io_threads=3: concurrent requests complete on three I/O threads") {
    sw::Router router(config("io-spread@latency_ms=50"), threads(3));
    CHECK(router.io_threads() == 3);
    constexpr int kRequests = 30;
    Batch batch(kRequests);
    for (int i = 0; i < kRequests; ++i) router.chat_async(kChat, batch.done());
    REQUIRE(batch.wait());
    for (const sw::ChatResponse& r : batch.responses()) CHECK(r.ok());
    CHECK(batch.distinct_threads() == 3);
    CHECK_FALSE(batch.ran_on(std::this_thread::get_id()));
    CHECK(mock().attempts("io-spread@latency_ms=50") == kRequests);
}

TEST_CASE("io_threads=3: a request sent from a callback stays on that callback's thread") {
    sw::Router router(config("io-chain"), threads(3));
    constexpr int kChains = 3;
    // What each chain saw, read on the test thread (Catch's assertions are not thread-safe).
    struct Link {
        bool ok = false;
        std::thread::id outer, inner;
    };
    std::vector<std::promise<Link>> links(kChains);
    for (int i = 0; i < kChains; ++i) {
        router.chat_async(kChat, [&router, &link = links[i]](sw::ChatResponse first) {
            const std::thread::id outer = std::this_thread::get_id();
            const bool first_ok = first.ok();
            router.chat_async(kChat, [&link, outer, first_ok](sw::ChatResponse second) {
                link.set_value(Link{first_ok && second.ok(), outer, std::this_thread::get_id()});
            });
        });
    }
    std::set<std::thread::id> threads_used;
    for (auto& link : links) {
        auto future = link.get_future();
        REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        const Link seen = future.get();
        CHECK(seen.ok);
        CHECK(seen.outer == seen.inner);
        threads_used.insert(seen.outer);
    }
    CHECK(threads_used.size() == 3);  // the chains themselves started on the three threads in turn
}

TEST_CASE("io_threads=0 runs the documented default: min(hardware threads, 4), at least 1") {
    const std::size_t expected = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    CHECK(sw::RouterOptions::default_io_threads() == expected);
    CHECK(sw::RouterOptions{}.io_threads == 0);
    sw::Router router(config("io-default"), threads(0));
    CHECK(router.io_threads() == expected);
    // Requests take the threads in turn, so 4 rounds reach every one of them.
    const int requests = static_cast<int>(4 * expected);
    Batch batch(requests);
    for (int i = 0; i < requests; ++i) router.chat_async(kChat, batch.done());
    REQUIRE(batch.wait());
    for (const sw::ChatResponse& r : batch.responses()) CHECK(r.ok());
    CHECK(batch.distinct_threads() == expected);
}

TEST_CASE("io_threads=3: cancel reaches a streaming request on each I/O thread") {
    sw::Router router(config("io-cancel@chunks=500,chunk_delay_ms=20"), threads(3));
    constexpr int kRequests = 6;  // two on each thread
    Batch batch(kRequests);
    std::vector<sw::RequestId> ids;
    std::vector<std::future<void>> first_chunk;
    for (int i = 0; i < kRequests; ++i) {
        auto started = std::make_shared<std::promise<void>>();
        auto once = std::make_shared<std::atomic<bool>>(false);
        first_chunk.push_back(started->get_future());
        ids.push_back(router.chat_stream_async(
            kStream,
            [started, once](std::string_view) {
                if (!once->exchange(true)) started->set_value();
            },
            batch.done()));
    }
    for (auto& f : first_chunk) REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    for (sw::RequestId id : ids) router.cancel(id);
    REQUIRE(batch.wait());
    for (const sw::ChatResponse& r : batch.responses()) {
        CHECK(r.status == 499);
        CHECK(r.error_class == sw::ErrorClass::cancelled);
        CHECK(r.trace.error == sw::RouteError::cancelled);
    }
    CHECK(batch.distinct_threads() == 3);
}

TEST_CASE("io_threads=3: destroying the router completes the requests of every thread, once each") {
    std::vector<std::future<void>> first_chunk;
    std::atomic<int> calls{0};
    auto batch = std::make_unique<Batch>(6);
    {
        sw::Router router(config("io-shutdown@chunks=1000,chunk_delay_ms=20"), threads(3));
        for (int i = 0; i < 6; ++i) {
            auto started = std::make_shared<std::promise<void>>();
            auto once = std::make_shared<std::atomic<bool>>(false);
            first_chunk.push_back(started->get_future());
            auto done = batch->done();
            router.chat_stream_async(
                kStream,
                [started, once](std::string_view) {
                    if (!once->exchange(true)) started->set_value();
                },
                [&calls, done](sw::ChatResponse r) {
                    ++calls;
                    done(std::move(r));
                });
        }
        for (auto& f : first_chunk) REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    }
    // The destructor returned: every done callback has run, and none runs again.
    CHECK(calls.load() == 6);
    for (const sw::ChatResponse& r : batch->responses()) CHECK(r.status == 499);
    CHECK(batch->distinct_threads() == 3);
}

TEST_CASE("io_threads=3: a blocking call from a callback on any I/O thread is refused unsent") {
    sw::Router router(config("io-deadlock"), threads(3));
    constexpr int kOuter = 6;
    Batch refusals(3 * kOuter);
    Batch outer(kOuter);
    for (int i = 0; i < kOuter; ++i) {
        auto refused = refusals.done();
        auto finished = outer.done();
        router.chat_async(kChat, [&router, refused, finished](sw::ChatResponse r) {
            refused(router.chat(kChat));
            refused(router.chat_stream(kStream, [](std::string_view) {}));
            refused(router.embeddings(R"({"model":"chat","input":"hi"})"));
            finished(std::move(r));
        });
    }
    REQUIRE(outer.wait());
    REQUIRE(refusals.wait());
    CHECK(outer.distinct_threads() == 3);
    CHECK(refusals.distinct_threads() == 3);
    for (const sw::ChatResponse& r : refusals.responses()) {
        CHECK(r.status == 400);
        CHECK(r.trace.error == sw::RouteError::would_deadlock);
        CHECK(r.trace.attempts.empty());
    }
    for (const sw::ChatResponse& r : outer.responses()) CHECK(r.ok());
    CHECK(mock().attempts("io-deadlock") == kOuter);  // only the outer requests were sent
    // From a thread of its own, the same call is no callback and goes through.
    CHECK(router.chat(kChat).ok());
}

TEST_CASE("io_threads=3: one token exchange serves every thread") {
    SECTION("requests that wait for it at once, on every thread") {
        sw::Router router(config("io-oauth-wait", "io-oa-wait@latency_ms=300"), threads(3));
        Batch batch(9);
        for (int i = 0; i < 9; ++i) router.chat_async(kChat, batch.done());
        REQUIRE(batch.wait());
        for (const sw::ChatResponse& r : batch.responses()) CHECK(r.ok());
        CHECK(batch.distinct_threads() == 3);
        CHECK(mock().attempts("token/io-oa-wait@latency_ms=300") == 1);
    }
    SECTION("requests one after another: the later threads take the token the first one got") {
        sw::Router router(config("io-oauth-serial", "io-oa-serial"), threads(3));
        for (int i = 0; i < 6; ++i) REQUIRE(router.chat(kChat).ok());
        CHECK(mock().attempts("io-oauth-serial") == 6);
        CHECK(mock().attempts("token/io-oa-serial") == 1);
    }
}

TEST_CASE("io_threads=3: embeddings and status work across the threads") {
    sw::Router router(config("io-emb"), threads(3));
    std::vector<std::future<sw::ChatResponse>> futures;
    for (int i = 0; i < 6; ++i) futures.push_back(router.chat_async(kChat));
    for (int i = 0; i < 6; ++i) CHECK(router.embeddings(R"({"model":"chat","input":"hello"})").ok());
    for (auto& f : futures) CHECK(f.get().ok());
    const sw::RouterStatus status = router.status();
    REQUIRE(status.pools.size() == 1);
    CHECK(mock().attempts("io-emb") == 12);
}
