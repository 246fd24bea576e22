// router_load.hpp — a closed loop of chat requests through a Router, for the benchmarks that
// compare a router configured two ways (bench_cache, bench_shared_state): `concurrency`
// requests in flight, each answer sending the next from its callback, timed on the wall clock.
#pragma once

#include <switch/router.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace bench {

struct Run {
    double seconds = 0;
    std::size_t failed = 0, hits = 0;  // requests that failed; answers from the response cache
};

// `total` requests of `question(n)`: n counts from `first`, or is always 0 with `same`.
inline Run load(sw::Router& router, std::size_t total, std::size_t concurrency, std::string (*question)(std::size_t),
                bool same, std::size_t first = 1) {
    std::atomic<std::size_t> next{0}, done{0}, failed{0}, hits{0};
    std::mutex m;
    std::condition_variable cv;
    std::function<void()> send = [&] {
        const std::size_t i = next.fetch_add(1);
        if (i >= total) return;
        router.chat_async(question(same ? 0 : first + i), [&](sw::ChatResponse r) {
            if (!r.ok()) failed.fetch_add(1);
            if (r.trace.cache_hit) hits.fetch_add(1);
            send();
            if (done.fetch_add(1) + 1 == total) {
                std::lock_guard lock(m);
                cv.notify_all();
            }
        });
    };
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < concurrency; ++i) send();
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return done.load() == total; });
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), failed.load(), hits.load()};
}

}  // namespace bench
