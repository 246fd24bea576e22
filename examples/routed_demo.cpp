// routed_demo.cpp — sends a handful of requests through a config and reports how each was
// served: which provider and pool, every attempt, and the breakers afterwards.
//   routed_demo CONFIG [MODEL]
#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs("usage: routed_demo CONFIG [MODEL]\n", stderr);
        return 2;
    }
    const std::string model = argc > 2 ? argv[2] : "chat";
    sw::LoadResult loaded = sw::load_config_file(argv[1]);
    if (!loaded.ok()) {
        std::fputs(sw::format_diagnostics_text(loaded).c_str(), stderr);
        return 1;
    }
    sw::Router router(loaded.config);
    const std::string request = R"({"model":")" + model + R"(","messages":[{"role":"user","content":"Say hello."}]})";
    int failures = 0;
    for (int i = 1; i <= 6; ++i) {
        sw::ChatResponse r = router.chat(request);
        if (!r.ok()) {
            ++failures;
            std::printf("request %d: FAILED %d %s\n", i, r.status, r.error.c_str());
            continue;
        }
        std::printf("request %d: served by %s (pool %s%s) in %zu attempt%s: \"%s\"\n", i, r.trace.provider.c_str(),
                    r.trace.pool_id.c_str(), r.trace.used_fallback ? ", fallback" : "", r.trace.attempts.size(),
                    r.trace.attempts.size() == 1 ? "" : "s", r.text.c_str());
        for (const sw::AttemptRecord& a : r.trace.attempts)
            std::printf("    %-14s %-8s status %3d  %-10s %4lld ms (waited %lld ms)\n", a.provider.c_str(),
                        a.pool_id.c_str(), a.http_status, std::string(sw::to_string(a.error_class)).c_str(),
                        static_cast<long long>(a.latency.count()), static_cast<long long>(a.backoff_waited.count()));
    }
    std::puts("breakers:");
    for (const sw::PoolStatus& pool : router.status().pools)
        for (const sw::ProviderStatus& p : pool.providers)
            std::printf("    %-8s %-14s %-9s error rate %5.1f%%\n", pool.id.c_str(), p.name.c_str(),
                        std::string(sw::to_string(p.breaker)).c_str(), p.error_rate);
    return failures == 0 ? 0 : 1;
}
