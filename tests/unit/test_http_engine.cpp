// test_http_engine.cpp — the curl multi I/O thread over real loopback sockets: results, every
// transport failure, timers, cancellation from other threads, and shutdown.
#include "scripted_server.hpp"
#include "transport/http_engine.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <future>

using sw::test::ScriptedServer;
using sw::test::Step;
using sw::transport::HttpEngine;
using sw::transport::HttpRequest;
using sw::transport::HttpResult;

namespace {

// Collects what one exchange delivered, and lets the test wait for its end.
struct Collector : sw::transport::HttpHandler {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool stop_after_first_body = false;
    std::promise<HttpResult> done;

    void on_status(int s) override { status = s; }
    void on_header(std::string_view name, std::string_view value) override { headers.emplace_back(name, value); }
    bool on_body(std::string_view bytes) override {
        body.append(bytes);
        return !stop_after_first_body;
    }
    void on_complete(const HttpResult& result) override { done.set_value(result); }

    HttpResult wait() {
        auto future = done.get_future();
        REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        return future.get();
    }
};

HttpRequest request_to(const std::string& url) {
    HttpRequest r;
    r.url = url;
    r.headers = {"Content-Type: application/json"};
    r.body = R"({"model":"m","messages":[{"role":"user","content":"hi"}]})";
    r.total_timeout = sw::Millis(5000);
    return r;
}

// Submits one exchange and waits for its end.
HttpResult run(HttpEngine& engine, const HttpRequest& request, const std::shared_ptr<Collector>& collector) {
    engine.submit(request, collector);
    return collector->wait();
}

// A chunked response's headers; then the same with one chunk of body ("data: ").
const std::string kChunkedHeaders = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
const std::string kChunkedStart = kChunkedHeaders + "6\r\ndata: \r\n";

const std::string kOk =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Ratelimit-Remaining-Requests: 99\r\n"
    "Content-Length: 11\r\n\r\n{\"ok\":true}";

}  // namespace

TEST_CASE("an exchange delivers status, headers and body, and sends the request as given") {
    ScriptedServer server({Step::send(kOk)});
    HttpEngine engine;
    auto c = std::make_shared<Collector>();
    HttpResult result = run(engine, request_to(server.url()), c);
    CHECK(result.error == sw::TransportError::none);
    CHECK_FALSE(result.cancelled);
    CHECK(result.status == 200);
    CHECK(c->body == "{\"ok\":true}");
    CHECK(std::find(c->headers.begin(), c->headers.end(),
                    std::pair<std::string, std::string>{"X-Ratelimit-Remaining-Requests", "99"}) != c->headers.end());
    const std::string sent = server.last_request();
    CHECK_THAT(sent, Catch::StartsWith("POST /v1/chat/completions HTTP/1.1"));
    CHECK_THAT(sent, Catch::Contains("Content-Type: application/json"));
    CHECK_THAT(sent, Catch::EndsWith(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})"));
    CHECK(sent.find("Expect:") == std::string::npos);
}

TEST_CASE("GET and PUT for credential fetches, and a reused connection handle goes back to POST") {
    ScriptedServer server({Step::send(kOk)});
    HttpEngine engine;
    HttpRequest get = request_to(server.url("/v1/secret/data/openai"));
    get.method = HttpRequest::Method::get;
    get.body.clear();
    REQUIRE(run(engine, get, std::make_shared<Collector>()).status == 200);
    CHECK_THAT(server.last_request(), Catch::StartsWith("GET /v1/secret/data/openai HTTP/1.1"));
    CHECK(server.last_request().find("Content-Length") == std::string::npos);

    HttpRequest put = request_to(server.url("/latest/api/token"));
    put.method = HttpRequest::Method::put;
    put.body.clear();
    REQUIRE(run(engine, put, std::make_shared<Collector>()).status == 200);
    CHECK_THAT(server.last_request(), Catch::StartsWith("PUT /latest/api/token HTTP/1.1"));

    // The idle handle the GET and PUT used serves a POST with its body again.
    REQUIRE(run(engine, request_to(server.url()), std::make_shared<Collector>()).status == 200);
    CHECK_THAT(server.last_request(), Catch::StartsWith("POST /v1/chat/completions HTTP/1.1"));
    CHECK_THAT(server.last_request(), Catch::EndsWith(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})"));
}

