// redis_support.hpp — waiting on the asynchronous Redis client from a test's thread.
#pragma once

#include "redis/client.hpp"
#include "redis/shared_limiter.hpp"
#include "transport/http_engine.hpp"

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <thread>

namespace sw::test {

// Polls `pred` every 2 ms until it holds or `timeout` passes; whether it held.
inline bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

// One call, waited for (10 s at most: every call answers within its timeout, so a test that
// waits longer has found a hang).
inline redis::Result call_sync(redis::Client& client, std::vector<std::string> args) {
    auto p = std::make_shared<std::promise<redis::Result>>();
    auto f = p->get_future();
    client.call(std::move(args), [p](redis::Result r) { p->set_value(std::move(r)); });
    if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready) throw std::runtime_error("a Redis call hung");
    return f.get();
}

inline redis::LimitDecision take_sync(redis::SharedLimiter& limiter, const std::vector<redis::LimitUnits>& limits) {
    auto p = std::make_shared<std::promise<redis::LimitDecision>>();
    auto f = p->get_future();
    limiter.take(limits, [p](redis::LimitDecision d) { p->set_value(d); });
    if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready) throw std::runtime_error("a take hung");
    return f.get();
}

inline redis::CallStatus adjust_sync(redis::SharedLimiter& limiter, const std::vector<redis::LimitUnits>& limits) {
    auto p = std::make_shared<std::promise<redis::CallStatus>>();
    auto f = p->get_future();
    limiter.adjust(limits, [p](redis::CallStatus s) { p->set_value(s); });
    if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready) throw std::runtime_error("an adjust hung");
    return f.get();
}

// A client's options for a loopback server: `url` parsed (it must parse).
inline redis::ConnectionOptions loopback_options(const std::string& url) {
    std::string error;
    auto parsed = parse_redis_url(url, error);
    if (!parsed) throw std::runtime_error("bad test URL: " + error);
    redis::ConnectionOptions options;
    options.url = std::move(*parsed);
    return options;
}

}  // namespace sw::test
