// router.hpp — routing real chat and embeddings requests (C++ API).
//
// A Router owns RouterOptions::io_threads I/O threads, each with its own curl multi handle (its
// own connections), and hands requests to them in turn; a request made from a callback stays on
// that callback's thread. Requests go in as OpenAI JSON from any
// thread and come back as OpenAI JSON with a trace. Thread-safe: every member may be called from
// any thread at once. A request's callbacks all run on the one I/O thread it was given, in order;
// callbacks of different requests may run at the same time on different I/O threads, so state
// they share needs a lock or atomics. Callbacks must not block.
#pragma once

#include <switch/clock.hpp>
#include <switch/config.hpp>
#include <switch/config_loader.hpp>
#include <switch/events.hpp>
#include <switch/outcome.hpp>
#include <switch/trace.hpp>
#include <switch/tracing.hpp>
#include <switch/switch.h>

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sw {

// An application's embedding model, for semantic and hybrid prompt routers whose config says
// "embedder": "callback" (docs/prompt-routing.md): text in, a vector out, the same length for
// every text. It embeds each route's utterances once when a router (or a reload) builds the
// model's prompt router, and each request's last user message on the thread that submits it,
// from several threads at once. Throw to report a failure: the request is then routed by the
// heuristic, and its trace says why.
using EmbedFunction = std::function<std::vector<float>(std::string_view text)>;

// A cascade judge's verdict on one answer: each from 0 to 1 (docs/prompt-routing.md).
struct JudgeScores {
    double quality = 0;
    double confidence = 0;
};
// An application's judge, for cascades configured with "judge": "callback": the request's last
// user message and a step's answer text in, scores out. Called on an I/O thread, once per step
// answered; it must return quickly and must not make a blocking router call. Throw to report a
// failure: the built-in scorers then judge, and the trace says so.
using JudgeFunction = std::function<JudgeScores(std::string_view prompt, std::string_view answer)>;

struct RouterOptions {
    std::shared_ptr<Clock> clock;    // default: SteadyClock
    std::shared_ptr<Random> random;  // default: SplitMixRandom(random_seed())
    EnvLookup env;                   // for credentials; default: the process environment
    Millis connect_timeout{10000};
    // A stream that sends nothing for this long is cut (and fails over if nothing was delivered).
    Millis stream_idle_timeout{30000};
    std::size_t max_response_bytes = 64u * 1024u * 1024u;
    // Hear every router event (events.hpp), in this order, after the router's metrics (counted
    // unless the config turns them off: docs/metrics.md). With neither, no event is built at all.
    std::vector<std::shared_ptr<RouterObserver>> observers;
    // Where the router's log lines go (log.hpp, docs/logging.md), at the config's level and in
    // its format. Empty: the router logs nothing.
    LogSink log_sink;
    // Where the router's spans go (tracing.hpp, docs/tracing.md): one per request and one per
    // attempt, unless the config's monitoring.tracing turns tracing off. Empty: no spans.
    SpanSink span_sink;
    // How many I/O threads, each with its own curl multi handle, connection pool and TLS
    // session cache. One thread caps a router at one core's worth of answers; more let answers
    // be read, parsed and delivered in parallel. 0: default_io_threads().
    std::size_t io_threads = 0;
    // The embedder of prompt routers configured with "embedder": "callback". Empty: such a
    // config is refused when the router is built.
    EmbedFunction embedder;
    // The judge of cascades configured with "judge": "callback". Empty: such a config is refused
    // when the router is built.
    JudgeFunction judge;

    // min(std::thread::hardware_concurrency(), 4), and at least 1: capped because a library
    // embedded in a host process should not claim every core by default. A process that does
    // nothing but route (a gateway) may set more.
    SW_API static std::size_t default_io_threads();
};

// One request's say over the response cache (docs/cache.md), when the config turns the cache
// on; ignored otherwise. switch-server fills it from the request's Cache-Control header.
struct CacheOptions {
    bool no_cache = false;  // do not answer from the cache; a fresh answer is still stored
    bool no_store = false;  // do not store this request's answer
    // This request's answer is kept this long instead of the config's default_ttl, and only an
    // answer stored at most this long ago may answer it (Cache-Control: max-age). 0: not stored.
    std::optional<std::chrono::seconds> ttl;
    // Whose answers this request may share. Empty: ChatOptions::client_id (so two API keys of
    // switch-server never see each other's answers; no client id: one shared partition).
    std::string partition;
};

struct ChatOptions {
    // Whole-request deadline; default: the config's deadlines (request or streaming).
    std::optional<Millis> deadline;
    // The most this request may cost, in USD: a provider whose estimated cost is higher, or
    // whose price is unknown, is not tried; when none is left the request fails with status 400
    // and says why (docs/prompt-routing.md, "Cost and budgets"). Default: no budget.
    std::optional<double> max_cost_usd;
    // Who asked, and the caller's name for this request (for example switch-server's
    // x-correlation-id and the API key's id): reported in the request's request_finished event,
    // for logs and the usage ledger, and never sent upstream. Empty: none.
    std::string correlation_id;
    std::string client_id;
    // The caller's W3C trace context, e.g. switch-server's incoming `traceparent` and
    // `tracestate` headers (docs/tracing.md): the request joins that trace, and its attempts pass
    // it on upstream. A malformed traceparent is ignored. Empty: none.
    std::string traceparent;
    std::string tracestate;
    CacheOptions cache;
};

// What kind of failure a response reports: decided once, here, and mapped by each binding to its
// own errors (Python's exception classes, the C ABI's result, the server's error bodies).
enum class FailureKind : std::uint8_t {
    none,                  // served
    cancelled,             // 499: cancelled, or the router shut down
    stream_interrupted,    // a stream broke after delivering content
    deadline_exceeded,     // 504
    context_window,        // the prompt is too long for the provider
    content_policy,        // the provider refused the content
    not_found,             // 404: no such model
    bad_request,           // the caller's error: malformed, invalid, or refused unsent
    rate_limited,          // 429: every provider was rate limited
    authentication,        // every provider failed, the last one on its credentials
    quota_exceeded,        // every provider failed, the last one on its quota or billing
    all_providers_failed,  // every provider failed otherwise
    other
};
SW_API std::string_view to_string(FailureKind kind) noexcept;

// The answer to one request.
struct ChatResponse {
    // 200 on success. Otherwise an HTTP-like status: 400 for a malformed request or a blocking
    // call from a callback, 404 for an unknown model, 429 when every provider is rate limited,
    // 499 when cancelled (error_class cancelled), 502 when every provider failed or a stream
    // broke after delivering content (trace.error tells which), 504 past the deadline, or the
    // provider's own 4xx for a caller error it rejected (content policy, context length).
    int status = 0;
    ErrorClass error_class = ErrorClass::success;
    std::string error;  // why it failed; never holds a secret
    // The serving provider's response in OpenAI form (non-streaming requests), verbatim when the
    // provider speaks OpenAI's protocol.
    std::string body;
    std::string text;           // choices[0].message.content, or the streamed deltas joined
    std::string finish_reason;  // of choice 0
    TokenUsage usage;           // of the serving attempt only
    std::optional<double> cost_usd;  // when the serving provider's price is known
    RouteResult trace;

    bool ok() const { return status == 200; }
    // {"provider","pool","used_fallback","attempts":[{"provider","pool","status","error_class",
    //  "latency_ms","backoff_ms"}]} — the `switch` object of switchctl's JSON.
    SW_API std::string trace_json() const;
    SW_API FailureKind failure_kind() const noexcept;
    // OpenAI's error shape, {"error":{"message","type","code","param":null}}: the message is
    // `error`, the type to_string(failure_kind()), the code the error class. Holds no secret.
    SW_API std::string error_json() const;
};

// One streamed chunk, an OpenAI `chat.completion.chunk` JSON object. A stream that breaks after
// content was delivered ends with one chunk of the form {"error":{"type":"stream_interrupted",...}}.
using ChunkCallback = std::function<void(std::string_view chunk_json)>;
using DoneCallback = std::function<void(ChatResponse)>;

class SW_API Router {
public:
    // Throws std::invalid_argument for a null config.
    explicit Router(std::shared_ptr<const Config> config, RouterOptions options = {});
    // Cancels what is still running; every done callback still runs, once.
    ~Router();
    Router(const Router&) = delete;
    Router& operator=(const Router&) = delete;

    // Blocking. Called from a callback of this router (on any of its I/O threads), where it could
    // wait for that very thread, each refuses at once without sending anything: status 400, error_class
    // invalid_request, trace.error RouteError::would_deadlock (the C ABI's SW_ERR_WOULD_DEADLOCK).
    ChatResponse chat(std::string_view request_json, const ChatOptions& options = {});
    ChatResponse chat_stream(std::string_view request_json, ChunkCallback on_chunk, const ChatOptions& options = {});
    ChatResponse embeddings(std::string_view request_json, const ChatOptions& options = {});

    // Non-blocking; `done` runs exactly once, on the I/O thread the request was given.
    RequestId chat_async(std::string_view request_json, DoneCallback done, const ChatOptions& options = {});
    std::future<ChatResponse> chat_async(std::string_view request_json, const ChatOptions& options = {});
    RequestId chat_stream_async(std::string_view request_json, ChunkCallback on_chunk, DoneCallback done,
                                const ChatOptions& options = {});
    RequestId embeddings_async(std::string_view request_json, DoneCallback done, const ChatOptions& options = {});

    // Stops a request at any point, mid-stream included; its done callback gets status 499.
    // Unknown or finished ids are ignored.
    void cancel(RequestId id);

    // Replaces the configuration. Requests submitted after reload() returns route on the new
    // one; requests already submitted finish on the one they started with, which stays alive
    // until the last of them ends. A provider that survives the reload (the same pool id and
    // provider name) keeps its breaker, failure streak, latency average, error window (when the
    // window's length is unchanged), 429 cooldown and rate-limit use (when the limit is
    // unchanged); a new or renamed one starts afresh; cached credentials are resolved again.
    // Status and reset_breaker() see the new state at once; reports from requests still
    // running on the old configuration land in the old state and are dropped with it. Throws
    // std::invalid_argument for a null config or one RouterCore rejects, leaving the current
    // configuration in place.
    void reload(std::shared_ptr<const Config> config);

    RouterStatus status() const;
    bool reset_breaker(std::string_view pool_id, std::string_view provider_name);
    // The current configuration. Shared, so that it stays valid across a concurrent reload().
    std::shared_ptr<const Config> config() const;
    // How many I/O threads this router runs: RouterOptions::io_threads, or its default.
    std::size_t io_threads() const;
    // The router's metrics since it was built (docs/metrics.md), in the Prometheus text format
    // (version 0.0.4), or as JSON ({"metrics":[...]}). Empty (and no metrics in the JSON) when
    // the config the router was built with turns them off (METRICS_ENABLED=false, or
    // monitoring.metrics.enabled: false). Thread-safe; a reload keeps them, and cannot turn
    // them on or off.
    std::string metrics_text() const;
    std::string metrics_json() const;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace sw
