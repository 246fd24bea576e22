// router.cpp — sw::Router: request intake from any thread, credentials, and the hand-off of each
// request to a RequestDriver on one of the router's I/O threads.
#include <switch/router.hpp>

#include "api/cache_path.hpp"
#include "api/observer_list.hpp"
#include "api/request_driver.hpp"
#include "api/request_start.hpp"
#include "cache/router_cache.hpp"
#include "credentials/credential_cache.hpp"
#include "credentials/token_source.hpp"
#include "observe/log_lines.hpp"
#include "ledger/ledger.hpp"
#include "observe/metrics.hpp"
#include "observe/span_recorder.hpp"
#include "providers/specs.hpp"
#include "routing/budget_book.hpp"
#include "state/shared_state.hpp"
#include "transport/http_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

namespace sw {

namespace {

// What metrics and spans call each provider: OpenTelemetry's gen_ai.provider.name for its type,
// and its model.
observe::ProviderTable provider_table(const Config& config) {
    observe::ProviderTable table;
    for (const PoolConfig& pool : config.pools)
        for (const ProviderConfig& p : pool.providers)
            table[{pool.id, p.name}] = {std::string(providers::gen_ai_provider_name(p.type)), p.model_name};
    return table;
}

// One I/O thread: its engine (curl multi handle and thread) and the requests running on it.
struct IoThread final : api::DriverHost {
    IoThread(std::size_t index, const RouterOptions& options, RouterObserver* observer,
             const transport::EngineOptions& engine_options)
        : index_(index),
          options_(options),
          observer_(observer),
          engine_(std::make_unique<transport::HttpEngine>(engine_options)) {}

    transport::Io io() override { return engine_->io(); }
    const RouterOptions& options() const override { return options_; }
    RouterObserver* observer() const override { return observer_; }
    std::size_t io_thread_index() const override { return index_; }
    void finished(RequestId id) override { live.erase(id); }

    std::size_t index_;
    const RouterOptions& options_;
    RouterObserver* observer_;  // the router's; null when nobody listens
    // This thread only.
    std::unordered_map<RequestId, std::shared_ptr<api::LiveRequest>> live;
    // Declared last so that it is destroyed first: its shutdown completes every request while
    // everything above still exists.
    std::unique_ptr<transport::HttpEngine> engine_;
};

// The router whose I/O thread runs this code, and that thread's index; null elsewhere. Set by the
// first function each I/O thread runs.
thread_local const void* t_router = nullptr;
thread_local std::size_t t_thread = 0;

}  // namespace

std::size_t RouterOptions::default_io_threads() {
    const unsigned cores = std::thread::hardware_concurrency();  // 0 when unknown
    return std::clamp<std::size_t>(cores, 1, 4);
}

struct Router::Impl {
    RouterOptions options_;
    // Null unless the first config named a redis.url (docs/scaling.md). Before the generations:
    // their cores tell its store of breaker transitions, so it must outlive them.
    std::shared_ptr<state::SharedState> shared_;
    // What this process has spent of each budget, across reloads (docs/budgets.md).
    routing::BudgetBook budgets_;
    std::shared_ptr<observe::Metrics> metrics_;  // null when the first config turned metrics off
    std::shared_ptr<observe::LogLines> log_;     // null without RouterOptions::log_sink
    std::shared_ptr<observe::SpanRecorder> spans_;  // null without a span sink, or with tracing off
    api::TracePolicy trace_policy_;              // from the first config
    std::shared_ptr<ledger::Ledger> ledger_;     // null when the first config named no database
    std::shared_ptr<RouterObserver> observer_;  // the metrics and options_.observers as one; null for none
    std::shared_ptr<cache::ResponseCache> cache_;  // null unless the first config turned it on
    std::unique_ptr<cache::RouterCache> cache_owner_;  // the cache's backend (its redis client): closed first
    std::atomic<RequestId> next_id{1};
    std::atomic<std::size_t> next_turn{0};  // the I/O thread whose turn is next (next_request_id)

    // The current generation, replaced by reload(). Requests copy the pointer at submission;
    // the lock guards only the pointer.
    mutable std::mutex current_mutex;
    std::shared_ptr<const api::Generation> current_;
    std::mutex reload_mutex;  // one reload at a time

