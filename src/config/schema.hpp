// schema.hpp — the machinery every config section is read with: paths, diagnostics and typed
// reads with bounds, environment expansion and unknown-key warnings.
#pragma once

#include "common/text.hpp"

#include "config/document.hpp"

#include <switch/config.hpp>
#include <switch/config_loader.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sw::config {

// Collects the diagnostics of one load.
class Context {
public:
    explicit Context(const LoadOptions& options) : env(options.env) {}

    void error(std::string path, std::string message, std::string suggestion = {});
    void warning(std::string path, std::string message, std::string suggestion = {});
    bool has_errors() const;

    EnvLookup env;
    std::vector<Diagnostic> diagnostics;
    // Built-in defaults overridden by PERMANENT_FAILURE_*; every pool starts from these.
    PermanentFailureConfig permanent_defaults;
    // Where each item of Config::pools / credential_stores / models was read from, in the same
    // order, so that checks across sections can point at the right place.
    std::vector<std::string> pool_paths, store_paths, model_paths, budget_paths;
    // What the cache section and CACHE_BACKEND said, for finish_cache, which runs once the
    // top-level `redis` section (read after `cache`) is known too.
    struct CacheReading {
        std::string backend_path;  // where the backend was last chosen: "env:CACHE_BACKEND" or "cache.backend"
        std::string redis_path;    // "cache.redis" when the subsection is present
        std::optional<Secret> url;  // cache.redis.url, when given and not empty
        std::optional<int> pool_size;
        bool url_reported = false;  // cache.redis.url was wrong, and said so: no second error for it
    } cache_reading;
};

// `parent.key`, or `parent["key"]` when the key is not a plain identifier.
std::string child_path(std::string_view parent, std::string_view key);
// `parent[i]`.
std::string index_path(std::string_view parent, std::size_t i);

// `did you mean "x"?` for the candidate closest to a misspelt `word`; "" when none is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

// A string value at `path` after ${VAR} expansion, or nullopt after reporting why not. The
// value is never echoed: it may be a secret.
std::optional<std::string> read_string(Context& ctx, const Node& value, const std::string& path);

// Reads one object. Every key the section understands is declared up front; finish() (or the
// destructor) reports the other keys as unknown, each with a "did you mean" suggestion.
class ObjectReader {
public:
    ObjectReader(Context& ctx, const Node& node, std::string path,
                 std::vector<std::string_view> known);
    ~ObjectReader() { finish(); }
    ObjectReader(const ObjectReader&) = delete;
    ObjectReader& operator=(const ObjectReader&) = delete;

    // False when the node was not an object (already reported).
    bool valid() const { return node_ != nullptr; }
    const std::string& path() const { return path_; }
    std::string path_of(std::string_view key) const { return child_path(path_, key); }
    const Node* get(std::string_view key) const;
    bool has(std::string_view key) const { return get(key) != nullptr; }

    // Each read returns nullopt when the key is absent or its value is wrong; a wrong value is
    // reported, and a missing one too when `required`.
    std::optional<std::string> string(std::string_view key, bool required = false);
    std::optional<Secret> secret(std::string_view key, bool required = false);
    std::optional<bool> boolean(std::string_view key);
    std::optional<double> number(std::string_view key, double min, double max);
    std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
    std::optional<Millis> millis(std::string_view key, std::int64_t min, std::int64_t max);
    // One of `names`, with a suggestion when the value is close to one of them.
    std::optional<std::size_t> choice(std::string_view key, const std::vector<std::string_view>& names,
                                      bool required = false);
    // A list of strings.
    std::optional<std::vector<std::string>> string_list(std::string_view key);
    // An object of arbitrary JSON values, kept as JsonMembers.
    std::optional<std::vector<JsonMember>> json_members(std::string_view key);

    void require(std::string_view key);
    void finish();

private:
    // A numeric value, from a number or from a string that expands to one.
    std::optional<double> numeric(std::string_view key, const Node& value);

