// status_json.cpp — RouterStatus as JSON: every pool and provider, with durations in ms.
#include <switch/trace.hpp>

#include "common/json_writer.hpp"

namespace sw {

std::string to_json(const RouterStatus& status) {
    JsonWriter w;
    w.begin_object().key("pools").begin_array();
    for (const PoolStatus& pool : status.pools) {
        w.begin_object().key("id").string(pool.id).key("name").string(pool.name);
        w.key("strategy").string(to_string(pool.strategy));
        w.key("healthy_providers").integer(pool.healthy_providers);
        w.key("min_healthy_providers").integer(pool.min_healthy_providers);
        w.key("providers").begin_array();
        for (const ProviderStatus& p : pool.providers) {
            w.begin_object().key("name").string(p.name).key("breaker").string(to_string(p.breaker));
            w.key("open_remaining_ms").integer(p.open_remaining.count());
            w.key("error_rate").number(p.error_rate).key("window_requests").integer(p.window_requests);
            w.key("ewma_latency_ms");
            if (p.ewma_latency) w.integer(p.ewma_latency->count());
            else w.null();
            w.key("in_flight").integer(p.in_flight).key("consecutive_failures").integer(p.consecutive_failures);
            w.key("permanent_trips").integer(p.permanent_trips);
            w.key("cooldown_remaining_ms").integer(p.cooldown_remaining.count());
            w.key("healthy").boolean(p.healthy).key("effective_weight").number(p.effective_weight);
            w.end_object();
        }
        w.end_array().end_object();
    }
    w.end_array().end_object();
    return w.take();
}

}  // namespace sw
