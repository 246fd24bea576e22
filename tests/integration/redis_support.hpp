// redis_support.hpp — waiting on the asynchronous Redis client from a test's thread.
#pragma once

#include "redis/client.hpp"
#include "redis/shared_limiter.hpp"
#include "transport/http_engine.hpp"

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
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

// Starts an asynchronous call with `start(done)` and waits for the value `done` is given: 10 s at
// most, since every call answers within its timeout, so a test that waits longer has found a
// hang (`what` names it).
template <typename T, typename Start>
T answer_of(Start&& start, const char* what) {
    auto p = std::make_shared<std::promise<T>>();
    auto f = p->get_future();
    start([p](T value) { p->set_value(std::move(value)); });
    if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
        throw std::runtime_error(std::string(what) + " hung");
    return f.get();
}

inline redis::Result call_sync(redis::Client& client, std::vector<std::string> args) {
    return answer_of<redis::Result>([&](auto done) { client.call(std::move(args), std::move(done)); }, "a Redis call");
}

inline redis::LimitDecision take_sync(redis::SharedLimiter& limiter, const std::vector<redis::LimitUnits>& limits) {
    return answer_of<redis::LimitDecision>([&](auto done) { limiter.take(limits, std::move(done)); }, "a take");
}

inline redis::CallStatus adjust_sync(redis::SharedLimiter& limiter, const std::vector<redis::LimitUnits>& limits) {
    return answer_of<redis::CallStatus>([&](auto done) { limiter.adjust(limits, std::move(done)); }, "an adjust");
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
