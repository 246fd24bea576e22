// bench_cache.cpp — what the response cache adds and saves (benchmarks/README.md, "Response
// cache"): a real Router over the loopback mock, at 1, 64 and 256 requests in flight, with the
// cache off, with every request a miss (keyed, looked up, recorded, stored), and with every
// request a hit; and, in process, the cost of keying and looking up one request alone. Prints
// ratios from one run, never a timed assertion.
#include "../tests/integration/mock_process.hpp"
#include "router_load.hpp"

#include "cache/response_cache.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::shared_ptr<const sw::Config> config(const std::string& base, bool cache) {
    const std::string text = fmt::format(
        R"({{"pools":[{{"id":"p","providers":[{{"name":"a","provider":"custom","modelName":"bench-cache",)"
        R"("apiBase":"{}/v1","maxRetries":0,"timeout":10000}}]}}],"models":{{"chat":{{"primaryPoolId":"p"}}}},)"
        R"("cache":{{"enabled":{},"max_size":1000000,"max_bytes":1073741824}}}})",
        base, cache);
    sw::LoadOptions options;
    options.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "bench", options);
    if (!result.ok()) {
        std::fprintf(stderr, "%s\n", sw::format_diagnostics_text(result).c_str());
        std::exit(1);
    }
    return result.config;
}

// A ~1 KB chat request; `n` makes it unique.
std::string request(std::size_t n) {
    return fmt::format(R"({{"model":"chat","temperature":0.2,"max_tokens":64,"messages":[)"
                       R"({{"role":"system","content":"You are a careful assistant. {}"}},)"
                       R"({{"role":"user","content":"Question number {}: {}"}}]}})",
                       std::string(400, 's'), n, std::string(500, 'q'));
}

// Keying one request and looking it up in a warm memory store, in process: the cache's own cost
// on a request's path, without HTTP.
double lookup_ns(std::size_t iterations) {
    sw::CacheConfig c;
    c.enabled = true;
    sw::cache::ResponseCache cache(c, std::make_shared<sw::SteadyClock>());
    const std::string r = request(1);
    sw::ChatOptions o;
    auto plan = cache.plan(r, false, o);
    sw::ChatResponse answer;
    answer.status = 200;
    answer.body = std::string(600, 'a');
    answer.finish_reason = "stop";
    answer.trace.ok = true;
    cache.store(*plan, answer, false, {});
    std::size_t found = 0;
    const auto start = Clock::now();
    for (std::size_t i = 0; i < iterations; ++i) {
        auto p = cache.plan(r, false, o);
        cache.lookup(*p, [&](std::shared_ptr<const sw::cache::CachedAnswer> a) { found += a ? 1 : 0; });
    }
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count() / double(iterations);
    if (found != iterations) std::exit(2);
    return ns;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t total = 4000;
    if (argc > 1) total = static_cast<std::size_t>(std::atoll(argv[1]));
    sw::test::MockProcess mock;
    std::printf("keying and looking up one ~1 KB request, in process: %.0f ns\n\n", lookup_ns(20000));
    std::printf("%5s %12s %12s %12s %14s %14s\n", "conc", "off req/s", "miss req/s", "hit req/s", "miss/off time",
                "hit/miss time");
    for (std::size_t concurrency : {1, 64, 256}) {
        const std::size_t n = concurrency == 1 ? total / 4 : total;
        sw::RouterOptions ro;
        ro.io_threads = 2;
        sw::Router off(config(mock.base(), false), ro);
        sw::Router on(config(mock.base(), true), ro);
        bench::load(off, n / 10, concurrency, request, false);  // warm connections
        const bench::Run r_off = bench::load(off, n, concurrency, request, false);
        bench::load(on, n / 10, concurrency, request, false, 1'000'000 * concurrency);  // warm, with questions of its own
        // Every request a new question: keyed, looked up, missed, recorded and stored.
        const bench::Run r_miss = bench::load(on, n, concurrency, request, false, 10'000'000 * concurrency);
        bench::load(on, 1, 1, request, true);  // the one question every hit asks
        const bench::Run r_hit = bench::load(on, n, concurrency, request, true);
        if (r_off.failed + r_miss.failed + r_hit.failed != 0 || r_hit.hits != n || r_miss.hits != 0) {
            std::fprintf(stderr, "failures: off %zu miss %zu hit %zu; hits %zu of %zu\n", r_off.failed, r_miss.failed,
                         r_hit.failed, r_hit.hits, n);
            return 1;
        }
        std::printf("%5zu %12.0f %12.0f %12.0f %14.3f %14.3f\n", concurrency, double(n) / r_off.seconds,
                    double(n) / r_miss.seconds, double(n) / r_hit.seconds, r_miss.seconds / r_off.seconds,
                    r_hit.seconds / r_miss.seconds);
    }
    return 0;
}
