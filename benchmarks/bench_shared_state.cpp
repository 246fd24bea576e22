// bench_shared_state.cpp — what Redis adds to a routed request (docs/scaling.md, docs/cache.md):
// a real Router with 2 I/O threads over the loopback mock and a throwaway redis-server, at 1, 64
// and 256 requests in flight (each answer sends the next), six ways in one run:
//   - local:   a provider with per-minute limits (high enough never to refuse), no redis.url;
//   - shared:  the same limits shared through Redis, so each attempt asks the server's script;
//   - budget:  local, plus a budget over a month (docs/budgets.md) too large to refuse;
//   - shared budget: shared, plus the same budget counted in Redis (a take and a correction);
//   - miss:    the response cache on the redis backend, every request a new question;
//   - hit:     the same, every request one question already stored.
// Prints throughput and the ratios shared/local, budget/local, shared budget/shared and hit/miss
// of wall time. It fails only when a request fails, a hit is missing or Redis was not asked as
// often as it should have been; it asserts no time.
//   bench_shared_state [REQUESTS]   (default 4000 a row; a quarter at 1 in flight)
#include "../tests/integration/mock_process.hpp"
#include "router_load.hpp"
#include "../tests/integration/redis_server.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// Provider "a" on the mock with limits it never reaches, and a price; `extra` adds top-level
// sections.
std::shared_ptr<const sw::Config> config(const std::string& base, const std::string& extra) {
    const std::string text = fmt::format(
        R"({{"pools":[{{"id":"p","providers":[{{"name":"a","provider":"custom","modelName":"bench-shared",)"
        R"("apiBase":"{}/v1","maxRetries":0,"timeout":10000,"costPerToken":0.000001,)"
        R"("rateLimits":{{"requestsPerMinute":100000000,"tokensPerMinute":1000000000000}}}}]}}],)"
        R"("models":{{"chat":{{"primaryPoolId":"p"}}}}{}}})",
        base, extra);
    sw::LoadOptions options;
    options.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "bench", options);
    if (!result.ok()) {
        std::fprintf(stderr, "%s\n", sw::format_diagnostics_text(result).c_str());
        std::exit(1);
    }
    return result.config;
}

std::string request(std::size_t n) {
    return fmt::format(R"({{"model":"chat","max_tokens":64,"messages":[{{"role":"user","content":"Question {}"}}]}})", n);
}

// The shared-state calls a router has made that Redis answered.
double redis_calls_ok(const sw::Router& router) {
    const std::string text = router.metrics_text();
    const std::string series = R"(switch_shared_state_calls_total{result="ok"} )";
    const std::size_t at = text.find(series);
    return at == std::string::npos ? 0 : std::stod(text.substr(at + series.size()));
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t total = 4000;
    if (argc > 1) total = static_cast<std::size_t>(std::atoll(argv[1]));
    const auto bin = sw::test::redis_server_path();
    if (!bin) {
        std::fprintf(stderr, "redis-server is not installed (tools/deps.sh installs it)\n");
        return 1;
    }
    sw::test::RedisServer server(*bin);
    sw::test::MockProcess mock;
    // A generous timeout: measured, not cut short into local decisions.
    const std::string redis = fmt::format(R"(,"redis":{{"url":"{}","timeout_ms":2000}})", server.url());
    const std::string cache = fmt::format(R"(,"cache":{{"enabled":true,"backend":"redis","redis":{{"url":"{}"}}}})",
                                          server.url());
    const std::string budget = R"(,"budgets":[{"name":"bench","per":"all","window":"month","limit_usd":1e9}])";
    std::printf("%5s %10s %10s %10s %10s %10s %10s %13s %13s %13s %9s\n", "conc", "local r/s", "shared r/s",
                "budget r/s", "sh.bud r/s", "miss r/s", "hit r/s", "shared/local", "budget/local", "sh.bud/shared",
                "hit/miss");
    for (std::size_t concurrency : {1, 64, 256}) {
        const std::size_t n = concurrency == 1 ? total / 4 : total;
        sw::RouterOptions ro;
        ro.io_threads = 2;
        sw::Router local(config(mock.base(), ""), ro);
        sw::Router shared(config(mock.base(), redis), ro);
        sw::Router cached(config(mock.base(), cache), ro);
        sw::Router budgeted(config(mock.base(), budget), ro);
        sw::Router shared_budgeted(config(mock.base(), redis + budget), ro);
        bench::load(local, n / 10, concurrency, request, false);  // warm connections
        const bench::Run r_local = bench::load(local, n, concurrency, request, false);
        bench::load(shared, n / 10, concurrency, request, false);  // warm: scripts loaded
        const double asked_before = redis_calls_ok(shared);
        const bench::Run r_shared = bench::load(shared, n, concurrency, request, false);
        const double asked = redis_calls_ok(shared) - asked_before;
        bench::load(budgeted, n / 10, concurrency, request, false);
        const bench::Run r_budget = bench::load(budgeted, n, concurrency, request, false);
        bench::load(shared_budgeted, n / 10, concurrency, request, false);
        const double budget_asked_before = redis_calls_ok(shared_budgeted);
        const bench::Run r_shared_budget = bench::load(shared_budgeted, n, concurrency, request, false);
        // The limit's take and the budget's take; the corrections are not waited for.
        const double budget_asked = redis_calls_ok(shared_budgeted) - budget_asked_before;
        bench::load(cached, n / 10, concurrency, request, false, 1'000'000 * concurrency);
        const bench::Run r_miss = bench::load(cached, n, concurrency, request, false, 10'000'000 * concurrency);
        bench::load(cached, 1, 1, request, true);  // the one question every hit asks
        const bench::Run r_hit = bench::load(cached, n, concurrency, request, true);
        if (r_local.failed + r_shared.failed + r_budget.failed + r_shared_budget.failed + r_miss.failed +
                    r_hit.failed !=
                0 ||
            r_hit.hits != n || r_miss.hits != 0 || asked < double(n) || budget_asked < 2.0 * double(n)) {
            std::fprintf(stderr,
                         "failures: local %zu shared %zu budget %zu shared budget %zu miss %zu hit %zu; hits %zu of "
                         "%zu; redis calls %.0f (limits) and %.0f (limits and budget)\n",
                         r_local.failed, r_shared.failed, r_budget.failed, r_shared_budget.failed, r_miss.failed,
                         r_hit.failed, r_hit.hits, n, asked, budget_asked);
            return 1;
        }
        std::printf("%5zu %10.0f %10.0f %10.0f %10.0f %10.0f %10.0f %13.3f %13.3f %13.3f %9.3f\n", concurrency,
                    double(n) / r_local.seconds, double(n) / r_shared.seconds, double(n) / r_budget.seconds,
                    double(n) / r_shared_budget.seconds, double(n) / r_miss.seconds, double(n) / r_hit.seconds,
                    r_shared.seconds / r_local.seconds, r_budget.seconds / r_local.seconds,
                    r_shared_budget.seconds / r_shared.seconds, r_hit.seconds / r_miss.seconds);
    }
    return 0;
}
