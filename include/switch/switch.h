/* switch.h — the flat C ABI of libswitch, an embeddable LLM routing library.
 *
 * Conventions (see docs/conventions.md):
 * - Names are sw_<object>_<verb>. Output parameters come first and are named `out`.
 * - Every function that can fail returns an sw_status; SW_OK is 0 and failures are stable
 *   negative numbers. A code, once published, keeps its number forever, even when retired.
 * - sw_last_error() returns the detail of the calling thread's last failure.
 * - Strings returned by the library are either borrowed (valid until the parent object is
 *   destroyed) or owned (release with sw_free). Every function says which.
 * - Handles are created by sw_<object>_create (or _load, _open) and released by
 *   sw_<object>_destroy(&handle), which accepts NULL and a NULL handle and sets it to NULL.
 * - No function throws or aborts on bad input; every pointer argument is checked.
 * - Callbacks run on one of the router's I/O threads (the same one for every callback of a
 *   request; those of different requests may run at the same time). They must return quickly,
 *   must not throw or longjmp, and must not make a blocking call (those return
 *   SW_ERR_WOULD_DEADLOCK there).
 *
 * This header is C99 and is compiled as such, with -Wall -Wextra -pedantic -Werror, by the
 * header test.
 */
#ifndef SWITCH_SWITCH_H
#define SWITCH_SWITCH_H

#include <stddef.h>
#include <stdint.h>

/* ---- Version ------------------------------------------------------------------------------ */

#define SW_VERSION_MAJOR 0
#define SW_VERSION_MINOR 1
#define SW_VERSION_PATCH 0
#define SW_VERSION_STRING "0.1.0"
/* One number that grows with every release: 0xMMmmpp. */
#define SW_VERSION_NUM ((SW_VERSION_MAJOR << 16) | (SW_VERSION_MINOR << 8) | SW_VERSION_PATCH)
/* True when the headers are at least version x.y.z, like CURL_AT_LEAST_VERSION. */
#define SW_AT_LEAST_VERSION(x, y, z) (SW_VERSION_NUM >= (((x) << 16) | ((y) << 8) | (z)))

/* ---- Symbol export ------------------------------------------------------------------------ */

/* SW_API marks the public symbols; everything else in the library is hidden. Define SW_STATIC
 * when linking the static library on Windows. */
#if defined(_WIN32) && !defined(SW_STATIC)
#  if defined(SWITCH_BUILDING)
#    define SW_API __declspec(dllexport)
#  else
#    define SW_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define SW_API __attribute__((visibility("default")))
#else
#  define SW_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ------------------------------------------------------------------------- */

/* Stable status codes. New codes are appended; a retired code keeps its number. */
typedef enum sw_status {
    SW_OK = 0,
    SW_ERR_INVALID_ARGUMENT = -1, /* a NULL pointer or an out-of-range argument */
    SW_ERR_CONFIG = -2,           /* the configuration is invalid; see the diagnostics */
    SW_ERR_NOT_FOUND = -3,        /* a file, model, pool or provider does not exist */
    SW_ERR_NOT_SUPPORTED = -4,    /* a documented feature that this build does not implement */
    SW_ERR_OUT_OF_MEMORY = -5,
    SW_ERR_IO = -6,               /* a file could not be read */
    SW_ERR_INTERNAL = -7,         /* a bug in libswitch; please report it */
    SW_ERR_REQUEST_FAILED = -8,   /* the request was routed and failed; its response says why */
    SW_ERR_CANCELLED = -9,        /* the request was cancelled, or its router destroyed */
    SW_ERR_TIMEOUT = -10,         /* a deadline or a wait ran out */
    SW_ERR_WOULD_DEADLOCK = -11,  /* a blocking call from a callback, on a router's I/O thread */
    SW_ITER_OVER = -12            /* not a failure: a stream has no more chunks */
} sw_status;

/* ---- Library-wide functions --------------------------------------------------------------- */

/* The runtime version, "MAJOR.MINOR.PATCH". Borrowed static string. Thread-safe. */
SW_API const char *sw_version(void);

/* The runtime version number, comparable with SW_VERSION_NUM. Thread-safe. */
SW_API int sw_version_num(void);

/* A short static description of a status code; never NULL, "unknown status" for unknown codes.
 * Borrowed static string. Thread-safe. */
SW_API const char *sw_strerror(int status);

