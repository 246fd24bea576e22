// config_scale.cpp — generates the large configuration and times its load.
#include "config_scale.hpp"

#include "measure.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <fmt/format.h>

#include <vector>

namespace bench {

std::string scale_config(int pools, int providers_per_pool) {
    std::string out = R"({"pools":[)";
    for (int i = 0; i < pools; ++i) {
        out += fmt::format(R"({}{{"id":"pool-{}","routingStrategy":"{}","providers":[)", i ? "," : "", i,
                           i % 2 ? "weighted" : "fastest_response");
        for (int j = 0; j < providers_per_pool; ++j)
            out += fmt::format(
                R"({}{{"name":"p{}-{}","provider":"custom","apiBase":"http://127.0.0.1:9/v1","modelName":"model-{}",)"
                R"("priority":{},"weight":{},"timeout":20000,"maxRetries":1,"retryDelay":100}})",
                j ? "," : "", i, j, j, j % 3 + 1, j + 1);
        out += "]";
        // Pools come in pairs, the even one falling back to the odd one: short chains, as in real
        // configs. (One chain through every pool makes planning cubic in the pool count.)
        if (i % 2 == 0 && i + 1 < pools) out += fmt::format(R"(,"fallbackPoolIds":["pool-{}"])", i + 1);
        out += R"(,"circuitBreaker":{"enabled":true,"failureThreshold":5,"resetTimeout":30000}})";
    }
    out += R"(],"models":{)";
    for (int i = 0; i < pools; ++i)
        out += fmt::format(R"({}"model-{}":{{"primaryPoolId":"pool-{}"}})", i ? "," : "", i, i);
    return out + "}}";
}

ConfigScale time_config_load(int pools, int providers_per_pool, int runs) {
    ConfigScale c;
    c.pools = pools;
    c.providers = pools * providers_per_pool;
    c.runs = runs;
    const std::string text = scale_config(pools, providers_per_pool);
    c.bytes = text.size();
    std::vector<double> load_ms, router_ms;
    c.valid = true;
    for (int r = 0; r < runs; ++r) {
        const auto t0 = Clock::now();
        sw::LoadResult loaded = sw::load_config_string(text, sw::ConfigFormat::json, "scale.json");
        const auto t1 = Clock::now();
        load_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        const bool clean = loaded.ok() && loaded.warning_count() == 0 &&
                           loaded.summary.providers == static_cast<std::size_t>(c.providers);
        if (!clean) {
            c.valid = false;
            break;
        }
        const auto t2 = Clock::now();
        { sw::Router router(loaded.config); }
        router_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t2).count());
    }
    c.load_ms_min = percentile(load_ms, 0);
    c.load_ms_p50 = percentile(load_ms, 0.5);
    c.router_ms_min = percentile(router_ms, 0);
    c.router_ms_p50 = percentile(router_ms, 0.5);
    return c;
}

std::string json_line(const ConfigScale& c) {
    return fmt::format(
        R"({{"contender":"switch","workload":"config","pools":{},"providers":{},"bytes":{},"runs":{},)"
        R"("load_ms_min":{:.2f},"load_ms_p50":{:.2f},"router_ms_min":{:.2f},"router_ms_p50":{:.2f},"valid":{}}})",
        c.pools, c.providers, c.bytes, c.runs, c.load_ms_min, c.load_ms_p50, c.router_ms_min, c.router_ms_p50,
        c.valid ? "true" : "false");
}

}  // namespace bench
