// shared_state.hpp — one router's state shared with other processes through Redis
// (docs/scaling.md): the connection pool on the router's I/O threads, the store that publishes
// its breaker transitions, and the watch that hears the other processes'. Built when the config
// names a `redis.url`; without one a router keeps its state to itself and none of this exists.
#pragma once

#include "redis/breaker_watch.hpp"
#include "redis/client.hpp"
#include "state/redis_state_store.hpp"

#include <switch/config.hpp>

#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

namespace sw::state {

struct SharedStateOptions {
    RedisUrl url;        // its password already replaced by `redis.password` when set
    Millis call_timeout{100};
    int pool_size = 10;
    // How often the breakers of other processes are read: an open anywhere reaches this process
    // within sync_interval + call_timeout.
    Millis sync_interval{250};
    // The lifetime of a half-open probe's claim on the server: the longest a probe can take.
    Millis probe_timeout{30000};
    std::string owner;   // this process in probe claims (make_owner)
};

class SharedState {
public:
    // `apply` takes what the server says of a breaker to the router's current providers;
    // `availability` hears when sharing stops and resumes (redis::Client). The loops must be
    // running, and outlive close().
    SharedState(std::vector<transport::EventLoop*> loops, SharedStateOptions options, RedisStateStore::Apply apply,
                redis::Client::AvailabilityListener availability);
    ~SharedState();
    SharedState(const SharedState&) = delete;
    SharedState& operator=(const SharedState&) = delete;

    // The store for the router's cores. It outlives close(): transitions after it stay local.
    health::StateStore& store() { return store_; }

    // Runs `use(client)` and returns true, unless close() has begun: then false, and the caller
    // decides locally. From any thread; `use` must not block (client calls never do).
    template <typename Use>
    bool with_client(Use&& use) {
        std::shared_lock lock(client_mu_);
        if (!client_) return false;
        use(*client_);
        return true;
    }
    // Asks the server for the one half-open probe of a provider across every process; `done`
    // runs once, on any thread, within the call timeout (`unavailable` once closed).
    void claim_probe(const std::string& pool, const std::string& provider, std::function<void(redis::ProbeClaim)> done);
    // How long a claim lasts, and so how long a process that lost it keeps the breaker open.
    Millis probe_timeout() const { return options_.probe_timeout; }

    // Whether a connection is up, and the calls so far by result (for the metrics).
    bool available() const;
    redis::CallCounts counts() const;

    // Reads every (pool, provider) of `config` from now on (a reload adds what it adds; a removed
    // provider's reads find nothing to apply it to).
    void watch(const Config& config);
    // Ends every use of Redis: the watch stops, the store stays local, the connections close.
    // Before the loops stop, and not on one of their threads. Idempotent.
    void close();

    // "host:pid:random": unique per process, so that a probe claim names its winner.
    static std::string make_owner(Random& random);
    // The longest time any provider of `config` may take for one attempt: a probe claim's lifetime.
    static Millis longest_attempt(const Config& config);

private:
    const SharedStateOptions options_;
    mutable std::shared_mutex client_mu_;  // exclusive only while close() takes client_ away
    std::unique_ptr<redis::Client> client_;
    redis::CallCounts closed_counts_;      // the counts when close() took the client away
    RedisStateStore store_;
    std::shared_ptr<redis::BreakerWatch> watch_;
    std::mutex watched_mu_;
    std::set<std::pair<std::string, std::string>> watched_;
};

}  // namespace sw::state
