// router.cpp — sw::Router: request intake from any thread, credentials, and the hand-off of each
// request to a RequestDriver on the I/O thread.
#include <switch/router.hpp>

#include "api/observer_list.hpp"
#include "api/request_driver.hpp"
#include "credentials/credential_cache.hpp"


#include <fmt/format.h>

#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace sw {

struct Router::Impl final : api::DriverHost {
    RouterOptions options_;
    std::shared_ptr<RouterObserver> observer_;  // options_.observers as one; null for none
    std::atomic<RequestId> next_id{1};

    // The current generation, replaced by reload(). Requests copy the pointer at submission;
    // the lock guards only the pointer.
    mutable std::mutex current_mutex;
    std::shared_ptr<const api::Generation> current_;
    std::mutex reload_mutex;  // one reload at a time

    std::shared_ptr<const api::Generation> current() const {
        std::lock_guard<std::mutex> lock(current_mutex);
        return current_;
    }

    // A generation for `config`: its routing state and an empty credential cache.
    std::shared_ptr<const api::Generation> make_generation(std::shared_ptr<const Config> config) {
        auto g = std::make_shared<api::Generation>();
        g->core = std::make_shared<RouterCore>(config, options_.clock, options_.random, observer_);
        g->credentials = std::make_shared<credentials::CredentialCache>(*config, options_.env, *engine_);
        g->config = std::move(config);
        return g;
    }

    // I/O thread only.
    std::unordered_map<RequestId, std::shared_ptr<api::RequestDriver>> live;

    // Declared last so that it is destroyed first: its shutdown completes every request while
    // everything above still exists.
    std::unique_ptr<transport::HttpEngine> engine_;

    transport::HttpEngine& engine() override { return *engine_; }
    const RouterOptions& options() const override { return options_; }
    RouterObserver* observer() const override { return observer_.get(); }
    void finished(RequestId id) override { live.erase(id); }

    RequestId submit(providers::Endpoint endpoint, std::string_view request_json, ChunkCallback on_chunk,
                     DoneCallback done, const ChatOptions& chat_options) {
        const RequestId id = next_id.fetch_add(1, std::memory_order_relaxed);
        const TimePoint submitted = options_.clock->now();
        providers::RequestCheck check = providers::check_request(endpoint, request_json);
        if (!check.error.empty()) {
            // A malformed request never reaches the network.
            ChatResponse r;
            r.status = 400;
            r.error_class = ErrorClass::invalid_request;
            r.error = check.error;
            engine_->post([this, id, endpoint, submitted, done = std::move(done), r = std::move(r)]() mutable {
                if (observer_)
                    api::report_request_finished(*observer_, id, endpoint, false, r, submitted, std::nullopt,
                                                 options_.clock->now());
                if (done) done(std::move(r));
            });
            return id;
        }
        RequestOptions ro;
        ro.request_id = id;
        ro.deadline = chat_options.deadline;
        ro.streaming = check.stream;
        ro.estimated_tokens = check.estimated_tokens;
        std::shared_ptr<const api::Generation> generation = current();
        AttemptLoop loop = generation->core->begin(check.model, ro);
        auto driver = std::make_shared<api::RequestDriver>(*this, id, std::move(generation), endpoint,
                                                           std::string(request_json), std::move(check),
                                                           std::move(loop), std::move(on_chunk), std::move(done),
                                                           submitted);
        engine_->post([this, id, driver] {
            live.emplace(id, driver);
            driver->start();
        });
        return id;
    }
};

Router::Router(std::shared_ptr<const Config> config, RouterOptions options) : impl_(std::make_shared<Impl>()) {
    if (!config) throw std::invalid_argument("Router: config is null");
    if (!options.clock) options.clock = std::make_shared<SteadyClock>();
    if (!options.random) options.random = std::make_shared<SplitMixRandom>(random_seed());
    if (!options.env) options.env = process_env;
    transport::EngineOptions engine_options;
    engine_options.clock = options.clock;
    impl_->observer_ = api::combine(options.observers);
    impl_->options_ = std::move(options);
    impl_->engine_ = std::make_unique<transport::HttpEngine>(engine_options);
    impl_->current_ = impl_->make_generation(std::move(config));
}

Router::~Router() { impl_->engine_->stop(); }

namespace {
ChatResponse wait_for(std::future<ChatResponse> future) { return future.get(); }

// The C ABI's SW_ERR_WOULD_DEADLOCK in C++ form: the caller's mistake, refused before anything
// is sent (a response, not an exception, because callbacks run on the I/O thread).
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
    if (impl_->engine_->on_io_thread()) return called_from_callback();
    return wait_for(chat_async(request_json, options));
}

ChatResponse Router::chat_stream(std::string_view request_json, ChunkCallback on_chunk, const ChatOptions& options) {
    if (impl_->engine_->on_io_thread()) return called_from_callback();
    auto promise = std::make_shared<std::promise<ChatResponse>>();
    auto future = promise->get_future();
    chat_stream_async(request_json, std::move(on_chunk), [promise](ChatResponse r) { promise->set_value(std::move(r)); },
                      options);
    return future.get();
}

ChatResponse Router::embeddings(std::string_view request_json, const ChatOptions& options) {
    if (impl_->engine_->on_io_thread()) return called_from_callback();
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
    impl_->engine_->post([impl = impl_.get(), id] {
        auto it = impl->live.find(id);
        if (it != impl->live.end()) it->second->cancel();
    });
}

void Router::reload(std::shared_ptr<const Config> config) {
    if (!config) throw std::invalid_argument("Router::reload: config is null");
    // Built outside the lock: a rejected config leaves everything as it was. Two reloads at once
    // are serialised, so that each carries the state of the generation it replaces.
    std::lock_guard<std::mutex> reloading(impl_->reload_mutex);
    auto generation = impl_->make_generation(std::move(config));
    generation->core->carry_state_from(*impl_->current()->core);
    std::lock_guard<std::mutex> lock(impl_->current_mutex);
    impl_->current_ = std::move(generation);
}

RouterStatus Router::status() const { return impl_->current()->core->status(); }

bool Router::reset_breaker(std::string_view pool_id, std::string_view provider_name) {
    return impl_->current()->core->reset_breaker(pool_id, provider_name);
}

std::shared_ptr<const Config> Router::config() const { return impl_->current()->config; }

}  // namespace sw
