// pool_schema.cpp — reads `pools`: providers, breakers, health thresholds and strategies.
#include "config/schema.hpp"
#include "common/url.hpp"
#include "providers/specs.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace sw::config {

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

const std::vector<std::string_view> kStrategyNames = {"fastest_response", "weighted", "cost_optimized",
                                                      "round_robin", "least_connections"};

// RFC 9110 token characters, the only ones allowed in a header name.
bool is_header_token(std::string_view name) {
    if (name.empty()) return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::vector<std::pair<std::string, std::string>> read_headers(Context& ctx, const Node& node,
                                                              const std::string& path) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!node.is_object()) {
        ctx.error(path, fmt::format("expected an object of header names to values, got {}", describe(node.kind)));
        return headers;
    }
    // These describe the message itself; libswitch sets them, and a wrong one breaks framing.
    static const std::vector<std::string_view> managed = {"host", "content-length", "transfer-encoding",
                                                          "connection"};
    for (const auto& [name, value] : node.members) {
        const std::string header_path = child_path(path, name);
        if (!is_header_token(name)) {
            ctx.error(header_path, "invalid header name: only letters, digits and !#$%&'*+-.^_`|~ are allowed");
            continue;
        }
        bool is_managed = false;
        for (auto m : managed) is_managed = is_managed || equals_ignore_case(name, m);
        if (is_managed) {
            ctx.error(header_path, "this header is set by libswitch and cannot be configured");
            continue;
        }
        // Header values are never shown in messages: they often carry tokens.
        if (auto text = read_string(ctx, value, header_path)) headers.emplace_back(name, std::move(*text));
    }
    return headers;
}

// apiVersion ends up in a URL query (azure) or a header (anthropic): a short token only.
void read_api_version(Context& ctx, const std::string& path, const std::string& value, ProviderConfig& p) {
    if (providers::spec_of(p).api_version.empty()) {
        std::vector<std::string_view> versioned;
        for (const providers::ProviderSpec& spec : providers::provider_specs())
            if (!spec.api_version.empty()) versioned.push_back(spec.name);
        ctx.warning(path, fmt::format("ignored: provider \"{}\" has no versioned protocol", p.type),
                    fmt::format("only {} providers use apiVersion", fmt::join(versioned, " and ")));
        return;
    }
    const bool token = !value.empty() && value.size() <= 64 &&
                       std::all_of(value.begin(), value.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                  c == '-' || c == '.' || c == '_';
                       });
    if (!token)
        ctx.error(path, "must be 1 to 64 letters, digits, '-', '.' or '_'", "for example \"2024-10-21\"");
    else
        p.api_version = value;
}

RateLimits read_rate_limits(Context& ctx, const Node& node, const std::string& path) {
    RateLimits limits;
    ObjectReader r(ctx, node, path, {"requestsPerMinute", "tokensPerMinute"});
    if (auto v = r.integer("requestsPerMinute", 1, 100'000'000)) limits.requests_per_minute = static_cast<std::uint32_t>(*v);
    if (auto v = r.integer("tokensPerMinute", 1, 1'000'000'000'000LL)) limits.tokens_per_minute = static_cast<std::uint64_t>(*v);
    return limits;
}