TEST_CASE("transport failures map to the contract's transport errors") {
    HttpEngine engine;
    SECTION("nothing listening: connection refused") {
        int port;
        { ScriptedServer gone({}); port = gone.port(); }
        auto c = std::make_shared<Collector>();
        CHECK(run(engine, request_to("http://127.0.0.1:" + std::to_string(port) + "/v1/chat/completions"), c).error == sw::TransportError::connect_refused);
    }
    SECTION("reset before any header") {
        ScriptedServer server({Step::reset()});
        auto c = std::make_shared<Collector>();
        HttpResult r = run(engine, request_to(server.url()), c);
        CHECK(r.error == sw::TransportError::connection_reset);
        CHECK(r.status == 0);
    }
    SECTION("closed before any header") {
        ScriptedServer server({Step::close()});
        auto c = std::make_shared<Collector>();
        CHECK(run(engine, request_to(server.url()), c).error == sw::TransportError::connection_reset);
    }
    SECTION("a body cut short is a protocol error, never a success") {
        ScriptedServer server({Step::send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":"), Step::close()});
        auto c = std::make_shared<Collector>();
        HttpResult r = run(engine, request_to(server.url()), c);
        CHECK(r.status == 200);
        CHECK(r.error == sw::TransportError::protocol);
    }
    SECTION("a chunked body cut short is a protocol error") {
        ScriptedServer server({Step::send(kChunkedHeaders + "5\r\nhello\r\n"), Step::reset()});
        auto c = std::make_shared<Collector>();
        HttpResult r = run(engine, request_to(server.url()), c);
        CHECK(c->body == "hello");
        CHECK(r.error == sw::TransportError::protocol);
    }
    SECTION("an unknown host is a DNS error") {
        auto c = std::make_shared<Collector>();
        CHECK(run(engine, request_to("http://nonexistent.invalid/v1/chat/completions"), c).error == sw::TransportError::dns);
    }
}

TEST_CASE("redirects are returned, never followed") {
    ScriptedServer target({Step::send(kOk)});
    ScriptedServer server({Step::send("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + target.url() +
                                      "\r\nContent-Length: 0\r\n\r\n")});
    HttpEngine engine;
    auto c = std::make_shared<Collector>();
    HttpResult r = run(engine, request_to(server.url()), c);
    CHECK(r.status == 307);
    CHECK(r.error == sw::TransportError::none);
    CHECK(target.requests() == 0);
}

TEST_CASE("other schemes are refused") {
    HttpEngine engine;
    auto c = std::make_shared<Collector>();
    HttpResult r = run(engine, request_to("file:///etc/passwd"), c);
    CHECK(r.error == sw::TransportError::protocol);
    CHECK(c->body.empty());
}

TEST_CASE("the first-byte timer stops a server that never answers") {
    ScriptedServer server({Step::hang()});
    HttpEngine engine;
    auto c = std::make_shared<Collector>();
    HttpRequest r = request_to(server.url());
    r.first_byte_timeout = sw::Millis(150);
    HttpResult result = run(engine, r, c);
    CHECK(result.error == sw::TransportError::first_byte_timeout);
    CHECK(result.elapsed >= sw::Millis(150));
    CHECK(result.elapsed < sw::Millis(3000));
}

TEST_CASE("the first-byte timer also covers headers followed by a slow first body byte") {
    ScriptedServer server({Step::send(kChunkedHeaders), Step::hang()});
    HttpEngine engine;
    auto c = std::make_shared<Collector>();
    HttpRequest r = request_to(server.url());
    r.first_byte_timeout = sw::Millis(150);
    HttpResult result = run(engine, r, c);
    CHECK(result.status == 200);
    CHECK(result.error == sw::TransportError::first_byte_timeout);
}

TEST_CASE("the idle timer cuts a stream that stalls") {
    ScriptedServer server({Step::send(kChunkedStart), Step::hang()});
    HttpEngine engine;
    auto c = std::make_shared<Collector>();
    HttpRequest r = request_to(server.url());
    r.first_byte_timeout = sw::Millis(2000);
    r.idle_timeout = sw::Millis(150);
    HttpResult result = run(engine, r, c);
    CHECK(c->body == "data: ");
    CHECK(result.error == sw::TransportError::idle_timeout);
}

TEST_CASE("the total timeout bounds an exchange") {
    ScriptedServer server({Step::hang()});
    HttpEngine engine;
    auto c = std::make_shared<Collector>();
    HttpRequest r = request_to(server.url());
    r.total_timeout = sw::Millis(200);
    HttpResult result = run(engine, r, c);
    CHECK(result.error == sw::TransportError::first_byte_timeout);
    CHECK(result.elapsed < sw::Millis(3000));
}

TEST_CASE("an exchange can be cancelled from another thread, mid-stream") {
    ScriptedServer server({Step::send(kChunkedStart), Step::hang()});
    HttpEngine engine;
    auto c = std::make_shared<Collector>();
    auto id = engine.submit(request_to(server.url()), c);
    std::thread([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        engine.cancel(id);
        engine.cancel(id);  // twice is harmless
    }).join();
    HttpResult result = c->wait();
    CHECK(result.cancelled);
    engine.cancel(12345);  // unknown ids are ignored
}

TEST_CASE("a handler can stop its exchange") {
    ScriptedServer server({Step::send(kChunkedStart), Step::hang()});
    HttpEngine engine;
    auto c = std::make_shared<Collector>();
    c->stop_after_first_body = true;
    CHECK(run(engine, request_to(server.url()), c).cancelled);
}