/* The detail of the calling thread's most recent failure, or "" if the last call succeeded.
 * Never NULL. Borrowed; valid until the next libswitch call on this thread. Thread-safe
 * (each thread has its own). */
SW_API const char *sw_last_error(void);

/* Release memory that a function documented as "owned" returned. Accepts NULL. Thread-safe. */
SW_API void sw_free(void *ptr);

/* ---- Configuration validation ------------------------------------------------------------- */

/* Validation output formats for sw_config_validate. */
typedef enum sw_diag_format {
    SW_DIAG_TEXT = 0, /* compiler style, one line per problem: "ORIGIN: PATH: error: MESSAGE" */
    SW_DIAG_JSON = 1  /* {"valid":..,"diagnostics":[{"severity","path","message","suggestion"}],..} */
} sw_diag_format;

/* Validate a configuration without creating a router.
 *
 * `format` is an sw_diag_format value; it is an int so that C callers passing any number get
 * SW_ERR_INVALID_ARGUMENT rather than undefined behaviour.
 *
 * `text`/`len` hold JSON or YAML (detected from the first non-blank character: '{' or '['
 * means JSON). `origin` names the source in messages (for example a file name); it may be
 * NULL. On return, *out_valid is 1 when the configuration has no errors (warnings allowed)
 * and 0 otherwise, and *out_report (if out_report is not NULL) receives the diagnostics in
 * `format`; it is owned by the caller and released with sw_free.
 *
 * Returns SW_OK whenever validation ran, whatever its verdict. Thread-safe. */
SW_API int sw_config_validate(int *out_valid, char **out_report, const char *text, size_t len,
                              const char *origin, int format);

/* ---- Handles ------------------------------------------------------------------------------ */

typedef struct sw_config sw_config;     /* a loaded, validated configuration; immutable */
typedef struct sw_router sw_router;     /* routes requests; owns its I/O threads */
typedef struct sw_response sw_response; /* the answer to one request, with its trace */
typedef struct sw_stream sw_stream;     /* a streamed request read chunk by chunk */

/* Identifies a request of one router, for sw_router_cancel. Never 0. */
typedef uint64_t sw_request_id;

/* ---- Configurations ----------------------------------------------------------------------- */

/* Load a configuration from a file (JSON or YAML, from the extension, else the content), from
 * a string (JSON or YAML, from the first non-blank character), or from the default load order:
 * ./definitions.json (or .yaml), then the MODEL_DEFINITIONS variable, then a configuration
 * generated from provider keys such as OPENAI_API_KEY.
 *
 * On success *out receives the configuration, released with sw_config_destroy. On failure *out
 * is NULL and the call returns SW_ERR_CONFIG (the configuration is invalid, or the default load
 * order found none) or SW_ERR_NOT_FOUND (sw_config_load_file: no such file); sw_last_error()
 * then holds the diagnostics as text. If out_report is not NULL, *out_report receives the
 * diagnostics (errors and warnings) in `format`, an sw_diag_format value, whatever the verdict:
 * owned, released with sw_free. A text report is "" when there is nothing to say.
 *
 * `origin` names a string in messages; it may be NULL. Messages never hold secret values.
 * Thread-safe. */
SW_API int sw_config_load_file(sw_config **out, char **out_report, const char *path, int format);
SW_API int sw_config_load_string(sw_config **out, char **out_report, const char *text, size_t len,
                                 const char *origin, int format);
SW_API int sw_config_load_default(sw_config **out, char **out_report, int format);

/* Release a configuration and set *config to NULL. Routers created from it keep their own
 * reference, so it may be destroyed as soon as they exist. Accepts NULL and *config == NULL.
 * Thread-safe for distinct handles. */
SW_API void sw_config_destroy(sw_config **config);

/* ---- Options -------------------------------------------------------------------------------
 *
 * Options structs start with a version. Initialise one with its _INIT macro or its _init
 * function, then set the fields you need; a field left at 0 keeps its default. A struct whose
 * version this library does not know (0, or newer than the library) is refused with
 * SW_ERR_INVALID_ARGUMENT, so that a field the library cannot see is never silently ignored.
 * Durations in ms range from 0 to 86400000 (one day); others are SW_ERR_INVALID_ARGUMENT.
 * Passing NULL instead of a struct means "all defaults". */

/* Router events (docs/events.md): what a router reports while it routes, for metrics, traces
 * and ledgers. The kinds: */