    std::shared_ptr<const api::Generation> current() const {
        std::lock_guard<std::mutex> lock(current_mutex);
        return current_;
    }

    // A generation for `config`: its routing state, and empty credential caches, one per I/O
    // thread, that share their token exchanges.
    std::shared_ptr<const api::Generation> make_generation(std::shared_ptr<const Config> config) {
        if (metrics_ || spans_) {
            observe::ProviderTable table = provider_table(*config);
            if (metrics_) metrics_->set_providers(table);
            if (spans_) spans_->set_providers(std::move(table));
        }
        auto core = std::make_shared<RouterCore>(config, options_.clock, options_.random, observer_,
                                                 shared_ ? &shared_->store() : nullptr);
        if (shared_) shared_->watch(*config);
        std::vector<transport::Io> ios;
        for (auto& t : threads_) ios.push_back(t->io());
        return api::make_generation(std::move(config), std::move(core), options_.env, ios, options_.embedder,
                                    shared_.get(), &budgets_);
    }

    // Fixed at construction; never resized, so any thread may index it. Declared last so that
    // the threads end first, while the generations their requests use still exist.
    std::vector<std::unique_ptr<IoThread>> threads_;

    // A request's id names its thread (id % io_threads), so cancel(id) finds the thread without
    // a lookup or a lock.
    IoThread& thread_for(RequestId id) { return *threads_[id % threads_.size()]; }

    // True on any of this router's I/O threads, where a blocking call could wait for itself.
    bool on_io_thread() const { return t_router == this; }

    // Requests from other threads take the I/O threads in turn. A request made from a callback
    // stays on the callback's thread: the hand-over then needs no wake-up, and a chain of
    // requests, each sent from the last one's callback, keeps its thread. The turn has its own
    // counter, so that callbacks' requests, which take ids too, never skip a thread's turn.
    RequestId next_request_id() {
        const std::size_t n = threads_.size();
        const RequestId sequence = next_id.fetch_add(1, std::memory_order_relaxed);
        const std::size_t thread =
            on_io_thread() ? t_thread : next_turn.fetch_add(1, std::memory_order_relaxed) % n;
        return sequence * n + thread;
    }

    // Shares breakers (and, through the request drivers, limits) with every process on the same
    // Redis (docs/scaling.md). The connections live on the I/O threads' loops.
    void start_sharing(const Config& config) {
        std::string error;
        std::optional<RedisUrl> url = parse_redis_url(config.redis.url.reveal(), error);
        if (!url) throw std::invalid_argument("Router: redis.url: " + error);
        if (!config.redis.password.empty()) url->password = config.redis.password;
        state::SharedStateOptions o;
        o.url = *url;
        o.call_timeout = config.redis.timeout;
        o.pool_size = config.redis.pool_size;
        o.sync_interval = config.redis.sync_interval;
        o.probe_timeout = state::SharedState::longest_attempt(config);
        o.owner = state::SharedState::make_owner(*options_.random);
        std::vector<transport::EventLoop*> loops;
        for (auto& t : threads_) loops.push_back(t->engine_.get());
        // What another process did to a breaker reaches the providers of the current generation.
        auto apply = [this](const health::StateKey& key, const health::SharedBreakerView& view) {
            current()->core->apply_shared(key.pool, key.provider, view);
        };
        auto availability = [log = log_, server = describe_redis_url(*url)](bool available) {
            if (log) log->redis_availability("shared_state", available, server);
        };
        shared_ = std::make_shared<state::SharedState>(std::move(loops), std::move(o), apply, availability);
        if (metrics_)
            metrics_->set_shared_state([weak = std::weak_ptr<state::SharedState>(shared_)] {
                observe::SharedStateSample sample;
                if (auto shared = weak.lock()) {
                    const redis::CallCounts counts = shared->counts();
                    sample = {shared->available(), counts.ok, counts.timeout, counts.unavailable};
                }
                return sample;
            });
    }

    api::RequestOrigin origin_of(const ChatOptions& chat) const {
        return api::make_origin(chat, trace_policy_, *options_.random);
    }

