// test_redis_router.cpp — Routers that share state through one throwaway redis-server, over the
// loopback mock (docs/scaling.md): a breaker opened in one router blocks its provider in the
// others within the documented bound; four processes hammering one shared 100-RPM limit send
// at most 100 (plus the refill) to it, and lose nothing; a Redis killed mid-run costs no request,
// says so in the log and the metrics, and sharing resumes when it is back.
#include "hammer_process.hpp"
#include "mock_process.hpp"
#include "redis_server.hpp"
#include "redis_support.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>
#include <vector>

using sw::test::MockProcess;
using namespace std::chrono_literals;

namespace {

MockProcess& mock() {
    static MockProcess instance;  // one mock for the run; each test has its own scenario keys
    return instance;
}

// Model "chat": pool "primary" with provider "a" (the mock's scenario `key_a`, with `a_extra`
// members), falling back to pool "backup" with provider "b"; the redis section `redis`.
std::string config_text(const std::string& key_a, const std::string& a_extra, const std::string& breaker,
                        const std::string& redis) {
    return fmt::format(
        R"({{"pools":[{{"id":"primary","providers":[{{"name":"a","provider":"custom","modelName":"{0}",)"
        R"("apiBase":"{1}/v1","maxRetries":0,"timeout":5000{2}}}],"circuitBreaker":{3},"fallbackPoolIds":["backup"]}},)"
        R"({{"id":"backup","providers":[{{"name":"b","provider":"custom","modelName":"redis-router-backup",)"
        R"("apiBase":"{1}/v1","maxRetries":0,"timeout":5000}}]}}],)"
        R"("models":{{"chat":{{"primaryPoolId":"primary"}}}},"redis":{4}}})",
        key_a, mock().base(), a_extra, breaker, redis);
}

std::shared_ptr<const sw::Config> load(const std::string& text) {
    sw::LoadOptions options;
    options.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

const std::string kChat = R"({"model":"chat","messages":[{"role":"user","content":"hi"}]})";

sw::BreakerState breaker_of_a(const sw::Router& router) {
    for (const sw::PoolStatus& pool : router.status().pools)
        if (pool.id == "primary")
            for (const sw::ProviderStatus& p : pool.providers)
                if (p.name == "a") return p.breaker;
    FAIL("provider a not in the status");
    return sw::BreakerState::closed;
}

// Every log line, kept.
struct Lines {
    std::mutex mutex;
    std::vector<std::string> lines;
    sw::LogSink sink() {
        return [this](sw::LogLevel, std::string_view line) {
            std::lock_guard lock(mutex);
            lines.emplace_back(line);
        };
    }
    bool any(std::string_view a, std::string_view b) {
        std::lock_guard lock(mutex);
        for (const std::string& l : lines)
            if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
        return false;
    }
};

// The value of the sample `series` (name and labels as written out), or -1 when absent.
double metric_value(const sw::Router& router, std::string_view series) {
    const std::string text = router.metrics_text();
    // At a line's start: the HELP line names the metric too.
    const std::size_t at = text.find("\n" + std::string(series) + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

// The switch_shared_state_up gauge: a connection to Redis is up.
bool shared_up(const sw::Router& router) { return metric_value(router, "switch_shared_state_up") == 1; }

}  // namespace

TEST_CASE("redis router: a breaker opened in one router blocks its provider in the others within the sync bound",
          "[redis][router]") {
    SWITCH_REDIS_OR_SKIP(binary);
    sw::test::RedisServer server(*binary);
    const std::string key = "rshare-open@status=503";
    // sync_ms 50 and timeout_ms 100: an open reaches the others within 150 ms, documented.
    const auto config = load(config_text(key, "", R"({"failureThreshold":2,"resetTimeout":60000})",
                                         fmt::format(R"({{"url":"{}","sync_ms":50,"timeout_ms":100}})", server.url())));
    sw::Router a(config), b(config), c(config);
    // Every router's connections are up before the first failure.
    REQUIRE(sw::test::wait_until([&] {
        return shared_up(a) && shared_up(b) &&
               shared_up(c);
    }));

    for (int i = 0; i < 2; ++i) CHECK(a.chat(kChat).ok());  // a fails, b serves
    REQUIRE(breaker_of_a(a) == sw::BreakerState::open);
    const auto opened = std::chrono::steady_clock::now();
    // The bound is 150 ms; a loaded or sanitized machine gets more room, and the time is printed.
    REQUIRE(sw::test::wait_until([&] {
        return breaker_of_a(b) == sw::BreakerState::open && breaker_of_a(c) == sw::BreakerState::open;
    }, 3s));
    const auto seen_after = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - opened);
    INFO("the open reached both others after " << seen_after.count() << " ms");
    CHECK(seen_after < 3s);

    // The others never tried a themselves: their requests go straight to the backup.
    const std::int64_t tried = mock().attempts(key);
    CHECK(tried == 2);
    for (int i = 0; i < 3; ++i) {
        const sw::ChatResponse r = b.chat(kChat);
        CHECK(r.ok());
        CHECK(r.trace.provider == "b");
        CHECK(c.chat(kChat).ok());
    }
    CHECK(mock().attempts(key) == tried);
}

TEST_CASE("redis router: after resetTimeout exactly one probe goes out across all the routers",
          "[redis][router]") {
    SWITCH_REDIS_OR_SKIP(binary);
    sw::test::RedisServer server(*binary);
    const std::string key = "rshare-probe@status=503";
    const auto config = load(config_text(key, "", R"({"failureThreshold":2,"resetTimeout":1000})",
                                         fmt::format(R"({{"url":"{}","sync_ms":50,"timeout_ms":1000}})", server.url())));
    sw::Router a(config), b(config), c(config);
    for (int i = 0; i < 2; ++i) CHECK(a.chat(kChat).ok());
    REQUIRE(breaker_of_a(a) == sw::BreakerState::open);
    REQUIRE(sw::test::wait_until([&] {
        return breaker_of_a(b) == sw::BreakerState::open && breaker_of_a(c) == sw::BreakerState::open;
    }, 3s));
    const std::int64_t before = mock().attempts(key);
    std::this_thread::sleep_for(1200ms);  // every router's open is over

    // All at once: each router's breaker half-opens, and each would send its own probe.
    std::vector<std::future<sw::ChatResponse>> answers;
    for (int i = 0; i < 5; ++i)
        for (sw::Router* r : {&a, &b, &c}) answers.push_back(r->chat_async(kChat));
    int probe_elsewhere = 0;
    for (auto& f : answers) {
        const sw::ChatResponse r = f.get();
        CHECK(r.ok());  // the backup serves whoever did not probe
        for (const sw::AttemptRecord& attempt : r.trace.attempts) probe_elsewhere += attempt.error_code == "probe_elsewhere";
    }
    CHECK(mock().attempts(key) == before + 1);
    CHECK(probe_elsewhere >= 1);  // the others asked, and stood back
}

TEST_CASE("redis router: four processes hammering one shared 100-RPM limit send at most 100 plus the refill to it, and lose nothing",
          "[redis][router]") {
    SWITCH_REDIS_OR_SKIP(binary);
    sw::test::RedisServer server(*binary);
    const std::string key = "rshare-limit";
    // A generous call timeout: this is a test of the limit, and a loaded machine must not turn
    // the server's answers into timeouts (which would let the local limiter decide).
    const std::string text = config_text(key, R"(,"rateLimits":{"requestsPerMinute":100})", "{}",
                                         fmt::format(R"({{"url":"{}","timeout_ms":3000}})", server.url()));
    load(text);  // valid, before four processes read it
    const auto path = std::filesystem::temp_directory_path() / fmt::format("switch-redis-router-{}.json", ::getpid());
    std::ofstream(path) << text;

    const auto started = std::chrono::steady_clock::now();
    std::vector<std::unique_ptr<sw::test::HammerProcess>> processes;
    for (int i = 0; i < 4; ++i)
        processes.push_back(std::make_unique<sw::test::HammerProcess>(
            std::vector<std::string>{"router", path.string(), "100"}));
    int ok = 0, failed = 0, served_by_a = 0;
    for (auto& p : processes) {
        bool exited = false;
        std::istringstream out(p->finish(exited));
        REQUIRE(exited);
        int o = 0, f = 0, s = 0;
        out >> o >> f >> s;
        ok += o;
        failed += f;
        served_by_a += s;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::filesystem::remove(path);

    CHECK(ok == 400);  // every refusal failed over to the backup
    CHECK(failed == 0);
    CHECK(mock().attempts(key) == served_by_a);
    // The bucket starts full: 100 at once, then 100 a minute.
    INFO("the run took " << seconds << " s");
    CHECK(served_by_a >= 100);
    CHECK(served_by_a <= 100 + static_cast<int>(seconds * 100.0 / 60.0) + 1);
}

TEST_CASE("redis router: Redis killed mid-run costs no request, the log and the metrics say so, and sharing resumes",
          "[redis][router]") {
    SWITCH_REDIS_OR_SKIP(binary);
    sw::test::RedisServer server(*binary);
    const std::string key = "rshare-outage@status=503";
    const auto config = load(config_text(key, "", R"({"failureThreshold":2,"resetTimeout":60000})",
                                         fmt::format(R"({{"url":"{}","sync_ms":50,"timeout_ms":100}})", server.url())));
    Lines lines;
    sw::RouterOptions with_log;
    with_log.log_sink = lines.sink();
    sw::Router a(config, with_log), b(config);
    REQUIRE(sw::test::wait_until([&] {
        return shared_up(a) && shared_up(b);
    }));

    server.kill();
    // Every request is answered while Redis is gone: a's breaker opens on its own, locally.
    std::vector<std::future<sw::ChatResponse>> answers;
    for (int i = 0; i < 20; ++i) answers.push_back(a.chat_async(kChat));
    for (auto& f : answers) {
        REQUIRE(f.wait_for(10s) == std::future_status::ready);
        CHECK(f.get().ok());
    }
    CHECK(breaker_of_a(a) == sw::BreakerState::open);
    REQUIRE(sw::test::wait_until([&] { return !shared_up(a); }));
    // The gauge goes down a moment before the line is written.
    CHECK(sw::test::wait_until([&] { return lines.any(R"("event":"redis")", R"("use":"shared_state","state":"down")"); }));
    CHECK(lines.any(server.url(), R"("use":"shared_state")"));  // names the server
    CHECK(breaker_of_a(b) == sw::BreakerState::closed);  // nothing could reach b

    server.start();
    REQUIRE(sw::test::wait_until([&] { return shared_up(a) && shared_up(b); }, 10s));
    CHECK(sw::test::wait_until([&] { return lines.any(R"("event":"redis")", R"("use":"shared_state","state":"up")"); }));
    // Calls made while Redis was gone (a's trip was published into nothing) were counted so.
    CHECK(metric_value(a, R"(switch_shared_state_calls_total{result="unavailable"})") > 0);

    // Sharing resumed: with a's breaker reset, b's trip reaches a again.
    REQUIRE(a.reset_breaker("primary", "a"));
    REQUIRE(breaker_of_a(a) == sw::BreakerState::closed);
    for (int i = 0; i < 2; ++i) CHECK(b.chat(kChat).ok());
    REQUIRE(breaker_of_a(b) == sw::BreakerState::open);
    CHECK(sw::test::wait_until([&] { return breaker_of_a(a) == sw::BreakerState::open; }, 3s));
}
