// redis_state_store.hpp — the StateStore (health/state_store.hpp) that shares breakers through
// Redis: each local transition is published (redis/shared_breaker.hpp), and every answer of the
// server, to a publish or to the BreakerWatch's reads, is applied to the local ProviderState
// (ProviderState::apply_shared) on an I/O thread, never inline: publishes come from request
// threads, some under the provider's lock.
//
// The half-open probe: the process whose local breaker half-opens claims the probe on the server
// at that moment, and sends its close only after the claim's answer, so that the server accepts
// the close of the claim's winner only. (The claim does not yet gate the local probe itself: one
// probe per process may go, until the request driver asks for the claim first; REDIS_NOTES.md.)
// Limit use is not published here: the shared limits belong in the request path (section 2 of
// REDIS_NOTES.md).
#pragma once

#include "health/provider_state.hpp"
#include "health/state_store.hpp"
#include "redis/breaker_watch.hpp"
#include "redis/shared_breaker.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace sw::state {

class RedisStateStore final : public health::StateStore {
public:
    // The ProviderState of a key, or null (a provider no longer configured). Called on `loop`.
    using Lookup = std::function<health::ProviderState*(const health::StateKey&)>;

    // `owner`: this process's id in probe claims. `probe_timeout`: a claim's lifetime. The client
    // must be destroyed before the store (its close answers the calls under way).
    RedisStateStore(redis::Client& client, transport::EventLoop& loop, std::string owner, Millis probe_timeout,
                    Lookup lookup);

    bool shared() const noexcept override { return true; }
    void publish_transition(const health::StateKey& key, const health::BreakerTransition& t) noexcept override;
    void record_limit_use(const health::StateKey&, const health::LimitUse&) noexcept override {}

    // Applies the server's state of one breaker to the local one, on `loop`. Answers of every
    // publish come here, and a BreakerWatch's reports should too.
    void apply(const std::string& pool, const std::string& provider, const redis::SharedBreakerState& state);

private:
    using Key = std::pair<std::string, std::string>;
    struct Claim {
        bool asking = false;       // a claim was sent and has not been answered
        bool close_waiting = false;  // a close came meanwhile: sent after the answer
    };
    void send_close(const Key& key, bool manual);

    redis::Client& client_;
    transport::EventLoop& loop_;
    const std::string owner_;
    const Millis probe_timeout_;
    const Lookup lookup_;
    std::mutex mu_;
    std::map<Key, Claim> claims_;
};

}  // namespace sw::state
