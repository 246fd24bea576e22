// test_budget_router.cpp — budgets over windows behind real routers on the loopback mock
// (docs/budgets.md): 50 concurrent requests against a budget of 10 requests' worth never spend
// more than it, in one router and in two routers counting through one throwaway redis-server;
// a dearer provider over the budget is passed over for a cheaper one without a mark against it;
// a failed attempt gives its reservation back; with Redis gone the local count still holds; and
// the budget scripts themselves: all or nothing, on the server's calendar, corrections in their window.
#include "loopback_port.hpp"
#include "mock_process.hpp"
#include "redis_server.hpp"
#include "redis_support.hpp"

#include "redis/budget_scripts.hpp"
#include "redis/shared_budget.hpp"
#include "routing/budget_book.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <chrono>
#include <future>
#include <vector>

using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;
    return instance;
}

// Output tokens cost 0.001 USD each and input tokens nothing, and every request asks for
// max_tokens 7, which is what the mock answers with: a request's worst case is its real cost,
// 0.007 USD, so "10 requests' worth" is exact.
constexpr double kRequestUsd = 0.007;

// Model "chat": pool "p" with provider "dear" (the mock's scenario `dear_key`, 0.001 USD an
// output token) and, when `cheap_key` is set, provider "cheap" after it (0.00001 USD), falling
// back to nothing; `budgets` and `redis` as given.
std::string config_text(const std::string& dear_key, const std::string& cheap_key, const std::string& budgets,
                        const std::string& redis = "") {
    std::string providers = fmt::format(
        R"({{"name":"dear","provider":"custom","modelName":"{0}","apiBase":"{1}/v1","maxRetries":2,"retryDelay":1,)"
        R"("timeout":5000,"priority":1}})",
        dear_key, mock().base());
    std::string catalog = fmt::format(R"("{}":{{"pricing":{{"input":0,"output":1}}}})", dear_key);
    if (!cheap_key.empty()) {
        providers += fmt::format(
            R"(,{{"name":"cheap","provider":"custom","modelName":"{0}","apiBase":"{1}/v1","maxRetries":0,)"
            R"("timeout":5000,"priority":2}})",
            cheap_key, mock().base());
        catalog += fmt::format(R"(,"{}":{{"pricing":{{"input":0,"output":0.01}}}})", cheap_key);
    }
    return fmt::format(R"({{"pools":[{{"id":"p","providers":[{}]}}],)"
                       R"("models":{{"chat":{{"primaryPoolId":"p"}},"custom":{{{}}}}},"budgets":{}{}}})",
                       providers, catalog, budgets, redis.empty() ? "" : ",\"redis\":" + redis);
}

