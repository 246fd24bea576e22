// breaker_watch.cpp — the poll of shared breakers, one tick per interval on one loop.
#include "redis/breaker_watch.hpp"

namespace sw::redis {

std::shared_ptr<BreakerWatch> BreakerWatch::create(Client& client, transport::EventLoop& loop, Millis interval,
                                                   std::string owner, Changed changed) {
    return std::shared_ptr<BreakerWatch>(new BreakerWatch(client, loop, interval, std::move(owner), std::move(changed)));
}

BreakerWatch::BreakerWatch(Client& client, transport::EventLoop& loop, Millis interval, std::string owner,
                           Changed changed)
    : client_(client), loop_(loop), interval_(interval), owner_(std::move(owner)), changed_(std::move(changed)) {}

void BreakerWatch::watch(std::string pool, std::string provider) {
    std::lock_guard lock(mu_);
    auto breaker = std::make_shared<SharedBreaker>(client_, owner_, pool, provider);
    watched_.push_back(Watched{std::move(pool), std::move(provider), std::move(breaker), 0});
}

void BreakerWatch::start() {
    loop_.post([weak = weak_from_this()] {
        if (auto self = weak.lock()) self->tick();
    });
}

void BreakerWatch::stop() { stopped_.store(true, std::memory_order_release); }

void BreakerWatch::tick() {
    if (stopped_.load(std::memory_order_acquire) || loop_.stopping()) return;
    std::vector<std::shared_ptr<SharedBreaker>> breakers;
    {
        std::lock_guard lock(mu_);
        for (const Watched& w : watched_) breakers.push_back(w.breaker);
    }
    // Unavailable answers change nothing: the local breakers go on as they are.
    for (std::size_t i = 0; i < breakers.size(); ++i)
        breakers[i]->read([weak = weak_from_this(), i](SharedBreakerState s) {
            if (auto self = weak.lock(); self && s.available) self->heard(i, s);
        });
    loop_.post_at(loop_.clock().now() + interval_, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->tick();
    });
}

void BreakerWatch::heard(std::size_t index, const SharedBreakerState& state) {
    if (stopped_.load(std::memory_order_acquire)) return;
    std::string pool, provider;
    {
        std::lock_guard lock(mu_);
        Watched& w = watched_[index];
        if (state.epoch <= w.epoch) return;
        w.epoch = state.epoch;
        pool = w.pool;
        provider = w.provider;
    }
    changed_(pool, provider, state);
}

}  // namespace sw::redis