    Context& ctx_;
    const Node* node_ = nullptr;
    std::string path_;
    std::vector<std::string_view> known_;
    bool finished_ = false;
};

// Sections, each in its own file.
void read_credential_stores(Context& ctx, const Node& node, Config& config);
void read_pools(Context& ctx, const Node& node, Config& config);
// The permanent-failure defaults every pool starts from: built-in, then PERMANENT_FAILURE_*.
PermanentFailureConfig permanent_failure_defaults(Context& ctx);
// `models`: Switch's virtual models and ModelMuxer's pricing catalog share this key.
void read_models(Context& ctx, const Node& node, Config& config);
void read_routing_preferences(Context& ctx, const Node& node, Config& config);
void read_muxer_routing(Context& ctx, const Node& node, Config& config);
void read_monitoring(Context& ctx, const Node& node, Config& config);
// Why `path` cannot be where the metrics are served (it must be a path such as /metrics), or
// nullopt when it can.
std::optional<std::string> metrics_path_error(std::string_view path);
// `database`: the usage ledger's URL (docs/ledger.md).
void read_database(Context& ctx, const Node& node, Config& config);
// "" when `url` is empty or a URL the ledger can open; otherwise the reason.
std::string database_url_error(std::string_view url);
// `cache`: the response cache (docs/cache.md), and its bounds, shared with CACHE_*.
void read_cache(Context& ctx, const Node& node, Config& config);
// The backend `name` names, or nullopt with the reason in `why`.
std::optional<CacheBackend> parse_cache_backend(std::string_view name, std::string& why);
// After every section: the redis backend's server (cache.redis.url, else redis.url, and its
// password, pool size and timeout), or the error that it has none.
void finish_cache(Context& ctx, Config& config);
inline constexpr std::int64_t kMaxCacheTtlSeconds = 30LL * 24 * 3600;
inline constexpr std::int64_t kMaxCacheEntries = 100'000'000;
inline constexpr std::int64_t kMinCacheBytes = 1024;
inline constexpr std::int64_t kMaxCacheBytes = 1LL << 40;
// `budgets`: spending limits over calendar windows (docs/budgets.md).
void read_budgets(Context& ctx, const Node& node, Config& config);
// After every section: budget names are unique, and each `match` names a pool or model.
void check_budgets(Context& ctx, const Config& config);
// `redis`: the server processes share their state through (docs/scaling.md).
void read_redis(Context& ctx, const Node& node, Config& config);
// REDIS_URL, REDIS_PASSWORD, REDIS_POOL_SIZE and REDIS_SSL, before the section overrides them.
void read_redis_environment(Context& ctx, Config& config);
// ModelMuxer routes with routing_preferences without naming a model: its form gets a
// prompt-routed model "auto" (unless the config defines one, or no pool serves any target), on
// the routing_preferences; a label without preferences goes where "general" goes, or, without a
// "general" preference, where the first served label goes.
void add_muxer_auto_model(Context& ctx, Config& config);
void read_muxer_providers(Context& ctx, const Node& node, Config& config);
// Deadlines and routing thresholds from the environment.
void read_environment_defaults(Context& ctx, Config& config);
// Checks that span sections: references, duplicates, cycles, credential compatibility.
void cross_check(Context& ctx, Config& config);
// Rejects duplicate keys anywhere in the document.
void check_duplicate_keys(Context& ctx, const Node& node, const std::string& path, int depth = 0);
// hybrid, cascade, semantic or heuristic.
bool is_intelligence_strategy(std::string_view name);
// The labels the heuristic gives: code, complex, simple, general.
extern const std::vector<std::string_view> kHeuristicLabels;
// Validates a case-insensitive RE2 pattern; returns the reason or "".
std::string regex_error(const std::string& pattern);

// The whole document to a Config; problems go to ctx.
Config read_document(Context& ctx, const Node& root);

}  // namespace sw::config
