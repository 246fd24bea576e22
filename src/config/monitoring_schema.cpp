// monitoring_schema.cpp — ModelMuxer's `monitoring` section: what works (metrics on or off), and
// what is refused with its reason until it is built (docs/metrics.md).
#include "config/schema.hpp"

#include <fmt/format.h>

namespace sw::config {

namespace {

// A part of the section that does nothing yet: said plainly, once, at the key.
void not_yet(Context& ctx, const ObjectReader& r, std::string_view key, std::string_view what) {
    if (r.has(key))
        ctx.warning(r.path_of(key), fmt::format("ignored: {} is not supported yet (docs/metrics.md)", what));
}

}  // namespace

void read_monitoring(Context& ctx, const Node& node, Config& config) {
    ObjectReader r(ctx, node, "monitoring", {"enabled", "metrics", "tracing", "logging"});
    if (!r.valid()) return;
    // Keys here override the environment's MONITORING_ENABLED and METRICS_ENABLED.
    const std::optional<bool> enabled = r.boolean("enabled");
    if (enabled) config.monitoring.metrics = *enabled;
    if (const Node* metrics = r.get("metrics")) {
        ObjectReader m(ctx, *metrics, r.path_of("metrics"), {"enabled", "prometheus_port", "prometheus_path"});
        if (m.valid()) {
            if (auto v = m.boolean("enabled")) config.monitoring.metrics = *v && enabled.value_or(true);
            not_yet(ctx, m, "prometheus_port", "serving the metrics over HTTP (switch-server's /metrics)");
            not_yet(ctx, m, "prometheus_path", "serving the metrics over HTTP (switch-server's /metrics)");
        }
    }
    not_yet(ctx, r, "tracing", "tracing");
    not_yet(ctx, r, "logging", "request logging");
}

}  // namespace sw::config
