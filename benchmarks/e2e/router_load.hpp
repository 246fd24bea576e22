// router_load.hpp — the libswitch C++ contender: the same load as curl_load.hpp, sent through
// sw::Router with the benchmark's two-pool config (compare/configs/libswitch.json).
#pragma once

#include "curl_load.hpp"
#include "measure.hpp"

#include <switch/config.hpp>

#include <memory>
#include <string>

namespace bench {

// What fills the config's ${BENCH_*} variables: the mock's base URL and the model each pool's one
// provider names on it (a mock scenario can ride in the name, e.g. "bench-a@status=503").
struct RouteSetup {
    std::string base;
    std::string primary_model = "bench-a";
    std::string fallback_model = "bench-b";
};

// Loads `path` with the ${BENCH_*} variables of `setup`; throws with the diagnostics when invalid.
std::shared_ptr<const sw::Config> load_bench_config(const std::string& path, const RouteSetup& setup);

// `concurrency` chains of requests for model "bench", each sending its next one from its callback.
// Failover runs count the answers whose trace says the fallback pool served.
Measurement run_router(std::shared_ptr<const sw::Config> config, const LoadSpec& spec);

// As open_streams_curl, through the router.
OpenStreams open_streams_router(std::shared_ptr<const sw::Config> config, int streams, double max_seconds);

}  // namespace bench
