// redis_state_store.cpp — local breaker transitions out to Redis, the server's state back in.
#include "state/redis_state_store.hpp"

namespace sw::state {

RedisStateStore::RedisStateStore(redis::Client& client, transport::EventLoop& loop, std::string owner,
                                 Millis probe_timeout, Apply apply)
    : client_(client), loop_(loop), owner_(std::move(owner)), probe_timeout_(probe_timeout), apply_(std::move(apply)) {}

void RedisStateStore::publish_transition(const health::StateKey& k, const health::BreakerTransition& t) noexcept {
    std::shared_lock lock(client_mu_);
    if (!detached_) publish_locked(k, t);
}

void RedisStateStore::detach() {
    std::unique_lock lock(client_mu_);
    detached_ = true;
}

void RedisStateStore::publish_locked(const health::StateKey& k, const health::BreakerTransition& t) {
    Key key{std::string(k.pool), std::string(k.provider)};
    redis::SharedBreaker breaker(client_, owner_, key.first, key.second);
    auto answer = [this, key](redis::SharedBreakerState s) { apply(key.first, key.second, s); };
    switch (t.to) {
        case BreakerState::open: {
            const auto left = std::chrono::duration_cast<std::chrono::microseconds>(t.open_until - t.at);
            breaker.publish_open(std::max(left, std::chrono::microseconds{0}), t.permanent_trips, answer);
            break;
        }
        case BreakerState::half_open: {
            {
                std::lock_guard lock(mu_);
                claims_[key] = Claim{true, false};
            }
            breaker.claim_probe(probe_timeout_, [this, key](redis::ProbeClaim) {
                bool close = false;
                {
                    std::lock_guard lock(mu_);
                    Claim& c = claims_[key];
                    c.asking = false;
                    close = std::exchange(c.close_waiting, false);
                }
                if (!close) return;
                std::shared_lock client_lock(client_mu_);
                if (!detached_) send_close(key, false);
            });
            break;
        }
        case BreakerState::closed: {
            if (!t.manual) {
                std::lock_guard lock(mu_);
                auto it = claims_.find(key);
                if (it != claims_.end() && it->second.asking) {
                    it->second.close_waiting = true;
                    return;
                }
            }
            send_close(key, t.manual);
            break;
        }
    }
}

void RedisStateStore::send_close(const Key& key, bool manual) {
    redis::SharedBreaker(client_, owner_, key.first, key.second)
        .publish_close(manual, [this, key](redis::SharedBreakerState s) { apply(key.first, key.second, s); });
}

void RedisStateStore::apply(const std::string& pool, const std::string& provider, const redis::SharedBreakerState& s) {
    if (!s.available) return;  // no answer: the local breaker goes on as it is
    const health::SharedBreakerView view{s.open, std::chrono::duration_cast<Nanos>(s.open_left), s.trips, s.epoch};
    // Neither `this` nor anything of it: the post may run after the store is gone (the loop
    // runs what is left as it stops). The apply function answers for its ProviderStates.
    loop_.post([apply = apply_, pool, provider, view] { apply(health::StateKey{pool, provider}, view); });
}

}  // namespace sw::state
