// monitoring_schema.cpp — ModelMuxer's `monitoring` section: metrics on or off and where
// switch-server serves them (docs/metrics.md), the log lines' level and form (docs/logging.md),
// and tracing (docs/tracing.md).
#include "config/schema.hpp"

#include <fmt/format.h>

namespace sw::config {

namespace {

void read_logging(Context& ctx, const Node& node, const std::string& path, LoggingConfig& logging) {
    ObjectReader r(ctx, node, path, {"level", "format", "correlation_id", "requests"});
    if (!r.valid()) return;
    if (auto text = r.string("level")) {
        if (auto level = parse_log_level(*text)) logging.level = *level;
        else ctx.error(r.path_of("level"), fmt::format("expected DEBUG, INFO, WARNING or ERROR, got {}", quote(*text)));
    }
    if (auto text = r.string("format")) {
        if (auto format = parse_log_format(*text)) logging.format = *format;
        else ctx.error(r.path_of("format"), fmt::format("expected json or text, got {}", quote(*text)));
    }
    if (auto v = r.boolean("correlation_id")) logging.correlation_id = *v;
    if (auto v = r.boolean("requests")) logging.requests = *v;
}

}  // namespace

std::optional<std::string> metrics_path_error(std::string_view path) {
    if (path.empty() || path.front() != '/' || path.find_first_of("? #") != std::string_view::npos)
        return fmt::format("expected a path such as /metrics, got {}", quote(path));
    return std::nullopt;
}

void read_monitoring(Context& ctx, const Node& node, Config& config) {
    ObjectReader r(ctx, node, "monitoring", {"enabled", "metrics", "tracing", "logging"});
    if (!r.valid()) return;
    // Keys here override the environment's MONITORING_ENABLED and METRICS_ENABLED.
    const std::optional<bool> enabled = r.boolean("enabled");
    if (enabled) config.monitoring.metrics = config.monitoring.tracing.enabled = *enabled;
    if (const Node* metrics = r.get("metrics")) {
        ObjectReader m(ctx, *metrics, r.path_of("metrics"), {"enabled", "prometheus_port", "prometheus_path"});
        if (m.valid()) {
            if (auto v = m.boolean("enabled")) config.monitoring.metrics = *v && enabled.value_or(true);
            if (auto path = m.string("prometheus_path")) {
                if (auto error = metrics_path_error(*path)) ctx.error(m.path_of("prometheus_path"), *error);
                else config.monitoring.metrics_path = *path;
            }
            // 0: the gateway's own port.
            if (auto port = m.integer("prometheus_port", 0, 65535))
                config.monitoring.metrics_port = static_cast<std::uint16_t>(*port);
        }
    }
    if (const Node* tracing = r.get("tracing")) {
        ObjectReader t(ctx, *tracing, r.path_of("tracing"), {"enabled", "propagate"});
        if (t.valid()) {
            if (auto v = t.boolean("enabled")) config.monitoring.tracing.enabled = *v && enabled.value_or(true);
            if (auto v = t.boolean("propagate")) config.monitoring.tracing.propagate = *v;
        }
    }
    if (const Node* logging = r.get("logging")) read_logging(ctx, *logging, r.path_of("logging"), config.monitoring.logging);
}

}  // namespace sw::config