std::shared_ptr<const sw::Config> load(const std::string& text) {
    sw::LoadOptions options;
    options.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
    INFO(text << "\n" << sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

const std::string kChat = R"({"model":"chat","max_tokens":7,"messages":[{"role":"user","content":"hi"}]})";

// `n` requests at once, spread over `routers` in turn, each as `client`; every answer.
std::vector<sw::ChatResponse> at_once(const std::vector<sw::Router*>& routers, int n, const std::string& client = "") {
    std::vector<std::future<sw::ChatResponse>> futures;
    sw::ChatOptions options;
    options.client_id = client;
    for (int i = 0; i < n; ++i) futures.push_back(routers[i % routers.size()]->chat_async(kChat, options));
    std::vector<sw::ChatResponse> out;
    for (auto& f : futures) {
        REQUIRE(f.wait_for(std::chrono::seconds(30)) == std::future_status::ready);  // none hangs
        out.push_back(f.get());
    }
    return out;
}

struct Tally {
    int served = 0;
    int over_budget = 0;  // 429, the last attempt passed over for the budget
    double spent = 0;
};

Tally tally(const std::vector<sw::ChatResponse>& answers, const std::string& budget) {
    Tally t;
    for (const sw::ChatResponse& r : answers) {
        if (r.ok()) {
            ++t.served;
            REQUIRE(r.cost_usd);
            t.spent += *r.cost_usd;
            continue;
        }
        INFO(r.error);
        CHECK(r.status == 429);
        CHECK(r.error_class == sw::ErrorClass::rate_limited);
        REQUIRE_FALSE(r.trace.attempts.empty());
        CHECK(r.trace.attempts.back().error_code == "budget_exceeded");
        CHECK(r.error.find("budget \"" + budget + "\"") != std::string::npos);
        ++t.over_budget;
    }
    return t;
}

const std::string kTenRequests = fmt::format(R"([{{"name":"ten","per":"model","window":"day","limit_usd":{}}}])",
                                             10 * kRequestUsd);

}  // namespace

TEST_CASE("budgets: 50 concurrent requests against 10 requests' worth spend no more than it", "[budget][router]") {
    // Each answer takes 300 ms, so all 50 hold their reservations at once.
    sw::Router router(load(config_text("budget-fifty@latency_ms=300", "", kTenRequests)));
    const Tally t = tally(at_once({&router}, 50), "ten");
    CHECK(t.served == 10);
    CHECK(t.over_budget == 40);
    CHECK(t.spent <= 10 * kRequestUsd + 1e-9);
    CHECK(mock().attempts("budget-fifty@latency_ms=300") == 10);  // a refused one never reaches it
    const std::string metrics = router.metrics_text();
    CHECK(metrics.find("\nswitch_budget_refusals_total{model=\"chat\"} 40\n") != std::string::npos);
    CHECK(metrics.find("\nswitch_rate_limited_total{model=\"chat\"} 40\n") != std::string::npos);
}

TEST_CASE("budgets: each client has a budget of its own", "[budget][router]") {
    sw::Router router(load(config_text(
        "budget-clients", "", fmt::format(R"([{{"name":"per-key","per":"client","window":"hour","limit_usd":{}}}])",
                                          2 * kRequestUsd))));
    CHECK(tally(at_once({&router}, 3, "key-a"), "per-key").served == 2);
    CHECK(tally(at_once({&router}, 3, "key-b"), "per-key").served == 2);
    const auto refused = at_once({&router}, 1, "key-a");
    CHECK(tally(refused, "per-key").served == 0);
    INFO(refused[0].error);
    CHECK(refused[0].error.starts_with("every provider failed for \"chat\"; attempts: [1] p/dear: HTTP 429 "
                                       "(rate_limited, budget_exceeded, 0 ms); provider \"dear\": budget \"per-key\" "
                                       "(client \"key-a\") has spent 0.014 of its 0.014 USD this hour, and the attempt "
                                       "may cost up to 0.007 USD; it starts again in "));
}

TEST_CASE("budgets: a provider over the budget is passed over for a cheaper one, with no mark against it",
          "[budget][router]") {
    // 0.005 USD left: the dear provider's 0.007 does not fit, the cheap one's 0.00007 does.
    sw::Router router(load(config_text("budget-dear", "budget-cheap",
                                       R"([{"name":"small","per":"all","window":"month","limit_usd":0.005}])")));
    const sw::ChatResponse r = router.chat(kChat);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(r.trace.provider == "cheap");
    REQUIRE(r.trace.attempts.size() == 2);
    CHECK(r.trace.attempts[0].provider == "dear");
    CHECK(r.trace.attempts[0].error_code == "budget_exceeded");
    CHECK(r.trace.attempts[0].http_status == 429);
    CHECK(mock().attempts("budget-dear") == 0);
    // The dear provider is as healthy as before: no cooldown, no breaker count.
    for (const sw::PoolStatus& pool : router.status().pools)
        for (const sw::ProviderStatus& p : pool.providers) {
            CHECK(p.breaker == sw::BreakerState::closed);
            CHECK(p.healthy);
        }
}

TEST_CASE("budgets: a failed attempt gives its reservation back", "[budget][router]") {
    // One request's worth: a 503 and its two retries each reserve it in turn, and fail.
    sw::Router router(load(config_text("budget-fail@status=503", "",
                                       fmt::format(R"([{{"name":"one","per":"all","window":"day","limit_usd":{}}}])",
                                                   kRequestUsd))));
    const sw::ChatResponse r = router.chat(kChat);
    CHECK(r.status == 502);
    REQUIRE(r.trace.attempts.size() == 3);
    for (const sw::AttemptRecord& a : r.trace.attempts) CHECK(a.http_status == 503);
    CHECK(mock().attempts("budget-fail@status=503") == 3);
}

TEST_CASE("budgets: two routers counting through Redis spend no more than 10 requests' worth of 50",
          "[budget][router][redis]") {
    SWITCH_REDIS_OR_SKIP(binary);
    sw::test::RedisServer server(*binary);
    const auto config = load(config_text(
        "budget-shared@latency_ms=300", "",
        fmt::format(R"([{{"name":"shared-ten","per":"model","window":"month","limit_usd":{}}}])", 10 * kRequestUsd),
        fmt::format(R"({{"url":"{}","timeout_ms":1000}})", server.url())));
    sw::Router a(config), b(config);
    const Tally t = tally(at_once({&a, &b}, 50), "shared-ten");
    CHECK(t.served == 10);  // each router alone would have served 10
    CHECK(t.over_budget == 40);
    CHECK(t.spent <= 10 * kRequestUsd + 1e-9);

    // The server's count is the spending, in the month its own clock is in (as libswitch's).
    sw::transport::HttpEngine loop;
    sw::redis::Client client({&loop}, sw::test::loopback_options(server.url()), 1);
    REQUIRE(sw::test::wait_until([&] { return client.available(); }));
    const auto held = sw::test::call_sync(client, {"HMGET", sw::redis::budget_key("shared-ten", "chat"), "w", "s"});
    REQUIRE(held.reply.elements.size() == 2);
    const std::int64_t now_s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    CHECK(held.reply.elements[0].text ==
          std::to_string(sw::routing::window_bounds(sw::BudgetWindow::month, now_s).start));
    CHECK(held.reply.elements[1].text == "70000");
}

TEST_CASE("budgets: with Redis unreachable, each router's own count still holds", "[budget][router][redis]") {
    const auto config = load(config_text(
        "budget-no-redis@latency_ms=200", "", kTenRequests,
        fmt::format(R"({{"url":"redis://127.0.0.1:{}/0","timeout_ms":50}})", sw::test::closed_port())));
    sw::Router router(config);
    const Tally t = tally(at_once({&router}, 30), "ten");
    CHECK(t.served == 10);
    CHECK(t.over_budget == 20);
}

TEST_CASE("budget scripts: all or nothing over several budgets, windows from the server's clock, corrections "
          "only in their window",
          "[budget][redis]") {
    SWITCH_REDIS_OR_SKIP(binary);
    sw::test::RedisServer server(*binary);
    sw::transport::HttpEngine loop;
    sw::redis::Client client({&loop}, sw::test::loopback_options(server.url()), 1);
    REQUIRE(sw::test::wait_until([&] { return client.available(); }));
    sw::redis::SharedBudget budget(client);
    auto budget_take = [](sw::redis::SharedBudget& b, const std::vector<sw::redis::BudgetUnits>& units, std::int64_t cost) {
        return sw::test::answer_of<sw::redis::BudgetDecision>([&](auto done) { b.take(units, cost, std::move(done)); },
                                                              "a budget take");
    };
    auto budget_adjust = [](sw::redis::SharedBudget& b, const std::vector<sw::redis::BudgetUnits>& units,
                            std::int64_t delta) {
        const auto status = sw::test::answer_of<sw::redis::CallStatus>(
            [&](auto done) { b.adjust(units, delta, std::move(done)); }, "a budget correction");
        REQUIRE(status == sw::redis::CallStatus::ok);
    };
    std::vector<sw::redis::BudgetUnits> units = {
        {sw::redis::budget_key("wide", ""), "month", 1'000'000, 0},
        {sw::redis::budget_key("narrow", "key/1"), "hour", 300'000, 0},
    };
    const std::int64_t now_s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto first = budget_take(budget, units, 200'000);
    REQUIRE(first.verdict == sw::redis::BudgetDecision::Verdict::admitted);
    REQUIRE(first.window_starts.size() == 2);
    // The server's windows are libswitch's: the ones that hold the test's time, or the next ones
    // if the call crossed an edge.
    auto one_of = [now_s](sw::BudgetWindow w, std::int64_t start) {
        return start == sw::routing::window_bounds(w, now_s).start ||
               start == sw::routing::window_bounds(w, now_s + 5).start;
    };
    CHECK(one_of(sw::BudgetWindow::month, first.window_starts[0]));
    CHECK(one_of(sw::BudgetWindow::hour, first.window_starts[1]));

    // "narrow" has 100 000 left: a take of 200 000 takes nothing from "wide" either.
    auto refused = budget_take(budget, units, 200'000);
    REQUIRE(refused.verdict == sw::redis::BudgetDecision::Verdict::refused);
    CHECK(refused.refused_by == 1);
    CHECK(refused.spent == 200'000);
    CHECK(refused.resets_in_s > 0);
    CHECK(refused.resets_in_s <= 3600);
    auto wide = sw::test::call_sync(client, {"HGET", units[0].key, "s"});
    CHECK(wide.reply.text == "200000");

    // A correction in the take's windows applies, and no count goes below 0.
    units[0].window_start = first.window_starts[0];
    units[1].window_start = first.window_starts[1];
    budget_adjust(budget, units, -150'000);
    CHECK(sw::test::call_sync(client, {"HGET", units[1].key, "s"}).reply.text == "50000");
    budget_adjust(budget, units, -1'000'000);
    CHECK(sw::test::call_sync(client, {"HGET", units[0].key, "s"}).reply.text == "0");
    // A correction for an earlier window changes nothing now.
    REQUIRE(budget_take(budget, units, 100'000).verdict == sw::redis::BudgetDecision::Verdict::admitted);
    auto stale = units;
    stale[0].window_start -= 86400 * 31;
    stale[1].window_start -= 3600;
    budget_adjust(budget, stale, -100'000);
    CHECK(sw::test::call_sync(client, {"HGET", units[1].key, "s"}).reply.text == "100000");
    // Every key expires a minute after its window.
    const auto ttl = sw::test::call_sync(client, {"TTL", units[1].key});
    CHECK(ttl.reply.integer > 60);
    CHECK(ttl.reply.integer <= 3660);
}