ProviderConfig read_provider(Context& ctx, const Node& node, const std::string& path) {
    ProviderConfig p;
    ObjectReader r(ctx, node, path,
                   {"name", "provider", "credentialsRef", "apiBase", "modelName", "priority", "weight", "headers",
                    "timeout", "maxRetries", "retryDelay", "rateLimits", "providerParams", "costPerToken",
                    "insecureSkipTlsVerifyForLoopbackTests", "apiVersion"});
    if (!r.valid()) return p;
    if (auto v = r.string("name", true)) p.name = *v;
    const auto names = providers::provider_names();
    if (auto v = r.choice("provider", names, true)) p.type = std::string(names[*v]);
    if (auto v = r.string("credentialsRef")) p.credentials_ref = *v;
    if (auto v = r.string("modelName", true)) p.model_name = *v;
    if (auto v = r.integer("priority", 1, 10)) p.priority = static_cast<int>(*v);
    if (auto v = r.number("weight", 0, 1'000'000)) p.weight = *v;
    if (auto v = r.millis("timeout", 1, kDayMs)) p.timeout = *v;
    if (auto v = r.integer("maxRetries", 0, 10)) p.max_retries = static_cast<int>(*v);
    if (auto v = r.millis("retryDelay", 0, kDayMs)) p.retry_delay = *v;
    if (auto v = r.number("costPerToken", 0, 1)) p.cost_per_token = *v;
    if (auto v = r.json_members("providerParams")) p.provider_params = std::move(*v);
    if (const Node* h = r.get("headers")) p.headers = read_headers(ctx, *h, r.path_of("headers"));
    if (const Node* rl = r.get("rateLimits")) p.rate_limits = read_rate_limits(ctx, *rl, r.path_of("rateLimits"));

    const providers::ProviderSpec& spec = providers::spec_of(p);
    p.api_version = std::string(spec.api_version);
    if (auto v = r.string("apiVersion")) read_api_version(ctx, r.path_of("apiVersion"), *v, p);
    if (auto v = r.string("apiBase")) {
        if (std::string reason = check_api_base(*v); !reason.empty())
            ctx.error(r.path_of("apiBase"), reason);
        else
            p.api_base = *v;
    } else if (r.has("provider") && !r.has("apiBase") && spec.default_api_base.empty() &&
               spec.endpoint == providers::EndpointSource::api_base) {
        ctx.error(r.path_of("apiBase"), fmt::format("required for provider \"{}\", which has no default endpoint",
                                                    spec.name));
    } else if (!r.has("apiBase")) {
        p.api_base = std::string(spec.default_api_base);
    }
    if (auto v = r.boolean("insecureSkipTlsVerifyForLoopbackTests")) {
        p.insecure_skip_tls_verify_for_loopback_tests = *v;
        if (*v && !p.api_base.empty() && !is_loopback_url(p.api_base))
            ctx.error(r.path_of("insecureSkipTlsVerifyForLoopbackTests"),
                      "only allowed for an apiBase on 127.0.0.1, ::1 or localhost",
                      "remove it; TLS verification protects credentials on real networks");
    }
    return p;
}

