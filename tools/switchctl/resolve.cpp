// resolve.cpp — credential stores resolved once, each through the router's own code path, so
// that a store this check passes is one a router can use.
#include "resolve.hpp"

#include "credentials/credential_cache.hpp"
#include "transport/http_engine.hpp"

#include <switch/config_loader.hpp>

#include <condition_variable>
#include <memory>
#include <mutex>

namespace switchctl {

namespace {

struct Pending {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<StoreCheck> checks;
    std::vector<bool> answered;
    std::size_t left = 0;
};

}  // namespace

std::vector<StoreCheck> resolve_credential_stores(const sw::Config& config, std::chrono::milliseconds limit) {
    auto pending = std::make_shared<Pending>();
    for (const auto& store : config.credential_stores) pending->checks.push_back({store.name, {}});
    pending->answered.assign(pending->checks.size(), false);
    pending->left = pending->checks.size();
    if (pending->left == 0) return {};

    sw::credentials::TokenSource tokens(config, sw::process_env);
    // Declared before the engine, so that it outlives the answers ~HttpEngine may still run.
    std::unique_ptr<sw::credentials::CredentialCache> cache;
    sw::transport::HttpEngine engine;
    cache = std::make_unique<sw::credentials::CredentialCache>(config, sw::process_env, engine.io(), tokens);
    // The cache is used on the engine's thread only, as a router's is.
    engine.post([cache = cache.get(), &config, pending] {
        for (std::size_t i = 0; i < config.credential_stores.size(); ++i)
            cache->acquire(config.credential_stores[i].name,
                          [pending, i](const sw::credentials::CredentialResult& result) {
                              std::lock_guard<std::mutex> lock(pending->mutex);
                              // Only whether it worked is kept: the view (the secret) is not.
                              pending->checks[i].error = result.error;
                              pending->answered[i] = true;
                              --pending->left;
                              pending->changed.notify_all();
                          });
    });
    {
        std::unique_lock<std::mutex> lock(pending->mutex);
        pending->changed.wait_for(lock, limit, [&] { return pending->left == 0; });
    }
    // Ends any fetch still running; its handlers run (and are ignored) before stop returns.
    engine.stop();
    std::lock_guard<std::mutex> lock(pending->mutex);
    std::vector<StoreCheck> out = pending->checks;
    for (std::size_t i = 0; i < out.size(); ++i)
        if (!pending->answered[i])
            out[i].error = "credential store \"" + out[i].store + "\": no answer within " +
                           std::to_string(limit.count() / 1000) + " s";
    return out;
}

}  // namespace switchctl
