// shared_state.cpp — the pool, the store and the watch, built and closed together.
#include "state/shared_state.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <thread>

namespace sw::state {

SharedState::SharedState(std::vector<transport::EventLoop*> loops, SharedStateOptions options,
                         RedisStateStore::Apply apply, redis::Client::AvailabilityListener availability)
    : options_(std::move(options)),
      client_(std::make_unique<redis::Client>(loops, [&] {
          redis::ConnectionOptions c;
          c.url = options_.url;
          c.call_timeout = options_.call_timeout;
          return c;
      }(), options_.pool_size, std::move(availability))),
      store_(*client_, *loops.front(), options_.owner, options_.probe_timeout, apply) {
    watch_ = redis::BreakerWatch::create(
        *client_, *loops.front(), options_.sync_interval, options_.owner,
        [this](const std::string& pool, const std::string& provider, const redis::SharedBreakerState& state) {
            store_.apply(pool, provider, state);
        });
    watch_->start();
    // A router that starts before its first connection is up would decide its first requests
    // alone: a fleet starting together could then overshoot a shared limit at once. So it waits
    // for one, as long as one call may take; a Redis that is down costs that much, once.
    const auto until = std::chrono::steady_clock::now() + options_.call_timeout;
    while (!client_->available() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

SharedState::~SharedState() { close(); }

void SharedState::watch(const Config& config) {
    std::lock_guard lock(watched_mu_);
    for (const PoolConfig& pool : config.pools)
        for (const ProviderConfig& provider : pool.providers)
            if (watched_.emplace(pool.id, provider.name).second) watch_->watch(pool.id, provider.name);
}

void SharedState::close() {
    watch_->stop();
    store_.detach();
    std::unique_ptr<redis::Client> client;
    {
        std::unique_lock lock(client_mu_);
        if (!client_) return;
        closed_counts_ = client_->counts();
        client = std::move(client_);
    }
    // Outside the lock: the client waits for its loops to close the connections, and a loop
    // thread may be waiting for the lock in with_client().
    client.reset();
}

void SharedState::claim_probe(const std::string& pool, const std::string& provider,
                              std::function<void(redis::ProbeClaim)> done) {
    const bool asked = with_client([&](redis::Client& client) {
        redis::SharedBreaker(client, options_.owner, pool, provider).claim_probe(options_.probe_timeout, done);
    });
    if (!asked) done(redis::ProbeClaim::unavailable);
}

bool SharedState::available() const {
    std::shared_lock lock(client_mu_);
    return client_ && client_->available();
}

redis::CallCounts SharedState::counts() const {
    std::shared_lock lock(client_mu_);
    return client_ ? client_->counts() : closed_counts_;
}

std::string SharedState::make_owner(Random& random) {
    char host[HOST_NAME_MAX + 1] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return fmt::format("{}:{}:{:016x}", host, ::getpid(), random.next_u64());
}

Millis SharedState::longest_attempt(const Config& config) {
    Millis longest{0};
    for (const PoolConfig& pool : config.pools)
        for (const ProviderConfig& provider : pool.providers) longest = std::max(longest, provider.timeout);
    return std::max(longest, Millis{1000});
}

}  // namespace sw::state