    RequestId submit(providers::Endpoint endpoint, std::string_view request_json, ChunkCallback on_chunk,
                     DoneCallback done, const ChatOptions& chat_options) {
        const RequestId id = next_request_id();
        // Read only for the events' latency and time to first token: nobody listening, no read.
        const TimePoint submitted = observer_ ? options_.clock->now() : TimePoint{};
        IoThread& thread = thread_for(id);
        providers::RequestCheck check = providers::check_request(endpoint, request_json);
        if (!check.error.empty()) {
            // A malformed request never reaches the network.
            ChatResponse r;
            r.status = 400;
            r.error_class = ErrorClass::invalid_request;
            r.error = check.error;
            thread.engine_->post([this, id, endpoint, submitted, origin = origin_of(chat_options),
                                  done = std::move(done), r = std::move(r)]() mutable {
                if (observer_)
                    api::report_request_finished(*observer_, id, origin, endpoint, false, r, submitted, std::nullopt,
                                                 options_.clock->now());
                if (done) done(std::move(r));
            });
            return id;
        }
        std::optional<cache::CachePlan> plan;
        if (cache_ && endpoint == providers::Endpoint::chat_completions)
            plan = cache_->plan(request_json, check.stream, chat_options);
        if (plan && plan->read) {
            // Answered from the cache, or routed as any request (docs/cache.md).
            cache_->lookup(*plan, [this, &thread, id, endpoint, request = std::string(request_json), check = std::move(check),
                                   chat_options, on_chunk = std::move(on_chunk), done = std::move(done), submitted,
                                   plan = *plan](std::shared_ptr<const cache::CachedAnswer> hit) mutable {
                // A model a reload removed answers 404, as it would without the cache.
                std::shared_ptr<const api::Generation> generation = current();
                if (hit && (generation->config->find_model(check.model) || generation->config->find_pool(check.model)))
                    api::replay_hit(thread, id, std::move(hit), std::move(check.model), origin_of(chat_options),
                                    check.stream, std::move(on_chunk), std::move(done), submitted);
                else
                    start(thread, id, std::move(generation), endpoint, std::move(request), std::move(check), chat_options,
                          std::move(on_chunk), std::move(done), submitted, plan);
            });
            return id;
        }
        start(thread, id, current(), endpoint, std::string(request_json), std::move(check), chat_options,
              std::move(on_chunk), std::move(done), submitted, plan);
        return id;
    }