typedef enum sw_event_kind {
    SW_EVENT_ROUTE_DECISION = 1,     /* where a request will go: its model and primary pool */
    SW_EVENT_ATTEMPT_STARTED = 2,    /* an attempt is about to be sent */
    SW_EVENT_ATTEMPT_FINISHED = 3,   /* an attempt ended */
    SW_EVENT_BREAKER_TRANSITION = 4, /* a provider's breaker changed state in a pool */
    SW_EVENT_COOLDOWN = 5,           /* a provider gets no traffic for a while (a 429) */
    SW_EVENT_REQUEST_FINISHED = 6    /* a request ended: status, usage, cost, latency */
} sw_event_kind;

/* One event. It and its text are valid only during the callback. */
typedef struct sw_event {
    int kind;                 /* sw_event_kind */
    sw_request_id request_id; /* the request it belongs to; 0 for breaker transitions and cooldowns */
    const char *json;         /* the whole event as one JSON object, NUL-terminated; holds no secret */
    size_t json_len;
} sw_event;

/* Receives every event. It runs on the request's I/O thread (route decisions on the thread that
 * submitted the request, a manual breaker reset on the caller's), so calls for different requests
 * may run at the same time; it must return quickly, and must not make a blocking call
 * (SW_ERR_WOULD_DEADLOCK). A request's events arrive in order. */
typedef void (*sw_event_cb)(const sw_event *event, void *user_data);

/* An embedding model of the application's, for prompt routers configured with "embedder":
 * "callback" (docs/prompt-routing.md): write the embedding of text[0..len) (UTF-8, not
 * NUL-terminated) into out[0..dimensions) and return 0; any other value is a failure, and the
 * request is then routed by the heuristic, its trace saying so. It embeds each route's example
 * utterances when the router is created (or reloaded), and each request's last user message on
 * the thread that submits it, so calls may run at the same time; it must not make a blocking
 * router call. */
typedef int (*sw_embed_cb)(const char *text, size_t len, float *out, size_t dimensions, void *user_data);

/* A cascade judge of the application's, for cascades configured with "judge": "callback"
 * (docs/prompt-routing.md): given the request's last user message and a step's answer text
 * (UTF-8, not NUL-terminated), set *quality and *confidence (0 to 1) and return 0; any other
 * value is a failure, and the built-in judge then judges, the trace saying so. It runs on an I/O
 * thread, once per step answered: it must return quickly and must not make a blocking router
 * call. */
typedef int (*sw_judge_cb)(const char *prompt, size_t prompt_len, const char *answer, size_t answer_len,
                           double *quality, double *confidence, void *user_data);

/* Log levels of sw_log_cb, lowest first. */
typedef enum sw_log_level {
    SW_LOG_DEBUG = 0,
    SW_LOG_INFO = 1,
    SW_LOG_WARNING = 2,
    SW_LOG_ERROR = 3
} sw_log_level;

/* Receives the router's log lines (docs/logging.md): one per request, per breaker transition and
 * per reload, as JSON or text per the configuration's monitoring.logging (LOG_FORMAT), at its
 * level and up (LOG_LEVEL). `line` is NUL-terminated, without a newline, valid during the call,
 * and holds no secret. It runs on I/O threads (and on sw_router_reload's caller), several at
 * once: it must be thread-safe, return quickly and not make a blocking router call. */
typedef void (*sw_log_cb)(int level, const char *line, size_t len, void *user_data);

/* Receives the router's spans (docs/tracing.md): one per request and one per attempt, each as
 * one JSON object {"name","kind","trace_id","span_id","parent_span_id","flags",
 * "start_unix_nanos","end_unix_nanos","error","status_message","attributes":{...}} with
 * OpenTelemetry's GenAI attributes. `json` is NUL-terminated, valid during the call, and holds no
 * secret or message content. It runs on I/O threads, several at once: it must be thread-safe,
 * return quickly and not make a blocking router call. */
typedef void (*sw_span_cb)(const char *json, size_t len, void *user_data);

#define SW_ROUTER_OPTIONS_VERSION 5

