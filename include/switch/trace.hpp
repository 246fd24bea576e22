// trace.hpp — what a request and a router report (C++ API, stable): a request's trace
// (RouteResult, one AttemptRecord per attempt), why a request stopped (RouteError), and the
// status snapshot of every pool and provider.
#pragma once

#include <switch/clock.hpp>
#include <switch/config.hpp>
#include <switch/outcome.hpp>
#include <switch/switch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sw {

enum class BreakerState : std::uint8_t { closed, open, half_open };
SW_API std::string_view to_string(BreakerState s) noexcept;

// The error code of an attempt not sent because a budget had no room for it (docs/budgets.md):
// status 429, class rate_limited, and nothing counted against the provider.
inline constexpr std::string_view kBudgetExceeded = "budget_exceeded";

// One attempt in the trace. Holds no header value, credential or provider message: provider
// messages can echo keys (e.g. "Incorrect API key provided: sk-...").
struct AttemptRecord {
    std::string pool_id;
    std::string provider;
    int http_status = 0;
    TransportError transport = TransportError::none;
    ErrorClass error_class = ErrorClass::success;
    // The provider's error code or type, e.g. "insufficient_quota"; or libswitch's for an
    // attempt it decided itself, such as kBudgetExceeded.
    std::string error_code;
    // When it was sent, on the router's clock, and how long its exchange took (0 for an attempt
    // libswitch failed before any network call, such as one without credentials).
    TimePoint started{};
    Nanos latency{0};
    Millis backoff_waited{0};  // time spent waiting right before this attempt
    // USD for the tokens the provider reported for this attempt (0 for one that reported none);
    // empty when the provider's price is unknown.
    std::optional<double> cost_usd;
};

enum class RouteError : std::uint8_t {
    none,
    unknown_model,       // no such model (or pool)
    exhausted,           // every candidate failed or none was eligible
    deadline_exceeded,   // the whole-request deadline ran out
    rejected,            // the caller's error: invalid request, context window, content policy
    stream_interrupted,  // a failure after content reached the caller
    attempts_exceeded,   // RequestOptions::max_attempts reached
    cancelled,           // the caller cancelled, or the router shut down
    would_deadlock       // a blocking Router call from a Router callback, refused unsent
};
SW_API std::string_view to_string(RouteError e) noexcept;

// One label's score against its threshold in a prompt router's decision, and the names of the
// signals that made it (never the prompt's text).
struct RouteScore {
    std::string label;
    double score = 0;
    double threshold = 0;
    std::vector<std::string> signals;
    // Which router scored it: "labels" (the model's own patterns: matches), "heuristic" (its
    // weighted signals) or "semantic" (cosine similarity with the route's centroid).
    std::string router;
};

// A router's vote in a hybrid decision: its label, how sure it was (0 to 1), and its weight.
struct RouteVote {
    std::string router;  // heuristic or semantic
    std::string label;   // empty: it abstained (or failed)
    double confidence = 0;
    double weight = 0;
};

// One step of a cascade: the pool asked, what it answered, and how the answer was judged.
struct CascadeStep {
    std::string pool;
    std::string provider;  // the provider that answered; empty when none did
    int status = 0;        // the step's status; 0 when it was skipped
    // The most the step could cost, checked against what the budget had left before it was sent.
    std::optional<double> estimated_cost_usd;
    std::optional<double> cost_usd;  // what its attempts cost, from the usage they reported
    std::optional<double> quality;   // the judge's scores of its answer
    std::optional<double> confidence;
    bool accepted = false;
    std::string note;  // why it was skipped, failed, escalated or accepted, and by which judge
};

// How a prompt-routed model chose where a request goes (docs/prompt-routing.md).
struct PromptRoute {
    std::string strategy;  // heuristic, semantic or hybrid
    std::string rules;     // the heuristic's rule set: "standard" or "modelmuxer"
    std::string embedder;  // semantic and hybrid: builtin or callback
    std::string label;     // the label the prompt got
    std::vector<RouteScore> scores;
    std::vector<RouteVote> votes;  // hybrid: each router's vote
    // Set when the configured router could not decide (its embedder failed) and the heuristic
    // decided instead: why.
    std::string fallback;
    // A cascade: its steps, cheapest first, each one asked, skipped or not reached; its budget
    // and what all its steps cost together (the response's cost_usd too).
    std::vector<CascadeStep> steps;
    std::optional<double> budget_usd;
    double spent_usd = 0;
    std::string target;    // the pool the request was sent to
    std::string reason;    // one line: why this label, and why this target
    // What the request would cost at the target pool's cheapest priced provider, for the
    // estimate a budget uses (docs/prompt-routing.md, "Cost and budgets"); empty when unpriced.
    std::optional<double> estimated_cost_usd;
    Nanos decision_time{0};
};

// The outcome of a whole request, with its trace.
struct RouteResult {
    bool ok = false;
    RouteError error = RouteError::none;
    ErrorClass error_class = ErrorClass::success;  // class of the last attempt
    // One clear message listing every attempt (empty on success). For a content-policy
    // rejection it carries the provider's reason.
    std::string message;
    std::string model;     // the requested (virtual) model or pool id
    std::string pool_id;   // the pool that served, if ok
    std::string provider;  // the provider that served, if ok
    bool used_fallback = false;  // served by a pool other than the primary
    std::vector<AttemptRecord> attempts;
    std::vector<std::string> skipped_pools;  // pools skipped for minHealthyProviders
    TokenUsage usage;  // of the serving attempt only
    std::optional<PromptRoute> route;  // set for a prompt-routed model
    // Answered from the response cache (docs/cache.md): no attempt was made, the usage is the
    // stored answer's, and the cost 0; pool_id and provider name who first served it.
    bool cache_hit = false;
};

// What the router itself added to a request that took `total`: `total` less its attempts'
// exchanges and the backoff waited before them (never below 0). The overhead histogram
// (docs/metrics.md) and switch-server's x-switch-overhead-us both report it.
SW_API Nanos router_overhead(const RouteResult& trace, Nanos total) noexcept;

// ---- Status snapshot -------------------------------------------------------------------------

struct ProviderStatus {
    std::string name;
    BreakerState breaker = BreakerState::closed;
    Millis open_remaining{0};      // until the breaker admits a probe; 0 unless open
    double error_rate = 0;         // percent of failures in the monitoring window
    std::uint32_t window_requests = 0;
    std::optional<Millis> ewma_latency;  // empty until measured
    int in_flight = 0;
    int consecutive_failures = 0;
    int permanent_trips = 0;        // since the last successful close
    Millis cooldown_remaining{0};   // 429 cooldown
    bool healthy = true;  // breaker admits traffic and every health threshold is met
    double effective_weight = 0;    // after autoAdjust
};

struct PoolStatus {
    std::string id;
    std::string name;
    Strategy strategy = Strategy::fastest_response;
    int healthy_providers = 0;
    int min_healthy_providers = 1;
    std::vector<ProviderStatus> providers;
};

struct RouterStatus {
    std::vector<PoolStatus> pools;
};

// The status as JSON, the shape sw_router_status_json documents: {"pools":[{"id","name",
// "strategy","healthy_providers","min_healthy_providers","providers":[{"name","breaker",
// "open_remaining_ms","error_rate","window_requests","ewma_latency_ms","in_flight",
// "consecutive_failures","permanent_trips","cooldown_remaining_ms","healthy",
// "effective_weight"}]}]}.
SW_API std::string to_json(const RouterStatus& status);

}  // namespace sw
