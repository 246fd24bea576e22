// test_redis_client.cpp — the hiredis connection pool on real I/O threads (HttpEngine loops)
// against a throwaway redis-server on loopback: calls spread over the pool, the password, a
// paused server's calls timing out within the call timeout, and the server killed and restarted
// with every call answered, `unavailable` meanwhile, and calls served again after.
#include "redis_server.hpp"
#include "redis_support.hpp"
#include "../unit/sim_io.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <vector>

using sw::redis::CallStatus;
using sw::redis::Client;
using sw::redis::Reply;
using sw::test::call_sync;
using sw::test::loopback_options;
using sw::test::RedisServer;
using sw::test::wait_until;

TEST_CASE("redis client: a pool spread over two I/O threads answers every call", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    sw::transport::HttpEngine a, b;
    Client client({&a, &b}, loopback_options(server.url()), 4);
    REQUIRE(client.size() == 4);
    REQUIRE(wait_until([&] { return client.up_count() == 4; }));
    CHECK(client.connects() == 4);

    std::atomic<int> ok{0}, answered{0};
    constexpr int kCalls = 400;
    for (int i = 0; i < kCalls; ++i)
        client.call({"INCR", "counter"}, [&](sw::redis::Result r) {
            if (r.ok() && r.reply.type == Reply::Type::integer) ok.fetch_add(1);
            answered.fetch_add(1);
        });
    REQUIRE(wait_until([&] { return answered.load() == kCalls; }));
    CHECK(ok.load() == kCalls);
    const auto total = call_sync(client, {"GET", "counter"});
    REQUIRE(total.ok());
    CHECK(total.reply.text == std::to_string(kCalls));
    // Binary-safe arguments: a value with a NUL and a CRLF comes back as it went.
    const std::string odd("a\0b\r\nc", 6);
    REQUIRE(call_sync(client, {"SET", "odd", odd}).ok());
    CHECK(call_sync(client, {"GET", "odd"}).reply.text == odd);
    // An error reply is an answer, not an outage.
    const auto wrong = call_sync(client, {"INCR", "odd"});
    CHECK(wrong.ok());
    CHECK(wrong.reply.error_code() == "ERR");
}

TEST_CASE("redis client: the password is sent, and a wrong one leaves the pool unavailable", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    const std::string password = "pw-7c1d9e0b";
    RedisServer server(*bin, password);
    sw::transport::HttpEngine loop;
    {
        auto options = loopback_options(server.url());
        options.url.password = sw::Secret(password);
        Client client({&loop}, options, 1);
        REQUIRE(wait_until([&] { return client.available(); }));
        CHECK(call_sync(client, {"PING"}).reply.text == "PONG");
    }
    {
        auto options = loopback_options(server.url());
        options.url.password = sw::Secret("not-the-password");
        options.backoff_first = sw::Millis(10);
        Client client({&loop}, options, 1);
        // Dialled and refused several times over: never up, and calls answer at once.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        CHECK_FALSE(client.available());
        CHECK(client.connects() == 0);
        const auto started = std::chrono::steady_clock::now();
        CHECK(call_sync(client, {"PING"}).status == CallStatus::unavailable);
        CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(50));
    }
    {
        // No password at all: the server's NOAUTH answer to the handshake PING is a failure too.
        Client client({&loop}, loopback_options(server.url()), 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        CHECK_FALSE(client.available());
    }
}

TEST_CASE("redis client: a paused server's calls time out within the call timeout, and calls resume", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    sw::transport::HttpEngine loop;
    auto options = loopback_options(server.url());
    options.call_timeout = sw::Millis(100);
    options.connect_timeout = sw::Millis(200);
    options.backoff_first = sw::Millis(20);
    options.backoff_cap = sw::Millis(100);
    Client client({&loop}, options, 2);
    REQUIRE(wait_until([&] { return client.up_count() == 2; }));

    server.pause();
    const auto started = std::chrono::steady_clock::now();
    const auto r = call_sync(client, {"PING"});
    const auto waited = std::chrono::steady_clock::now() - started;
    CHECK(r.status == CallStatus::timeout);
    CHECK(waited >= std::chrono::milliseconds(100));
    CHECK(waited < std::chrono::milliseconds(400));
    // The slow connection was dropped: the next calls go to the other one, and time out too;
    // then none is up, and calls answer `unavailable` at once while the redials time out.
    CHECK(call_sync(client, {"PING"}).status == CallStatus::timeout);
    REQUIRE(wait_until([&] { return !client.available(); }, std::chrono::seconds(1)));
    CHECK(call_sync(client, {"PING"}).status == CallStatus::unavailable);

    server.resume();
    REQUIRE(wait_until([&] { return client.up_count() == 2; }));
    CHECK(call_sync(client, {"PING"}).reply.text == "PONG");
    CHECK(client.connects() >= 4);
}