typedef struct sw_router_options {
    unsigned int version;           /* SW_ROUTER_OPTIONS_VERSION */
    int64_t connect_timeout_ms;     /* TCP and TLS connect; default 10000 */
    int64_t stream_idle_timeout_ms; /* a stream silent this long is cut; default 30000 */
    uint64_t max_response_bytes;    /* a larger response body fails; default 64 MiB */
    /* Version 2: */
    sw_event_cb on_event;           /* every router event; NULL (the default): none is built */
    void *event_user_data;          /* passed to on_event */
    uint32_t io_threads;            /* I/O threads, each with its own connection pool; 0 (the
                                       default): min(hardware threads, 4). Callbacks of different
                                       requests may then run at the same time. */
    /* Version 3: */
    sw_embed_cb embed;              /* the embedder of "callback" prompt routers; NULL (the
                                       default): a configuration that needs one is refused */
    void *embed_user_data;          /* passed to embed */
    uint32_t embed_dimensions;      /* how many floats embed writes: 1 to 65536 when embed is set */
    sw_judge_cb judge;              /* the judge of "callback" cascades; NULL (the default): a
                                       configuration that needs one is refused */
    void *judge_user_data;          /* passed to judge */
    /* Version 4: */
    sw_log_cb on_log;               /* the router's log lines; NULL (the default): it logs nothing */
    void *log_user_data;            /* passed to on_log */
    /* Version 5: */
    sw_span_cb on_span;             /* the router's spans, unless the configuration's
                                       monitoring.tracing turns tracing off; NULL (the default):
                                       none is recorded */
    void *span_user_data;           /* passed to on_span */
} sw_router_options;

#define SW_ROUTER_OPTIONS_INIT { SW_ROUTER_OPTIONS_VERSION, 0, 0, 0, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL }

/* Fill *options with the defaults of `version` (for bindings that cannot use the macro).
 * Returns SW_ERR_INVALID_ARGUMENT for an unknown version. Thread-safe. */
SW_API int sw_router_options_init(sw_router_options *options, unsigned int version);

#define SW_CHAT_OPTIONS_VERSION 5

typedef struct sw_chat_options {
    unsigned int version; /* SW_CHAT_OPTIONS_VERSION */
    int64_t deadline_ms;  /* whole-request deadline, every retry and wait included; default:
                             the configuration's (DEFAULT_TIMEOUT_MS, STREAMING_TIMEOUT_MS),
                             always capped at MAX_TIMEOUT_MS */
    /* Version 2. */
    double max_cost_usd;  /* the most the request may cost, in USD; 0: no budget. A provider
                             whose estimated cost is higher, or whose price is unknown, is not
                             tried; with none left, the request fails with status 400
                             (docs/prompt-routing.md, "Cost and budgets") */
    /* Version 3. NUL-terminated, copied during the call; NULL: none. */
    const char *correlation_id; /* the caller's name for the request */
    const char *client_id;      /* who asked (an API key's id, a user) */
    /* Both are reported in the request's request_finished event (docs/events.md), for logs and the
       usage ledger, and never sent upstream. */
    /* Version 4. NUL-terminated, copied during the call; NULL: none. */
    const char *traceparent; /* the caller's W3C trace context (docs/tracing.md): the request */
    const char *tracestate;  /* joins that trace and passes it on upstream; a malformed
                                traceparent is ignored */
    /* Version 5: the response cache (docs/cache.md), when the configuration turns it on. */
    int cache_no_cache;          /* nonzero: do not answer from the cache (a fresh answer is stored) */
    int cache_no_store;          /* nonzero: do not store this answer */
    int64_t cache_ttl_s;         /* < 0: the configuration's default_ttl; 0: not stored; > 0: keep
                                    the answer this many seconds, and accept none older */
    const char *cache_partition; /* whose answers it may share; NULL or "": client_id */
} sw_chat_options;

#define SW_CHAT_OPTIONS_INIT { SW_CHAT_OPTIONS_VERSION, 0, 0.0, NULL, NULL, NULL, NULL, 0, 0, -1, NULL }

/* Fill *options with the defaults of `version`. Thread-safe. */
SW_API int sw_chat_options_init(sw_chat_options *options, unsigned int version);

/* ---- Routers ------------------------------------------------------------------------------ */

/* Create a router for `config`; `options` may be NULL. Starts the router's I/O threads. Credentials
 * are read from the process environment when a request needs them. *out is released with
 * sw_router_destroy. Thread-safe. SW_ERR_CONFIG when the router cannot serve the configuration,
 * such as a prompt router that embeds with a callback and no options.embed, or a cascade that
 * judges with a callback and no options.judge.
 *
 * Every function below that takes a router is safe to call from any thread at once, including
 * from a callback, unless it says otherwise. */