    // Begins a checked request on `generation` and hands it to its I/O thread; with a plan that
    // writes, its answer is recorded for the cache.
    void start(IoThread& thread, RequestId id, std::shared_ptr<const api::Generation> generation,
               providers::Endpoint endpoint, std::string request_json, providers::RequestCheck check,
               const ChatOptions& chat_options, ChunkCallback on_chunk, DoneCallback done, TimePoint submitted,
               const std::optional<cache::CachePlan>& plan) {
        if (plan && plan->write) api::record_answer(cache_, *plan, check.stream, on_chunk, done);
        std::shared_ptr<api::LiveRequest> driver =
            api::start_request(thread, id, std::move(generation), endpoint, std::move(request_json), std::move(check),
                               chat_options, origin_of(chat_options), std::move(on_chunk), std::move(done), submitted,
                               *options_.clock);
        thread.engine_->post([&thread, id, driver] {
            thread.live.emplace(id, driver);
            driver->start();
        });
    }
};

Router::Router(std::shared_ptr<const Config> config, RouterOptions options) : impl_(std::make_shared<Impl>()) {
    if (!config) throw std::invalid_argument("Router: config is null");
    api::require_callbacks(*config, options);  // before any thread starts
    if (!options.clock) options.clock = std::make_shared<SteadyClock>();
    if (!options.random) options.random = std::make_shared<SplitMixRandom>(random_seed());
    if (!options.env) options.env = process_env;
    if (options.io_threads == 0) options.io_threads = RouterOptions::default_io_threads();
    transport::EngineOptions engine_options;
    engine_options.clock = options.clock;
    // The router's own observers, from its first config (a reload keeps them), come before the
    // application's: the metrics, the usage ledger, the log lines, the spans.
    std::vector<std::shared_ptr<RouterObserver>> own;
    if (config->monitoring.metrics) {
        impl_->metrics_ = std::make_shared<observe::Metrics>();
        own.push_back(impl_->metrics_);
    }
    if (options.log_sink)
        impl_->log_ = std::make_shared<observe::LogLines>(config->monitoring.logging, options.log_sink);
    if (!config->database.url.empty()) {
        std::string error;
        std::optional<DatabaseUrl> url = parse_database_url(config->database.url.reveal(), error);
        if (!url) throw std::invalid_argument("Router: database.url: " + error);
        ledger::LedgerOptions ledger_options;
        // The ledger's outages go to the log.
        if (impl_->log_)
            ledger_options.writer.on_reachability = [log = impl_->log_](bool reachable, std::string_view why,
                                                                        std::uint64_t dropped) {
                log->ledger_reachability(reachable, why, dropped);
            };
        impl_->ledger_ = std::make_shared<ledger::Ledger>(ledger::make_store(*url), std::move(ledger_options));
        if (impl_->metrics_) impl_->metrics_->set_ledger_counters(impl_->ledger_->counters());
        own.push_back(impl_->ledger_);
    }
    if (impl_->log_) own.push_back(impl_->log_);
    impl_->trace_policy_.enabled = config->monitoring.tracing.enabled;
    if (options.span_sink && impl_->trace_policy_.enabled) {
        impl_->spans_ = std::make_shared<observe::SpanRecorder>(options.span_sink);
        impl_->trace_policy_.recording = true;
        own.push_back(impl_->spans_);
    }
    options.observers.insert(options.observers.begin(), own.begin(), own.end());
    impl_->observer_ = api::combine(options.observers);
    impl_->options_ = std::move(options);
    impl_->threads_.reserve(impl_->options_.io_threads);
    for (std::size_t i = 0; i < impl_->options_.io_threads; ++i) {
        impl_->threads_.push_back(std::make_unique<IoThread>(i, impl_->options_, impl_->observer_.get(), engine_options));
        // The first function the thread runs, so before any callback.
        impl_->threads_.back()->engine_->post([impl = impl_.get(), i] {
            t_router = impl;
            t_thread = i;
        });
    }
    // After the threads: the redis backend's client runs on their loops.
    if (config->cache.enabled) {
        std::vector<transport::EventLoop*> loops;
        for (auto& t : impl_->threads_) loops.push_back(t->engine_.get());
        cache::AvailabilityListener heard;  // the cache's Redis lost or back: a log line
        if (impl_->log_)
            heard = [log = impl_->log_](bool up, std::string_view server) { log->redis_availability("cache", up, server); };
        impl_->cache_owner_ = std::make_unique<cache::RouterCache>(config->cache, impl_->options_.clock, loops, heard);
        impl_->cache_ = impl_->cache_owner_->cache();
        if (impl_->metrics_) impl_->metrics_->set_cache_counters(impl_->cache_->counters());
    }
    if (!config->redis.url.empty()) impl_->start_sharing(*config);
    impl_->current_ = impl_->make_generation(std::move(config));
}

// Each thread completes its own requests. A thread that has stopped still runs what another
// posts to it afterwards (a shared token exchange's answer), in its engine's destructor.
// Then the ledger writes what is queued, for a bounded time (docs/ledger.md).
Router::~Router() {
    // Redis first, while the loops its connections live on still run: requests finishing after
    // it miss the cache and keep their breakers' transitions local.
    if (impl_->cache_owner_) impl_->cache_owner_->close();
    if (impl_->shared_) impl_->shared_->close();
    for (auto& t : impl_->threads_) t->engine_->stop();
    if (impl_->ledger_) impl_->ledger_->shutdown();
}

std::size_t Router::io_threads() const { return impl_->threads_.size(); }

namespace {
ChatResponse wait_for(std::future<ChatResponse> future) { return future.get(); }

// The C ABI's SW_ERR_WOULD_DEADLOCK in C++ form: the caller's mistake, refused before anything
// is sent (a response, not an exception, because callbacks run on an I/O thread).
ChatResponse called_from_callback() {
    ChatResponse r;
    r.status = 400;
    r.error_class = ErrorClass::invalid_request;
    r.error = "a blocking Router call was made from a Router callback, which would deadlock; use the async form";
    r.trace.error = RouteError::would_deadlock;
    r.trace.error_class = ErrorClass::invalid_request;
    r.trace.message = r.error;
    return r;
}
}  // namespace

ChatResponse Router::chat(std::string_view request_json, const ChatOptions& options) {
    if (impl_->on_io_thread()) return called_from_callback();
    return wait_for(chat_async(request_json, options));
}

ChatResponse Router::chat_stream(std::string_view request_json, ChunkCallback on_chunk, const ChatOptions& options) {
    if (impl_->on_io_thread()) return called_from_callback();
    auto promise = std::make_shared<std::promise<ChatResponse>>();
    auto future = promise->get_future();
    chat_stream_async(request_json, std::move(on_chunk), [promise](ChatResponse r) { promise->set_value(std::move(r)); },
                      options);
    return future.get();
}

ChatResponse Router::embeddings(std::string_view request_json, const ChatOptions& options) {
    if (impl_->on_io_thread()) return called_from_callback();
    auto promise = std::make_shared<std::promise<ChatResponse>>();
    auto future = promise->get_future();
    embeddings_async(request_json, [promise](ChatResponse r) { promise->set_value(std::move(r)); }, options);
    return future.get();
}

RequestId Router::chat_async(std::string_view request_json, DoneCallback done, const ChatOptions& options) {
    return impl_->submit(providers::Endpoint::chat_completions, request_json, nullptr, std::move(done), options);
}

std::future<ChatResponse> Router::chat_async(std::string_view request_json, const ChatOptions& options) {
    auto promise = std::make_shared<std::promise<ChatResponse>>();
    auto future = promise->get_future();
    chat_async(request_json, [promise](ChatResponse r) { promise->set_value(std::move(r)); }, options);
    return future;
}

RequestId Router::chat_stream_async(std::string_view request_json, ChunkCallback on_chunk, DoneCallback done,
                                    const ChatOptions& options) {
    return impl_->submit(providers::Endpoint::chat_completions, request_json, std::move(on_chunk), std::move(done), options);
}

RequestId Router::embeddings_async(std::string_view request_json, DoneCallback done, const ChatOptions& options) {
    return impl_->submit(providers::Endpoint::embeddings, request_json, nullptr, std::move(done), options);
}

void Router::cancel(RequestId id) {
    IoThread& thread = impl_->thread_for(id);
    thread.engine_->post([&thread, id] {
        auto it = thread.live.find(id);
        if (it != thread.live.end()) it->second->cancel();
    });
}

void Router::reload(std::shared_ptr<const Config> config) {
    if (!config) throw std::invalid_argument("Router::reload: config is null");
    // Built outside the lock: a rejected config leaves everything as it was. Two reloads at once
    // are serialised, so that each carries the state of the generation it replaces.
    std::lock_guard<std::mutex> reloading(impl_->reload_mutex);
    auto generation = impl_->make_generation(std::move(config));
    generation->core->carry_state_from(*impl_->current()->core);
    const std::size_t pools = generation->config->pools.size(), models = generation->config->models.size();
    {
        std::lock_guard<std::mutex> lock(impl_->current_mutex);
        impl_->current_ = std::move(generation);
    }
    if (impl_->log_) impl_->log_->reloaded(pools, models);
}

RouterStatus Router::status() const { return impl_->current()->core->status(); }

bool Router::reset_breaker(std::string_view pool_id, std::string_view provider_name) {
    return impl_->current()->core->reset_breaker(pool_id, provider_name);
}

std::shared_ptr<const Config> Router::config() const { return impl_->current()->config; }

std::string Router::metrics_text() const { return impl_->metrics_ ? impl_->metrics_->text() : std::string(); }

std::string Router::metrics_json() const {
    return impl_->metrics_ ? impl_->metrics_->json() : std::string(R"({"metrics":[]})");
}

}  // namespace sw
