// config_scale.hpp — how long loading and validating a large configuration takes: `pools` pools of
// `providers_per_pool` providers each, one virtual model per pool, the pools in pairs (the even one
// falls back to the odd one).
#pragma once

#include <cstddef>
#include <string>

namespace bench {

std::string scale_config(int pools, int providers_per_pool);

struct ConfigScale {
    int pools = 0;
    int providers = 0;  // in all
    std::size_t bytes = 0;
    int runs = 0;
    double load_ms_min = 0, load_ms_p50 = 0;      // sw::load_config_string: parse, validate, build
    double router_ms_min = 0, router_ms_p50 = 0;  // then sw::Router's construction from it
    bool valid = false;
};

ConfigScale time_config_load(int pools, int providers_per_pool, int runs);

std::string json_line(const ConfigScale& c);

}  // namespace bench