TEST_CASE("a response over the size cap is refused") {
    ScriptedServer server({Step::send(kChunkedHeaders + "400\r\n" + std::string(1024, 'x') + "\r\n0\r\n\r\n")});
    HttpEngine engine;
    auto c = std::make_shared<Collector>();
    HttpRequest r = request_to(server.url());
    r.max_response_bytes = 512;
    HttpResult result = run(engine, r, c);
    CHECK(result.error == sw::TransportError::protocol);
    CHECK_THAT(result.detail, Catch::Contains("larger than 512 bytes"));
}

TEST_CASE("posted functions and timers run on the I/O thread, timers in time order") {
    HttpEngine engine;
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<int> order;
    bool all_on_io_thread = true;
    auto record = [&](int n) {
        std::lock_guard<std::mutex> lock(mutex);
        all_on_io_thread = all_on_io_thread && engine.on_io_thread();
        order.push_back(n);
        cv.notify_all();
    };
    const auto now = engine.clock().now();
    engine.post_at(now + std::chrono::milliseconds(60), [&] { record(3); });
    engine.post_at(now + std::chrono::milliseconds(30), [&] { record(2); });
    engine.post([&] { record(1); });
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return order.size() == 3; }));
    CHECK(order == std::vector<int>{1, 2, 3});
    CHECK(all_on_io_thread);
    CHECK_FALSE(engine.on_io_thread());
}

TEST_CASE("destroying the engine completes what is still running") {
    ScriptedServer server({Step::hang()});
    auto c = std::make_shared<Collector>();
    auto future = c->done.get_future();
    bool timer_ran = false;
    {
        HttpEngine engine;
        engine.submit(request_to(server.url()), c);
        engine.post_at(engine.clock().now() + std::chrono::hours(1), [&] { timer_ran = true; });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(future.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    CHECK(future.get().cancelled);
    CHECK(timer_ran);  // fired early so that its owner could finish
}

TEST_CASE("work queued after stop() still runs, once, when the engine is destroyed") {
    // Another router thread may post here after this engine's thread has ended (a shared token
    // exchange's answer); the destructor runs it, on the destroying thread.
    auto engine = std::make_unique<HttpEngine>();
    engine->stop();
    int posted = 0, timed = 0;
    engine->post([&] { ++posted; });
    engine->post_at(engine->clock().now() + std::chrono::hours(1), [&] { ++timed; });
    auto c = std::make_shared<Collector>();
    auto future = c->done.get_future();
    engine->submit(request_to("http://127.0.0.1:9/never"), c);  // never started
    CHECK(posted == 0);
    engine.reset();
    CHECK(posted == 1);
    CHECK(timed == 1);
    REQUIRE(future.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    CHECK(future.get().cancelled);
}

TEST_CASE("many concurrent exchanges on one engine all complete") {
    constexpr int kCount = 200;
    std::vector<Step> script = {Step::send(kOk)};
    ScriptedServer server(script);
    HttpEngine engine;
    std::vector<std::shared_ptr<Collector>> collectors;
    for (int i = 0; i < kCount; ++i) {
        collectors.push_back(std::make_shared<Collector>());
        engine.submit(request_to(server.url()), collectors.back());
    }
    int ok = 0;
    for (auto& c : collectors) ok += c->wait().status == 200;
    CHECK(ok == kCount);
}

TEST_CASE("a watched socket's owner is called on the I/O thread when it is ready, and not once unwatched") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    HttpEngine engine;
    // Catch2's macros are for the test's thread: the callbacks record, the test checks.
    std::atomic<int> reads{0}, writes{0}, wrong{0};
    std::atomic<bool> watched{false};
    std::promise<void> first_read;
    // Watching is for the loop's own thread: set it up there.
    engine.post([&] {
        const bool r = engine.watch_fd(fds[0], true, false, [&](bool readable, bool writable) {
            if (!engine.on_io_thread() || !readable || writable) wrong.fetch_add(1);
            char c;
            if (::read(fds[0], &c, 1) == 1 && reads.fetch_add(1) == 0) first_read.set_value();
        });
        // The write end is writable at once: one call, then unwatched from inside its own call.
        const bool w = engine.watch_fd(fds[1], false, true, [&](bool readable, bool writable) {
            if (readable || !writable) wrong.fetch_add(1);
            writes.fetch_add(1);
            engine.unwatch_fd(fds[1]);
        });
        watched = r && w;
    });
    REQUIRE(::write(fds[1], "x", 1) == 1);
    REQUIRE(first_read.get_future().wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    CHECK(watched.load());
    std::promise<void> unwatched;
    engine.post([&] {
        engine.unwatch_fd(fds[0]);
        unwatched.set_value();
    });
    unwatched.get_future().wait();
    REQUIRE(::write(fds[1], "y", 1) == 1);  // nobody listens now: no call
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    engine.stop();
    CHECK(reads.load() == 1);
    CHECK(writes.load() == 1);
    CHECK(wrong.load() == 0);
    ::close(fds[0]);
    ::close(fds[1]);
}
