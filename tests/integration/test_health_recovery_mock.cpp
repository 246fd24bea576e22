// test_health_recovery_mock.cpp — health recovery over real HTTP: a primary that is down for
// 10 s and then recovers carries traffic again soon after, and no request fails meanwhile.
#include "mock_process.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <chrono>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";

}  // namespace

TEST_CASE("a primary down for 10 s is back in use within 5 s of recovering, with 0 failed requests") {
    sw::test::MockProcess mock;
    // "a" answers 503 for 10 s after its first attempt, then 200. It turns unhealthy after 3
    // consecutive failures; the backup pool serves meanwhile.
    const std::string text = fmt::format(
        R"({{"pools":[)"
        R"({{"id":"primary","providers":[{{"name":"a","provider":"custom","apiBase":"{0}/v1",)"
        R"("modelName":"recovery-a@status=503,fail_for_ms=10000","maxRetries":0,"timeout":2000}}],)"
        R"("healthThresholds":{{"errorRate":50,"consecutiveFailures":3}},)"
        R"("circuitBreaker":{{"resetTimeout":2000}},"fallbackPoolIds":["backup"]}},)"
        R"({{"id":"backup","providers":[{{"name":"b","provider":"custom","apiBase":"{0}/v1",)"
        R"("modelName":"recovery-b","maxRetries":0,"timeout":2000}}]}}],)"
        R"("models":{{"chat":{{"primaryPoolId":"primary"}}}}}})",
        mock.base());
    auto loaded = sw::load_config_string(text, sw::ConfigFormat::json, "recovery");
    INFO(sw::format_diagnostics_text(loaded));
    REQUIRE(loaded.ok());
    sw::Router router(loaded.config);

    struct Served {
        Clock::duration at;
        std::string provider;
    };
    std::vector<Served> served;
    int failed = 0;
    const Clock::time_point start = Clock::now();  // the outage starts at the first attempt, just after
    for (int i = 0; i < 18; ++i) {
        std::this_thread::sleep_until(start + std::chrono::seconds(i));
        sw::ChatResponse r = router.chat(kChat);
        if (!r.ok()) {
            ++failed;
            UNSCOPED_INFO("request " << i << " failed: " << r.error);
            continue;
        }
        served.push_back({Clock::now() - start, r.trace.provider});
    }
    CHECK(failed == 0);
    const auto recovered = std::chrono::seconds(10);
    bool back = false;
    for (const Served& s : served) {
        INFO("served by " << s.provider << " at "
                          << std::chrono::duration_cast<std::chrono::milliseconds>(s.at).count() << " ms");
        if (s.at < recovered) CHECK(s.provider == "b");
        if (s.at >= recovered + std::chrono::seconds(5)) CHECK(s.provider == "a");
        back = back || (s.at >= recovered && s.provider == "a");
    }
    CHECK(back);
    CHECK(mock.attempts("recovery-a@status=503,fail_for_ms=10000") >= 4);  // probed while down, then used
}
