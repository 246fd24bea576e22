// redis_state_store.hpp — the StateStore (health/state_store.hpp) that shares breakers through
// Redis: each local transition is published (redis/shared_breaker.hpp), and every answer of the
// server, to a publish or to the BreakerWatch's reads, is applied to the local ProviderState
// (ProviderState::apply_shared) on an I/O thread, never inline: publishes come from request
// threads, some under the provider's lock.
//
// The half-open probe: the process whose local breaker half-opens claims the probe on the server
// at that moment, and sends its close only after the claim's answer, so that the server accepts
// the close of the claim's winner only. The request driver asks for the same claim before it
// sends the probe (the holder asking again is answered claimed), so one probe goes in all.
// Limit use is not published here: the shared limits are asked in the request path
// (api/shared_admission.hpp), before the attempt is sent.
#pragma once

#include "health/provider_state.hpp"
#include "health/state_store.hpp"
#include "redis/breaker_watch.hpp"
#include "redis/shared_breaker.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>

namespace sw::state {

class RedisStateStore final : public health::StateStore {
public:
    // Applies the server's view of one breaker to the local ProviderState of `key`, if one is
    // still configured (ProviderState::apply_shared). Called on `loop`, possibly after the store
    // is gone (as the loop runs what is left when it stops): it must answer for its own states.
    using Apply = std::function<void(const health::StateKey& key, const health::SharedBreakerView& view)>;

    // `owner`: this process's id in probe claims. `probe_timeout`: a claim's lifetime. The client
    // must be destroyed before the store (its close answers the calls under way).
    RedisStateStore(redis::Client& client, transport::EventLoop& loop, std::string owner, Millis probe_timeout,
                    Apply apply);

    bool shared() const noexcept override { return true; }
    void publish_transition(const health::StateKey& key, const health::BreakerTransition& t) noexcept override;
    void record_limit_use(const health::StateKey&, const health::LimitUse&) noexcept override {}

    // Applies the server's state of one breaker to the local one, on `loop`. Answers of every
    // publish come here, and a BreakerWatch's reports should too.
    void apply(const std::string& pool, const std::string& provider, const redis::SharedBreakerState& state);

    // Stops every call to the client: transitions from now on stay local. After it returns the
    // client may be destroyed while requests still run (their transitions race the shutdown).
    void detach();

private:
    using Key = std::pair<std::string, std::string>;
    struct Claim {
        bool asking = false;       // a claim was sent and has not been answered
        bool close_waiting = false;  // a close came meanwhile: sent after the answer
    };
    void send_close(const Key& key, bool manual);
    void publish_locked(const health::StateKey& key, const health::BreakerTransition& t);

    redis::Client& client_;
    transport::EventLoop& loop_;
    const std::string owner_;
    const Millis probe_timeout_;
    const Apply apply_;
    // Held shared by every use of the client, exclusively by detach().
    std::shared_mutex client_mu_;
    bool detached_ = false;
    std::mutex mu_;
    std::map<Key, Claim> claims_;
};

}  // namespace sw::state