PermanentFailureConfig read_permanent(Context& ctx, const Node& node, const std::string& path,
                                      PermanentFailureConfig pf) {
    ObjectReader r(ctx, node, path,
                   {"enabled", "timeoutMultiplier", "baseTimeoutMs", "maxBackoffMultiplier", "errorPatterns"});
    if (auto v = r.boolean("enabled")) pf.enabled = *v;
    if (auto v = r.number("timeoutMultiplier", 1, 20)) pf.timeout_multiplier = *v;
    if (auto v = r.millis("baseTimeoutMs", 60'000, 30 * kDayMs)) pf.base_timeout = *v;
    if (auto v = r.integer("maxBackoffMultiplier", 1, 10)) pf.max_backoff_multiplier = static_cast<int>(*v);
    if (auto patterns = r.string_list("errorPatterns")) {
        pf.error_patterns.clear();
        for (std::size_t i = 0; i < patterns->size(); ++i) {
            const std::string& pattern = (*patterns)[i];
            if (std::string reason = regex_error(pattern); !reason.empty())
                ctx.error(index_path(r.path_of("errorPatterns"), i),
                          fmt::format("invalid regular expression: {}", reason),
                          "patterns use RE2 syntax and match case-insensitively");
            else
                pf.error_patterns.push_back(pattern);
        }
    }
    return pf;
}

CircuitBreakerConfig read_breaker(Context& ctx, const Node& node, const std::string& path,
                                  const PermanentFailureConfig& permanent_defaults) {
    CircuitBreakerConfig cb;
    cb.permanent = permanent_defaults;
    ObjectReader r(ctx, node, path,
                   {"enabled", "failureThreshold", "resetTimeout", "monitoringWindow", "minRequestsThreshold",
                    "errorThresholdPercentage", "halfOpenMaxProbes", "permanentFailureHandling"});
    if (auto v = r.boolean("enabled")) cb.enabled = *v;
    if (auto v = r.integer("failureThreshold", 1, 1000)) cb.failure_threshold = static_cast<int>(*v);
    if (auto v = r.millis("resetTimeout", 1, kDayMs)) cb.reset_timeout = *v;
    if (auto v = r.millis("monitoringWindow", 1000, kDayMs)) cb.monitoring_window = *v;
    if (auto v = r.integer("minRequestsThreshold", 1, 1'000'000)) cb.min_requests_threshold = static_cast<int>(*v);
    if (auto v = r.number("errorThresholdPercentage", 1, 100)) cb.error_threshold_percentage = *v;
    if (auto v = r.integer("halfOpenMaxProbes", 1, 100)) cb.half_open_max_probes = static_cast<int>(*v);
    if (const Node* pf = r.get("permanentFailureHandling"))
        cb.permanent = read_permanent(ctx, *pf, r.path_of("permanentFailureHandling"), permanent_defaults);
    return cb;
}

HealthThresholds read_health(Context& ctx, const Node& node, const std::string& path) {
    HealthThresholds h;
    ObjectReader r(ctx, node, path, {"errorRate", "responseTime", "consecutiveFailures", "minHealthyProviders"});
    if (auto v = r.number("errorRate", 0, 100)) h.error_rate = *v;
    if (auto v = r.millis("responseTime", 1, kDayMs)) h.response_time = *v;
    if (auto v = r.integer("consecutiveFailures", 1, 1000)) h.consecutive_failures = static_cast<int>(*v);
    if (auto v = r.integer("minHealthyProviders", 0, 1000)) h.min_healthy_providers = static_cast<int>(*v);
    return h;
}

WeightedRouting read_weighted(Context& ctx, const Node& node, const std::string& path) {
    WeightedRouting w;
    ObjectReader r(ctx, node, path, {"autoAdjust", "minWeight", "maxWeight"});
    if (auto v = r.boolean("autoAdjust")) w.auto_adjust = *v;
    if (auto v = r.number("minWeight", 0, 1'000'000)) w.min_weight = *v;
    if (auto v = r.number("maxWeight", 0, 1'000'000)) w.max_weight = *v;
    if (w.min_weight > w.max_weight)
        ctx.error(r.path_of("maxWeight"), fmt::format("must be at least minWeight ({}), got {}", w.min_weight,
                                                      w.max_weight));
    return w;
}

CostOptimization read_cost(Context& ctx, const Node& node, const std::string& path) {
    CostOptimization c;
    ObjectReader r(ctx, node, path, {"maxCostPerToken", "prioritizeCost"});
    if (auto v = r.number("maxCostPerToken", 0, 1)) c.max_cost_per_token = *v;
    if (auto v = r.boolean("prioritizeCost")) c.prioritize_cost = *v;
    return c;
}

PoolConfig read_pool(Context& ctx, const Node& node, const std::string& path,
                     const PermanentFailureConfig& permanent_defaults) {
    PoolConfig pool;
    pool.circuit_breaker.permanent = permanent_defaults;
    ObjectReader r(ctx, node, path,
                   {"id", "name", "providers", "fallbackPoolIds", "routingStrategy", "circuitBreaker",
                    "healthThresholds", "weightedRouting", "costOptimization"});
    if (!r.valid()) return pool;
    if (auto v = r.string("id", true)) pool.id = *v;
    if (auto v = r.string("name")) pool.name = *v;
    if (auto v = r.string_list("fallbackPoolIds")) pool.fallback_pool_ids = std::move(*v);
    if (auto v = r.choice("routingStrategy", kStrategyNames)) pool.strategy = static_cast<Strategy>(*v);
    if (const Node* n = r.get("circuitBreaker"))
        pool.circuit_breaker = read_breaker(ctx, *n, r.path_of("circuitBreaker"), permanent_defaults);
    if (const Node* n = r.get("healthThresholds")) pool.health = read_health(ctx, *n, r.path_of("healthThresholds"));
    if (const Node* n = r.get("weightedRouting")) pool.weighted_routing = read_weighted(ctx, *n, r.path_of("weightedRouting"));
    if (const Node* n = r.get("costOptimization")) pool.cost_optimization = read_cost(ctx, *n, r.path_of("costOptimization"));

    const Node* providers = r.get("providers");
    const std::string providers_path = r.path_of("providers");
    if (!providers) {
        r.require("providers");
    } else if (!providers->is_array()) {
        ctx.error(providers_path, fmt::format("expected an array of providers, got {}", describe(providers->kind)));
    } else if (providers->items.empty()) {
        ctx.error(providers_path, "a pool needs at least one provider");
    } else {
        for (std::size_t i = 0; i < providers->items.size(); ++i)
            pool.providers.push_back(read_provider(ctx, providers->items[i], index_path(providers_path, i)));
    }
    return pool;
}

}  // namespace

void read_pools(Context& ctx, const Node& node, Config& config) {
    if (!node.is_array()) {
        ctx.error("pools", fmt::format("expected an array of pools, got {}", describe(node.kind)));
        return;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
        config.pools.push_back(read_pool(ctx, node.items[i], index_path("pools", i), ctx.permanent_defaults));
        ctx.pool_paths.push_back(index_path("pools", i));
    }
}

}  // namespace sw::config