TEST_CASE("redis client: the server killed and restarted, no call lost or hung, and calls served again", "[redis]") {
    SWITCH_REDIS_OR_SKIP(bin);
    RedisServer server(*bin);
    sw::transport::HttpEngine a, b;
    auto options = loopback_options(server.url());
    options.backoff_first = sw::Millis(10);
    options.backoff_cap = sw::Millis(100);
    std::mutex heard_mu;
    std::vector<bool> heard;  // what the availability listener was told, in order
    auto said = [&] {
        std::lock_guard lock(heard_mu);
        return heard;
    };
    Client client({&a, &b}, options, 3, [&](bool available) {
        std::lock_guard lock(heard_mu);
        heard.push_back(available);
    });
    REQUIRE(wait_until([&] { return client.up_count() == 3; }));
    CHECK(said() == std::vector<bool>{true});  // once, for the first connection up

    std::atomic<int> sent{0}, ok{0}, timeout{0}, unavailable{0};
    std::atomic<bool> stop{false};
    // A steady stream of calls from two threads, as requests would make them.
    auto hammer = [&] {
        while (!stop.load()) {
            sent.fetch_add(1);
            client.call({"INCR", "n"}, [&](sw::redis::Result r) {
                switch (r.status) {
                    case CallStatus::ok: ok.fetch_add(1); break;
                    case CallStatus::timeout: timeout.fetch_add(1); break;
                    case CallStatus::unavailable: unavailable.fetch_add(1); break;
                }
            });
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
    };
    std::thread t1(hammer), t2(hammer);
    REQUIRE(wait_until([&] { return ok.load() >= 50; }));
    server.kill();
    REQUIRE(wait_until([&] { return !client.available(); }));
    CHECK(said() == std::vector<bool>{true, false});  // once, for the last one down
    const int unavailable_before = unavailable.load();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(unavailable.load() > unavailable_before);  // answered at once, not held
    const int ok_at_restart = ok.load();
    server.start();
    REQUIRE(wait_until([&] { return client.up_count() == 3; }));
    CHECK(said() == std::vector<bool>{true, false, true});
    REQUIRE(wait_until([&] { return ok.load() >= ok_at_restart + 50; }));
    stop = true;
    t1.join();
    t2.join();
    // Every call was answered, within its timeout: none lost, none hung.
    REQUIRE(wait_until([&] { return ok.load() + timeout.load() + unavailable.load() == sent.load(); }, std::chrono::seconds(2)));
    CHECK(client.connects() >= 6);
    // The counts (a metric's source) saw every call too.
    const sw::redis::CallCounts counts = client.counts();
    CHECK(counts.ok == static_cast<std::uint64_t>(ok.load()));
    CHECK(counts.timeout == static_cast<std::uint64_t>(timeout.load()));
    CHECK(counts.unavailable == static_cast<std::uint64_t>(unavailable.load()));
    // The restarted server is a new, empty one: its count is what was answered after it came
    // up, plus any increment whose answer came too late (a timeout still ran on the server).
    const auto n = call_sync(client, {"GET", "n"});
    REQUIRE(n.ok());
    CHECK(std::stoi(n.reply.text) >= ok.load() - ok_at_restart);
    CHECK(std::stoi(n.reply.text) <= ok.load() - ok_at_restart + timeout.load());
}

TEST_CASE("redis client: nothing listening, so never up and every call answered at once", "[redis]") {
    sw::transport::HttpEngine loop;
    auto options = loopback_options("redis://127.0.0.1:" + std::to_string(sw::test::closed_port()));
    options.backoff_first = sw::Millis(5);
    Client client({&loop}, options, 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_FALSE(client.available());
    CHECK(call_sync(client, {"PING"}).status == CallStatus::unavailable);
}

TEST_CASE("redis client: on a loop that cannot watch sockets it stays down, the loop runs dry, and every call is unavailable", "[redis]") {
    // The tests' simulated loop has no sockets (EventLoop::watch_fd is false): the pool stays
    // down for good, and the loop runs dry instead of redialling forever.
    sw::FakeClock clock;
    swtest::SimIo io(clock);
    auto options = loopback_options("redis://127.0.0.1:" + std::to_string(sw::test::closed_port()));
    Client client({&io}, options, 2);
    io.run();
    CHECK_FALSE(client.available());
    CHECK(client.connects() == 0);
    CHECK(call_sync(client, {"PING"}).status == CallStatus::unavailable);
}
