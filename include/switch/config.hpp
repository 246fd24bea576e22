// config.hpp — the typed, immutable libswitch configuration (C++ API).
//
// A Config is produced by the loader (switch/config_loader.hpp) from JSON or YAML, with every
// default and bound of docs/config-reference.md already applied, so the rest of the library
// never re-checks or re-defaults a field. It is shared as std::shared_ptr<const Config>.
#pragma once

#include <switch/log.hpp>
#include <switch/secret.hpp>
#include <switch/switch.h>

#include <chrono>
#include <cstdint>
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sw {

using Millis = std::chrono::milliseconds;

// A JSON object member kept as its key and its compact JSON text, so adapters can splice
// parameters into a request body without re-encoding them.
struct JsonMember {
    std::string key;
    std::string json;  // compact JSON value, e.g. `0.7`, `"auto"`, `{"a":1}`
};

// ---- Credential stores ---------------------------------------------------------------------

enum class CredentialType { simple, aws, google, azure, oauth };
enum class CredentialSource { env, file, vault, aws_secrets, inline_value };

// Where one value comes from. Exactly one of the three is set after validation, unless the
// value is optional and absent.
struct ValueRef {
    std::string env_var;  // read from this environment variable at resolution time
    std::string file;     // read from this file at resolution time
    Secret inline_value;  // given in the config itself (after ${VAR} expansion)
    bool empty() const { return env_var.empty() && file.empty() && inline_value.empty(); }
};

struct SimpleCredentials {
    ValueRef api_key;
};
struct AwsCredentials {
    ValueRef region;
    ValueRef access_key_id;
    ValueRef secret_access_key;
    ValueRef session_token;  // optional
    bool use_instance_profile = false;
};
struct GoogleCredentials {
    ValueRef project_id;
    ValueRef service_account_key;  // the service-account JSON document
    ValueRef location;             // Vertex AI region, optional
    std::string token_uri;         // overrides the document's token_uri, optional
};
struct AzureCredentials {
    ValueRef api_key;
};
struct OAuthCredentials {
    std::string token_url;
    ValueRef client_id;
    ValueRef client_secret;
    std::string scope;     // optional
    std::string audience;  // optional
};
// For the vault and aws-secrets sources: where the store's one value (the API key of a simple
// or azure store) is fetched from, over the router's own I/O threads (docs/credentials.md).
struct ExternalSecretRef {
    std::string path;  // vault: secret path (KV v2); aws-secrets: secret id (name or ARN)
    std::string key;   // field inside the secret; optional
    // vault. Empty strings fall back to VAULT_ADDR, VAULT_NAMESPACE and VAULT_CACERT.
    std::string mount;      // the KV v2 mount, when `path` is relative to it
    std::string address;    // http(s)://host:port
    std::string vault_namespace;
    std::string ca_file;    // PEM bundle the server's certificate is verified with
    ValueRef role_id, secret_id;    // AppRole login, instead of VAULT_TOKEN, when set
    std::string approle_mount = "approle";
    // aws-secrets. Empty: AWS_REGION / AWS_DEFAULT_REGION, and the regional endpoint.
    std::string region;
    std::string endpoint;   // e.g. a VPC endpoint, or a loopback test server
};

struct CredentialStoreConfig {
    std::string name;
    CredentialType type = CredentialType::simple;
    CredentialSource source = CredentialSource::env;
    std::chrono::seconds cache_ttl{3600};
    std::variant<SimpleCredentials, AwsCredentials, GoogleCredentials, AzureCredentials,
                 OAuthCredentials>
        details;
    ExternalSecretRef external;  // set for vault and aws-secrets sources
};

// ---- Providers and pools -------------------------------------------------------------------

enum class Strategy { fastest_response, weighted, cost_optimized, round_robin, least_connections };

// USD per 1,000 tokens, as ModelMuxer's models.yaml gives it.
struct Pricing {
    double input_per_1k = 0;
    double output_per_1k = 0;
};

struct RateLimits {
    std::optional<std::uint32_t> requests_per_minute;
    std::optional<std::uint64_t> tokens_per_minute;
};

struct ProviderConfig {
    std::string name;
    // The config's `provider` value ("openai", "anthropic", "azure", ...): the name of a spec in
    // the provider registry, which gives its protocol and defaults (docs/providers/README.md).
    std::string type = "openai";
    std::string credentials_ref;  // empty: no credentials (e.g. a local server)
    std::string api_base;
    std::string model_name;
    int priority = 1;   // 1..10, 1 is tried first
    double weight = 1;  // >= 0; 0 means standby
    std::vector<std::pair<std::string, std::string>> headers;
    // The protocol version: Azure's api-version query, Anthropic's anthropic-version header.
    // The loader fills the type's default; empty for types without one.
    std::string api_version;
    Millis timeout{30000};
    int max_retries = 3;  // 0..10
    Millis retry_delay{1000};
    RateLimits rate_limits;
    std::vector<JsonMember> provider_params;
    // Cost per token, if known: `costPerToken` (applied to input and output alike) or the
    // pricing catalog entry for (provider, modelName). Both empty means unknown cost.
    std::optional<double> cost_per_token;
    std::optional<Pricing> pricing;
    // Only for loopback test servers: skip TLS verification. Named so that nobody sets it by
    // accident; the loader rejects it for any host other than 127.0.0.1, ::1 or localhost.
    bool insecure_skip_tls_verify_for_loopback_tests = false;
};

struct PermanentFailureConfig {
    bool enabled = false;
    double timeout_multiplier = 5;  // 1..20
    Millis base_timeout{300000};    // >= 60000
    int max_backoff_multiplier = 4;  // 1..10
    std::vector<std::string> error_patterns;  // case-insensitive RE2 syntax, already validated
};

struct CircuitBreakerConfig {
    bool enabled = true;
    int failure_threshold = 5;
    Millis reset_timeout{60000};
    Millis monitoring_window{300000};
    int min_requests_threshold = 10;
    double error_threshold_percentage = 50;
    int half_open_max_probes = 1;  // libswitch extension: probes admitted while half-open
    PermanentFailureConfig permanent;
};

struct HealthThresholds {
    double error_rate = 20;  // percent, within the breaker's monitoring window
    Millis response_time{30000};
    int consecutive_failures = 3;
    int min_healthy_providers = 1;
};

struct WeightedRouting {
    bool auto_adjust = false;
    double min_weight = 1;
    double max_weight = 100;
};

struct CostOptimization {
    std::optional<double> max_cost_per_token;
    bool prioritize_cost = false;
};

struct PoolConfig {
    std::string id;
    std::string name;
    std::vector<ProviderConfig> providers;
    std::vector<std::string> fallback_pool_ids;
    Strategy strategy = Strategy::fastest_response;
    CircuitBreakerConfig circuit_breaker;
    HealthThresholds health;
    WeightedRouting weighted_routing;
    CostOptimization cost_optimization;
};

// A routing_preferences target: a pool, or a provider and model.
struct RoutingTarget {
    std::string pool;
    std::string provider;
    std::string model;
};

struct RoutingPreference {
    std::string label;  // code, simple, complex, general, or a user label
    std::vector<RoutingTarget> targets;
};

// A label of the user's own: a request whose last user message matches at least `min_matches`
// of `patterns` (RE2, case-insensitive) gets it, before the heuristic's own labels are considered.
struct UserLabel {
    std::string name;
    std::vector<std::string> patterns;
    int min_matches = 1;
};

// A model that routes by its prompt (docs/prompt-routing.md): a prompt router labels each
// request, and the label's first target that a pool serves takes it, through that pool's
// breakers, retries and fallback chain.
// A semantic router's route: a request whose embedding's cosine similarity with the centroid of
// the utterances' embeddings reaches `threshold` may get `label`.
struct SemanticRoute {
    std::string label;
    std::vector<std::string> utterances;
    std::optional<double> threshold;  // default: IntelligenceConfig::similarity_threshold
};

struct SemanticRouterConfig {
    std::string embedder = "builtin";  // builtin, callback (RouterOptions::embedder), file or pool
    // The file embedder's model (safetensors) and tokenizer (tokenizer.json), absolute: from the
    // keys `model` and `tokenizer`, else SWITCH_EMBEDDING_MODEL and SWITCH_EMBEDDING_TOKENIZER; a
    // relative path is taken from the working directory when the config loads.
    std::string model_file;
    std::string tokenizer_file;
    // The pool embedder's pool (key `pool`): an OpenAI-compatible embeddings pool that each
    // request's last user message is embedded through, by this router, before it is routed.
    std::string pool;
    // Routes of the user's own. They are added to the shipped routes for code, complex, simple and
    // general (docs/prompt-routing.md), and one with a shipped route's label replaces it.
    std::vector<SemanticRoute> routes;
    bool default_routes = true;  // false: only `routes`
};

// How much each router's vote counts in a hybrid decision (docs/prompt-routing.md).
struct HybridWeights {
    double heuristic = 0.5;
    double semantic = 0.5;
};

// A cascade (docs/prompt-routing.md): its steps are tried cheapest first, and the first answer
// whose quality and confidence reach the thresholds is the one returned.
struct CascadeConfig {
    // Empty: every pool the router's routes (or routing_preferences) name, once each.
    std::vector<RoutingTarget> steps;
    std::string judge = "builtin";  // builtin, or callback (RouterOptions::judge)
    // Unset: CASCADE_QUALITY_THRESHOLD, CASCADE_CONFIDENCE_THRESHOLD and CASCADE_MAX_BUDGET.
    std::optional<double> quality_threshold;
    std::optional<double> confidence_threshold;
    std::optional<double> max_budget;  // USD, for all of a request's steps together
};

struct PromptRouterConfig {
    std::string strategy = "heuristic";  // heuristic, semantic, hybrid or cascade
    std::string rules = "standard";      // the heuristic's rule set: standard or modelmuxer
    SemanticRouterConfig semantic;       // read by the semantic and hybrid strategies
    HybridWeights hybrid;
    CascadeConfig cascade;               // read by the cascade strategy
    // Labels of the user's own, tried in order before the heuristic's.
    std::vector<UserLabel> labels;
    // Targets by label. Empty: the config's routing_preferences.
    std::vector<RoutingPreference> routes;
    // A label without a usable target goes where this label goes (and then to primaryPoolId).
    std::string default_label = "general";
};

struct ModelConfig {
    std::string name;
    // The pool the model's requests start in; for a prompt-routed model, where a request goes
    // when neither its label nor the default label has a usable target (may then be empty).
    std::string primary_pool_id;
    // Request defaults, lowest precedence. Known camelCase names are normalised to the OpenAI
    // wire names (maxTokens -> max_tokens).
    std::vector<JsonMember> default_parameters;
    std::optional<PromptRouterConfig> router;  // set: the model routes by prompt
};

// ---- ModelMuxer sections ---------------------------------------------------------------------

// One entry of the pricing catalog (ModelMuxer's models.yaml `models.<provider>.<model>`).
struct CatalogModel {
    std::string provider;  // the catalog's provider key, e.g. "openai"
    std::string model;
    Pricing pricing;
    std::optional<int> max_tokens;
    std::optional<double> temperature;
};

// The thresholds of the routing intelligence (ModelMuxer's `routing:` section and environment).
struct IntelligenceConfig {
    std::string default_strategy = "hybrid";  // hybrid, cascade, semantic, heuristic
    bool cascade_enabled = true;
    double cascade_quality_threshold = 0.7;
    double cascade_confidence_threshold = 0.7;
    double cascade_max_budget = 0.1;  // USD
    bool semantic_enabled = true;
    std::string semantic_model = "all-MiniLM-L6-v2";
    double similarity_threshold = 0.7;
    bool cache_embeddings = true;
    bool heuristic_enabled = true;
    std::string heuristic_rules = "standard";  // libswitch's: standard, or modelmuxer
    double code_detection_threshold = 0.2;
    double complexity_threshold = 0.2;
    double simple_query_threshold = 0.3;
    int simple_query_max_length = 100;
};

// Whole-request deadlines, from DEFAULT_TIMEOUT_MS, STREAMING_TIMEOUT_MS and MAX_TIMEOUT_MS.
struct Deadlines {
    Millis request{60000};
    Millis streaming{600000};
    Millis max{300000};  // caps both of the above

    // A request's whole deadline: `asked` (ChatOptions::deadline), else the default for a stream
    // or not; capped at `max` when that is positive.
    Millis whole(bool stream, std::optional<Millis> asked) const {
        const Millis limit = asked.value_or(stream ? streaming : request);
        return max.count() > 0 ? std::min(limit, max) : limit;
    }
};

// A router's log lines (docs/logging.md): ModelMuxer's `monitoring.logging`, LOG_LEVEL,
// LOG_FORMAT, ENABLE_CORRELATION_ID and ENABLE_REQUEST_LOGGING. Written only to a sink the
// application sets (log.hpp).
struct LoggingConfig {
    LogLevel level = LogLevel::info;  // lines below it are not written
    LogFormat format = LogFormat::json;
    bool correlation_id = true;  // request lines carry the request's correlation id
    bool requests = true;        // a line per request (breakers and reloads are logged either way)
};

// Trace context and spans (docs/tracing.md): ModelMuxer's `monitoring.tracing` and
// TRACING_ENABLED.
struct TracingConfig {
    // Requests join their caller's trace (ChatOptions::traceparent), and with a span sink the
    // router records spans. Off: no request is in a trace, and nothing is sent upstream. Read
    // when a router is built.
    bool enabled = true;
    // Each attempt sends `traceparent` (and the caller's `tracestate`) upstream. Read per
    // request, so a reload changes it.
    bool propagate = true;
};

// What a router reports about itself (docs/metrics.md, docs/logging.md, docs/tracing.md):
// ModelMuxer's `monitoring` section, MONITORING_ENABLED, METRICS_ENABLED and TRACING_ENABLED.
// Read when a router is built.
struct MonitoringConfig {
    bool metrics = true;  // count metrics (Router::metrics_text())
    // Where switch-server serves them (PROMETHEUS_PATH, PROMETHEUS_PORT; metrics.prometheus_path
    // and prometheus_port): the library itself serves nothing. Port 0: the gateway's own port.
    std::string metrics_path = "/metrics";
    std::uint16_t metrics_port = 0;
    LoggingConfig logging;
    TracingConfig tracing;
};

// The usage ledger (docs/ledger.md): ModelMuxer's `database` section and DATABASE_URL.
struct DatabaseConfig {
    // sqlite:///ABS/PATH, sqlite://REL/PATH or postgresql://... (postgres://); empty: no ledger.
    // A Secret: a PostgreSQL URL may hold a password. Read when a router is built.
    Secret url;
};

// The response cache (docs/cache.md): ModelMuxer's `cache` section and CACHE_ENABLED,
// CACHE_BACKEND, CACHE_DEFAULT_TTL, CACHE_MAX_SIZE, CACHE_MAX_BYTES. Off unless turned on: a
// library must not answer from memory behind its application's back. Read when a router is built.
enum class CacheBackend : std::uint8_t {
    memory,  // one cache per router, in its process
    redis,   // one cache shared by every process that names the same server
};

// The redis backend's server: the guide's `cache.redis` {url, pool_size}, resolved by the loader
// so that a router needs nothing else. Its pool is the cache's own, apart from the shared state's.
struct CacheRedisConfig {
    // cache.redis.url when given (with its own password); otherwise the top-level redis.url
    // (REDIS_URL). Never empty with the redis backend: the loader refuses that. A Secret: it may
    // hold a password.
    Secret url;
    // When set, replaces the URL's password: the top-level redis.password (REDIS_PASSWORD) when
    // the URL is the top-level one; empty for a cache.redis.url of its own.
    Secret password;
    int pool_size = 10;     // cache.redis.pool_size, else redis.pool_size (REDIS_POOL_SIZE)
    Millis timeout{100};    // redis.timeout_ms: past it a lookup is a miss
};

struct CacheConfig {
    bool enabled = false;
    CacheBackend backend = CacheBackend::memory;  // the guide's CACHE_BACKEND
    std::chrono::seconds default_ttl{3600};  // the guide's CACHE_DEFAULT_TTL
    std::size_t max_entries = 10000;          // the guide's CACHE_MAX_SIZE counts answers (memory only)
    // The memory backend's bound on all it holds; the redis backend's on one answer.
    std::size_t max_bytes = 64u * 1024u * 1024u;
    CacheRedisConfig redis;  // read by the redis backend only
};

// Shared state across processes (docs/scaling.md): the top-level `redis` section, and
// REDIS_URL, REDIS_PASSWORD and REDIS_POOL_SIZE from the ModelMuxer guide. Keys override the
// environment.
struct RedisConfig {
    // redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]; empty: each process keeps its state to itself.
    // A Secret: it may hold a password.
    Secret url;
    // REDIS_PASSWORD or `redis.password`: when set, replaces the URL's password.
    Secret password;
    // Connections in all, spread over the router's I/O threads; never more are opened.
    int pool_size = 10;
    // The longest wait for one answer; past it the process uses its local state for that
    // decision. Loopback and same-zone round trips take well under a millisecond.
    Millis timeout{100};
    // How often a process reads the breakers other processes share: an open anywhere is seen
    // everywhere within sync_interval + timeout.
    Millis sync_interval{250};
};

// ---- Budgets ---------------------------------------------------------------------------------------

// Whose spending a budget counts (docs/budgets.md): each API key's (ChatOptions::client_id; a
// request without one counts as the client ""), each requested model's, each pool's, or the
// router's as a whole.
enum class BudgetScope { client, model, pool, all };
// A calendar window in UTC: a budget's spending starts again from 0 at each one's start.
enum class BudgetWindow { minute, hour, day, month };

// One entry of the top-level `budgets` list: at most `limit_usd` spent per `window` by each
// value of `per` (or by `match` alone, when given). Each attempt reserves its worst case first
// and is reconciled to its real cost when it ends, so concurrent requests never spend more
// together; with `redis.url`, every process shares the one count.
struct BudgetConfig {
    std::string name;  // unique; names the budget in messages, traces and Redis keys
    BudgetScope per = BudgetScope::all;
    std::string match;  // empty: every value of `per` has a budget of its own
    BudgetWindow window = BudgetWindow::day;
    double limit_usd = 0;  // > 0
};

// ---- The whole configuration -------------------------------------------------------------------

struct Config {
    std::vector<CredentialStoreConfig> credential_stores;
    std::vector<PoolConfig> pools;
    std::vector<ModelConfig> models;
    std::vector<CatalogModel> catalog;
    std::vector<RoutingPreference> routing_preferences;
    IntelligenceConfig intelligence;
    Deadlines deadlines;
    MonitoringConfig monitoring;
    DatabaseConfig database;
    CacheConfig cache;
    RedisConfig redis;
    std::vector<BudgetConfig> budgets;

    SW_API const PoolConfig* find_pool(std::string_view id) const;
    SW_API const ModelConfig* find_model(std::string_view name) const;
    SW_API const CredentialStoreConfig* find_credential_store(std::string_view name) const;
    SW_API const CatalogModel* find_catalog_model(std::string_view provider,
                                                  std::string_view model) const;
    // The pool a routing target sends to: the pool it names; for a provider and model, the
    // pool "<provider>/<model>" (ModelMuxer's providers form), else the first pool with a
    // provider of that type serving that model. Null when no pool serves it.
    SW_API const PoolConfig* find_target_pool(const RoutingTarget& target) const;
    // A cascade's steps as pools, in the order configured (not yet by price): its `steps`, or
    // else every pool its routes (or routing_preferences) send to, once each. A step no pool
    // serves is left out.
    SW_API std::vector<const PoolConfig*> cascade_pools(const PromptRouterConfig& router) const;
    SW_API std::size_t provider_count() const;
};

// Names as they are written in the config, for messages and round-tripping.
SW_API std::string_view to_string(Strategy strategy);
SW_API std::string_view to_string(CredentialType type);
SW_API std::string_view to_string(CredentialSource source);
SW_API std::string_view to_string(BudgetScope scope);
SW_API std::string_view to_string(BudgetWindow window);

}  // namespace sw