SW_API int sw_router_create(sw_router **out, const sw_config *config, const sw_router_options *options);

/* Cancel every request still running (each gets its done callback, with status 499), stop the
 * I/O threads and release the router; then set *router to NULL. Accepts NULL and *router == NULL.
 * Called from a callback (on an I/O thread, perhaps the router's own, which it cannot wait for),
 * the shutdown finishes on a helper thread after the callback returns. No other call on this
 * router may be running or made afterwards. */
SW_API void sw_router_destroy(sw_router **router);

/* Replace the router's configuration. Requests submitted after this returns route on the new
 * one; requests already running finish on the configuration they started with.
 *
 * A provider that survives the reload (the same pool id and provider name) keeps what it
 * learned: its breaker, failure streak, latency average, error window, 429 cooldown and
 * rate-limit use; the rest starts afresh (docs/transport.md, "Reloading the configuration").
 * Credentials are resolved again. A configuration that cannot be used gives SW_ERR_CONFIG and
 * leaves the current one in place. */
SW_API int sw_router_reload(sw_router *router, const sw_config *config);

/* A snapshot of every pool and provider as JSON:
 * {"pools":[{"id","name","strategy","healthy_providers","min_healthy_providers","providers":[
 *   {"name","breaker":"closed|open|half_open","open_remaining_ms","error_rate","window_requests",
 *    "ewma_latency_ms" (null until measured),"in_flight","consecutive_failures",
 *    "permanent_trips","cooldown_remaining_ms","healthy","effective_weight"}]}]}
 * *out is owned; release it with sw_free. */
SW_API int sw_router_status_json(char **out, sw_router *router);

/* Output formats for sw_router_metrics. */
typedef enum sw_metrics_format {
    SW_METRICS_PROMETHEUS = 0, /* the Prometheus text exposition format, version 0.0.4 */
    SW_METRICS_JSON = 1        /* {"metrics":[{"name","type","help","series":[{"labels",...}]}]} */
} sw_metrics_format;

/* The router's metrics since it was created (docs/metrics.md): OpenTelemetry's GenAI
 * histograms and libswitch's counters, in `format` (an sw_metrics_format value; another is
 * SW_ERR_INVALID_ARGUMENT). Empty text (and no metrics in the JSON) when the configuration the
 * router was created with turns metrics off. *out is owned; release it with sw_free.
 * Thread-safe. */
SW_API int sw_router_metrics(char **out, sw_router *router, int format);

/* Close the breaker of one provider in one pool and forget its failures (the 429 cooldown
 * stays). SW_ERR_NOT_FOUND if the pool has no such provider. */
SW_API int sw_router_reset_breaker(sw_router *router, const char *pool_id, const char *provider);

/* Stop a request at any point, mid-stream included. Its done callback runs with status 499
 * (SW_ERR_CANCELLED); a pull stream ends. Unknown and finished ids are ignored: SW_OK. */
SW_API int sw_router_cancel(sw_router *router, sw_request_id id);

/* ---- Requests ------------------------------------------------------------------------------
 *
 * A request is an OpenAI request body as JSON: `request`/`len` (no NUL terminator is needed;
 * the bytes are copied before the call returns). Its "model" names a model of the configuration.
 *
 * A call returns SW_OK whenever the request was routed and a response produced, whether the
 * request succeeded or failed: read sw_response_result() or sw_response_status(). A malformed
 * request is answered too, with status 400, without reaching the network. A call fails only
 * for a bad argument (SW_ERR_INVALID_ARGUMENT), an options version it does not know, a blocking
 * call from a callback (SW_ERR_WOULD_DEADLOCK), or memory exhaustion. */

/* Called exactly once per asynchronous request, on the request's I/O thread, when it ends (cancelled
 * and shut-down requests included). The callee owns `response` and releases it with
 * sw_response_destroy, at any time, on any thread. It is NULL only if memory ran out while
 * building it. */
typedef void (*sw_response_cb)(sw_response *response, void *user_data);

/* Called on the request's I/O thread for each streamed chunk, an OpenAI "chat.completion.chunk" JSON
 * object of `len` bytes, not NUL-terminated, valid only during the call. A stream that breaks
 * after content was delivered ends with a chunk {"error":{"type":"stream_interrupted",...}}. */
