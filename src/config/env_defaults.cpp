// env_defaults.cpp — settings the environment supplies as defaults: whole-request deadlines,
// permanent-failure handling, the routing-intelligence thresholds, metrics and logging, the
// response cache. Config
// keys override them.
#include "config/schema.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace sw::config {

namespace {

std::string env_path(std::string_view name) { return fmt::format("env:{}", name); }

std::optional<double> env_number(Context& ctx, std::string_view name, double min, double max) {
    auto text = ctx.env(std::string(name));
    if (!text || text->empty()) return std::nullopt;
    double value = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || ptr != text->data() + text->size() || !std::isfinite(value)) {
        ctx.error(env_path(name), fmt::format("expected a number, got {}", quote(*text)));
        return std::nullopt;
    }
    if (value < min || value > max) {
        ctx.error(env_path(name), fmt::format("must be between {} and {}, got {}", min, max, value));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> env_bool(Context& ctx, std::string_view name) {
    auto text = ctx.env(std::string(name));
    if (!text || text->empty()) return std::nullopt;
    if (*text == "true" || *text == "1") return true;
    if (*text == "false" || *text == "0") return false;
    ctx.error(env_path(name), fmt::format("expected true or false, got {}", quote(*text)));
    return std::nullopt;
}

void read_logging_environment(Context& ctx, LoggingConfig& logging) {
    if (auto text = ctx.env("LOG_LEVEL"); text && !text->empty()) {
        if (auto level = parse_log_level(*text)) logging.level = *level;
        else ctx.error(env_path("LOG_LEVEL"), fmt::format("expected DEBUG, INFO, WARNING or ERROR, got {}", quote(*text)));
    }
    if (auto text = ctx.env("LOG_FORMAT"); text && !text->empty()) {
        if (auto format = parse_log_format(*text)) logging.format = *format;
        else ctx.error(env_path("LOG_FORMAT"), fmt::format("expected json or text, got {}", quote(*text)));
    }
    if (auto v = env_bool(ctx, "ENABLE_CORRELATION_ID")) logging.correlation_id = *v;
    if (auto v = env_bool(ctx, "ENABLE_REQUEST_LOGGING")) logging.requests = *v;
}

void set_millis(Context& ctx, std::string_view name, Millis& out, double min, double max) {
    if (auto v = env_number(ctx, name, min, max)) out = Millis(static_cast<std::int64_t>(*v));
}

}  // namespace

PermanentFailureConfig permanent_failure_defaults(Context& ctx) {
    PermanentFailureConfig pf;
    if (auto v = env_bool(ctx, "PERMANENT_FAILURE_ENABLED")) pf.enabled = *v;
    if (auto v = env_number(ctx, "PERMANENT_FAILURE_TIMEOUT_MULTIPLIER", 1, 20)) pf.timeout_multiplier = *v;
    set_millis(ctx, "PERMANENT_FAILURE_BASE_TIMEOUT_MS", pf.base_timeout, 60'000, 30.0 * 24 * 3600 * 1000);
    if (auto v = env_number(ctx, "PERMANENT_FAILURE_MAX_BACKOFF_MULTIPLIER", 1, 10))
        pf.max_backoff_multiplier = static_cast<int>(*v);
    if (auto text = ctx.env("PERMANENT_FAILURE_ERROR_PATTERNS"); text && !text->empty()) {
        std::size_t start = 0;
        for (std::size_t i = 0; start <= text->size(); ++i) {
            std::size_t comma = text->find(',', start);
            std::string pattern = text->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!pattern.empty()) {
                if (std::string reason = regex_error(pattern); !reason.empty())
                    ctx.error(fmt::format("env:PERMANENT_FAILURE_ERROR_PATTERNS[{}]", i),
                              fmt::format("invalid regular expression: {}", reason));
                else
                    pf.error_patterns.push_back(pattern);
            }
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return pf;
}

void read_environment_defaults(Context& ctx, Config& config) {
    // MONITORING_ENABLED=false turns every kind of monitoring off, METRICS_ENABLED the metrics
    // and TRACING_ENABLED the trace context and spans.
    for (const char* name : {"MONITORING_ENABLED", "METRICS_ENABLED"})
        if (auto v = env_bool(ctx, name); v && !*v) config.monitoring.metrics = false;
    for (const char* name : {"MONITORING_ENABLED", "TRACING_ENABLED"})
        if (auto v = env_bool(ctx, name); v && !*v) config.monitoring.tracing.enabled = false;
    read_logging_environment(ctx, config.monitoring.logging);
    if (auto text = ctx.env("PROMETHEUS_PATH"); text && !text->empty()) {
        if (auto error = metrics_path_error(*text)) ctx.error(env_path("PROMETHEUS_PATH"), *error);
        else config.monitoring.metrics_path = *text;
    }
    if (auto port = env_number(ctx, "PROMETHEUS_PORT", 0, 65535))
        config.monitoring.metrics_port = static_cast<std::uint16_t>(*port);
    // DATABASE_URL turns the usage ledger on (docs/ledger.md); database.url overrides it.
    if (auto url = ctx.env("DATABASE_URL"); url && !url->empty()) {
        if (std::string why = database_url_error(*url); !why.empty())
            ctx.error(env_path("DATABASE_URL"), why);
        else
            config.database.url = Secret(std::move(*url));
    }
    // The response cache (docs/cache.md); the cache section overrides these.
    if (auto v = env_bool(ctx, "CACHE_ENABLED")) config.cache.enabled = *v;
    if (auto text = ctx.env("CACHE_BACKEND"); text && !text->empty()) {
        std::string why;
        if (auto backend = parse_cache_backend(*text, why)) {
            config.cache.backend = *backend;
            ctx.cache_reading.backend_path = env_path("CACHE_BACKEND");
        } else {
            ctx.error(env_path("CACHE_BACKEND"), why, "set CACHE_BACKEND=memory or redis, or unset it");
        }
    }
    if (auto v = env_number(ctx, "CACHE_DEFAULT_TTL", 1, double(kMaxCacheTtlSeconds)))
        config.cache.default_ttl = std::chrono::seconds(static_cast<std::int64_t>(*v));
    if (auto v = env_number(ctx, "CACHE_MAX_SIZE", 1, double(kMaxCacheEntries)))
        config.cache.max_entries = static_cast<std::size_t>(*v);
    if (auto v = env_number(ctx, "CACHE_MAX_BYTES", double(kMinCacheBytes), double(kMaxCacheBytes)))
        config.cache.max_bytes = static_cast<std::size_t>(*v);
    read_redis_environment(ctx, config);
    constexpr double kMaxMs = 24.0 * 3600 * 1000;
    Deadlines& d = config.deadlines;
    set_millis(ctx, "DEFAULT_TIMEOUT_MS", d.request, 1, kMaxMs);
    set_millis(ctx, "STREAMING_TIMEOUT_MS", d.streaming, 1, kMaxMs);
    // MAX_TIMEOUT_MS caps the other two; unset, it still caps at its default. A streaming
    // deadline above the cap is cut to it, as the Switch guide's server does.
    set_millis(ctx, "MAX_TIMEOUT_MS", d.max, 1, kMaxMs);
    d.request = std::min(d.request, d.max);
    d.streaming = std::min(d.streaming, d.max);

    IntelligenceConfig& in = config.intelligence;
    if (auto v = ctx.env("DEFAULT_ROUTING_STRATEGY"); v && !v->empty()) {
        if (is_intelligence_strategy(*v)) in.default_strategy = *v;
        else ctx.error(env_path("DEFAULT_ROUTING_STRATEGY"),
                       fmt::format("unknown strategy {}; expected hybrid, cascade, semantic or heuristic", quote(*v)));
    }
    if (auto v = env_bool(ctx, "CASCADE_ROUTING_ENABLED")) in.cascade_enabled = *v;
    if (auto v = env_bool(ctx, "SEMANTIC_ROUTING_ENABLED")) in.semantic_enabled = *v;
    if (auto v = env_bool(ctx, "HEURISTIC_ROUTING_ENABLED")) in.heuristic_enabled = *v;
    if (auto v = env_number(ctx, "CASCADE_QUALITY_THRESHOLD", 0, 1)) in.cascade_quality_threshold = *v;
    if (auto v = env_number(ctx, "CASCADE_CONFIDENCE_THRESHOLD", 0, 1)) in.cascade_confidence_threshold = *v;
    if (auto v = env_number(ctx, "CASCADE_MAX_BUDGET", 0, 1e6)) in.cascade_max_budget = *v;
    if (auto v = env_number(ctx, "CODE_DETECTION_THRESHOLD", 0, 1)) in.code_detection_threshold = *v;
    if (auto v = env_number(ctx, "COMPLEXITY_THRESHOLD", 0, 1)) in.complexity_threshold = *v;
    if (auto v = env_number(ctx, "SIMPLE_QUERY_THRESHOLD", 0, 1)) in.simple_query_threshold = *v;
    if (auto v = env_number(ctx, "SIMPLE_QUERY_MAX_LENGTH", 1, 1e6)) in.simple_query_max_length = static_cast<int>(*v);
    if (auto v = env_number(ctx, "SIMILARITY_THRESHOLD", 0, 1)) in.similarity_threshold = *v;
    if (auto v = env_bool(ctx, "CACHE_EMBEDDINGS")) in.cache_embeddings = *v;
    if (auto v = ctx.env("CLASSIFICATION_MODEL"); v && !v->empty()) in.semantic_model = *v;
}

}  // namespace sw::config