typedef void (*sw_chunk_cb)(const char *chunk, size_t len, void *user_data);

/* Blocking chat completion. *out is owned; release it with sw_response_destroy. Refused with
 * SW_ERR_WOULD_DEADLOCK from a callback. `options` may be NULL. */
SW_API int sw_router_chat(sw_response **out, sw_router *router, const char *request, size_t len,
                          const sw_chat_options *options);

/* Non-blocking chat completion: `done` gets the response. *out_id (if out_id is not NULL)
 * receives the request's id. When the call fails, `done` never runs. */
SW_API int sw_router_chat_async(sw_request_id *out_id, sw_router *router, const char *request, size_t len,
                                const sw_chat_options *options, sw_response_cb done, void *user_data);

/* Blocking streamed chat completion: `on_chunk` (may be NULL) sees each chunk as it arrives, and
 * *out receives the response once the stream ends; its text is the deltas joined and its body
 * is empty. The request should say "stream": true; one that does not is answered whole, with
 * no chunk. Refused with SW_ERR_WOULD_DEADLOCK from a callback. */
SW_API int sw_router_chat_stream(sw_response **out, sw_router *router, const char *request, size_t len,
                                 const sw_chat_options *options, sw_chunk_cb on_chunk, void *user_data);

/* Non-blocking streamed chat completion: chunks go to `on_chunk` (may be NULL), then the
 * response to `done`; both get `user_data`. Every chunk callback returns before `done` runs. */
SW_API int sw_router_chat_stream_async(sw_request_id *out_id, sw_router *router, const char *request,
                                       size_t len, const sw_chat_options *options, sw_chunk_cb on_chunk,
                                       sw_response_cb done, void *user_data);

/* Embeddings (an OpenAI /v1/embeddings body), blocking and not. The response's body is the
 * provider's embeddings JSON. */
SW_API int sw_router_embeddings(sw_response **out, sw_router *router, const char *request, size_t len,
                                const sw_chat_options *options);
SW_API int sw_router_embeddings_async(sw_request_id *out_id, sw_router *router, const char *request,
                                      size_t len, const sw_chat_options *options, sw_response_cb done,
                                      void *user_data);

/* ---- Pull streams ------------------------------------------------------------------------- */

/* Start a streamed chat completion whose chunks are read with sw_stream_next, from any thread,
 * instead of a callback. The request's I/O thread appends chunks to an unbounded queue (it must never
 * wait for a reader), so a reader that stops reading holds the rest of the answer in memory.
 * *out is released with sw_stream_destroy. Thread-safe, like every function taking a router. */
SW_API int sw_stream_open(sw_stream **out, sw_router *router, const char *request, size_t len,
                          const sw_chat_options *options);

/* The next chunk, waiting up to `timeout_ms` (< 0 or more than a year: without limit; 0: do not
 * wait). Returns SW_OK with *out_chunk and *out_len set (borrowed, NUL-terminated, valid until the next
 * sw_stream_next or sw_stream_destroy on this stream); SW_ITER_OVER once the request has ended
 * and every chunk was read (then sw_stream_response gives the response); SW_ERR_TIMEOUT if no
 * chunk came in time (call again). A wait is refused with SW_ERR_WOULD_DEADLOCK from a callback.
 * One thread at a time per stream. */
SW_API int sw_stream_next(const char **out_chunk, size_t *out_len, sw_stream *stream, int64_t timeout_ms);

/* The stream's request id (for sw_router_cancel), or 0 for NULL. Thread-safe. */
SW_API sw_request_id sw_stream_id(const sw_stream *stream);

/* The final response once the request has ended (so at the latest when sw_stream_next returns
 * SW_ITER_OVER); NULL while it runs. Borrowed: valid until sw_stream_destroy. Thread-safe. */
SW_API const sw_response *sw_stream_response(const sw_stream *stream);

/* Cancel the request if it is still running, release the stream and set *stream to NULL. Never
 * waits, so it is allowed in a callback. A stream may outlive its router: destroying the router
 * ends the stream (cancelled); but a stream and its router must not be destroyed at the same
 * time on two threads. Not concurrently with sw_stream_next on the same stream. Accepts NULL and
 * *stream == NULL. */
SW_API void sw_stream_destroy(sw_stream **stream);

/* ---- Responses ----------------------------------------------------------------------------
 *
 * A response never changes once made: its accessors are safe from any thread at once, and its
 * strings are borrowed, NUL-terminated and valid until sw_response_destroy. Given NULL, they
 * return 0, "" or NULL as stated, and leave sw_last_error() alone. */

/* Release a response and set *response to NULL. Accepts NULL and *response == NULL. */
SW_API void sw_response_destroy(sw_response **response);

/* SW_OK for a success; SW_ERR_CANCELLED (status 499), SW_ERR_TIMEOUT (504, the deadline ran
 * out) or SW_ERR_REQUEST_FAILED (any other failure); SW_ERR_INVALID_ARGUMENT for NULL. */
SW_API int sw_response_result(const sw_response *response);

/* An HTTP-like status: 200 on success; 400 for a malformed request, 404 for an unknown model,
 * 429 when every provider is rate limited, 499 cancelled, 502 when every provider failed or a
 * stream broke after delivering content, 504 past the deadline, or the provider's own 4xx for
 * an error of the caller's that it rejected. 0 for NULL. */
SW_API int sw_response_status(const sw_response *response);

/* The error class of the last attempt: "success", "transient", "timeout", "rate_limited",
 * "quota", "auth", "not_found", "context_window", "content_policy", "invalid_request",
 * "protocol", or "cancelled" for a request cancelled by its caller or by the router's
 * shutdown (status 499). New classes are only ever appended to this list. "" for NULL. */
SW_API const char *sw_response_error_class(const sw_response *response);

/* Why the router stopped, for a failed request: "unknown_model", "exhausted" (every provider
 * failed or none was eligible), "deadline_exceeded", "rejected" (the caller's error),
 * "stream_interrupted" (a stream broke after content reached the caller), "attempts_exceeded"
 * or "cancelled". It tells apart failures that share a status: "exhausted" and
 * "stream_interrupted" are both 502. "" on success, for a malformed request and for NULL. */
SW_API const char *sw_response_route_error(const sw_response *response);

/* Why the request failed, listing every attempt; never a secret. "" on success and for NULL. */
SW_API const char *sw_response_error(const sw_response *response);

/* The serving provider's answer in OpenAI form (non-streamed requests). "" otherwise. */
SW_API const char *sw_response_body(const sw_response *response);

/* choices[0].message.content, or the streamed deltas joined; "" if none. */
SW_API const char *sw_response_text(const sw_response *response);

/* The finish reason of choice 0 ("stop", "length", ...); "" if none. */
SW_API const char *sw_response_finish_reason(const sw_response *response);

/* Token usage of the serving attempt only (failed attempts are never billed); 0 if unknown. */
SW_API uint64_t sw_response_prompt_tokens(const sw_response *response);
SW_API uint64_t sw_response_completion_tokens(const sw_response *response);
SW_API uint64_t sw_response_total_tokens(const sw_response *response);

/* 1 when the serving provider's price is configured, and then sw_response_cost_usd gives the
 * cost of the serving attempt in US dollars; 0 (and 0.0) otherwise. */
SW_API int sw_response_has_cost(const sw_response *response);
SW_API double sw_response_cost_usd(const sw_response *response);

/* The provider and pool that served; "" when none did. */
SW_API const char *sw_response_provider(const sw_response *response);
SW_API const char *sw_response_pool(const sw_response *response);

/* 1 when a pool other than the model's primary pool served, else 0. */
SW_API int sw_response_used_fallback(const sw_response *response);

/* The trace as JSON: {"model","provider","pool","used_fallback","attempts":[{"provider","pool",
 * "status","error_class","transport_error" (if any),"latency_ms","backoff_ms","cost_usd" (if the
 * price is known)}],"cost_usd" (if known),"route" (for a model that routes by prompt:
 * docs/prompt-routing.md)}. "" for NULL. */
SW_API const char *sw_response_trace_json(const sw_response *response);

/* A failed response's error in OpenAI's shape: {"error":{"message","type","code","param":null}},
 * where type is the kind of failure ("bad_request", "not_found", "rate_limited",
 * "all_providers_failed", "deadline_exceeded", "cancelled", ...; docs/conventions.md) and code the
 * error class. "" for a success and for NULL. Holds no secret. */
SW_API const char *sw_response_error_json(const sw_response *response);

#ifdef __cplusplus
}
#endif

#endif /* SWITCH_SWITCH_H */
