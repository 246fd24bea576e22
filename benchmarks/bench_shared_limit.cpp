// bench_shared_limit.cpp — what the shared per-minute limit costs (docs/scaling.md): one take
// through the Redis pool and the server's script, against the local limiter's take, at 1, 64 and
// 256 takes in flight (closed loop: each answer starts the next), on a throwaway redis-server on
// loopback (or --url). Reports each concurrency's mean latency and throughput, and the ratio of a
// shared take's latency to a local one's, in one run. The limit is set high enough never to
// refuse, so every take runs the whole script.
//   bench_shared_limit [--takes N] [--pool P] [--url redis://...]
#include "../tests/integration/redis_server.hpp"
#include "../tests/integration/redis_support.hpp"

#include "health/rate_limiter.hpp"
#include "redis/limit_scripts.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>

using Clock = std::chrono::steady_clock;

namespace {

struct Args {
    int takes = 20000;
    int pool = 4;
    std::string url;
};

// The local limiter's take, in ns: the floor the shared one is compared with.
double local_take_ns() {
    sw::health::RateLimiter limiter;
    limiter.configure(1'000'000'000);
    constexpr int kN = 1'000'000;
    sw::SteadyClock clock;
    const auto start = Clock::now();
    int admitted = 0;
    for (int i = 0; i < kN; ++i) admitted += limiter.try_take(clock.now(), 1) ? 1 : 0;
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count() / kN;
    if (admitted != kN) std::fprintf(stderr, "local limiter refused %d\n", kN - admitted);
    return ns;
}

struct Run {
    double mean_us = 0;
    double per_second = 0;
    int unavailable = 0;
};

// `inflight` takes kept going until `total` have been answered.
Run shared_run(sw::redis::SharedLimiter& limiter, int inflight, int total) {
    const std::string key = sw::redis::limit_key("bench", fmt::format("c{}", inflight), "rpm");
    std::atomic<int> started{0}, answered{0}, unavailable{0};
    std::atomic<std::int64_t> latency_ns{0};
    std::mutex mu;
    std::condition_variable cv;
    std::function<void()> next;
    next = [&] {
        if (started.fetch_add(1) >= total) return;
        const auto t0 = Clock::now();
        limiter.take({{key, 1'000'000'000, 1}}, [&, t0](sw::redis::LimitDecision d) {
            latency_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
            if (d.verdict != sw::redis::LimitDecision::Verdict::admitted) unavailable.fetch_add(1);
            if (answered.fetch_add(1) + 1 == total) {
                std::lock_guard lock(mu);
                cv.notify_all();
            }
            next();
        });
    };
    const auto start = Clock::now();
    for (int i = 0; i < inflight; ++i) next();
    {
        std::unique_lock lock(mu);
        cv.wait_for(lock, std::chrono::seconds(120), [&] { return answered.load() >= total; });
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    Run r;
    r.mean_us = static_cast<double>(latency_ns.load()) / 1000.0 / std::max(1, answered.load());
    r.per_second = answered.load() / seconds;
    r.unavailable = unavailable.load();
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--takes")) args.takes = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--pool")) args.pool = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--url")) args.url = argv[i + 1];
    }
    std::unique_ptr<sw::test::RedisServer> server;
    if (args.url.empty()) {
        auto bin = sw::test::redis_server_path();
        if (!bin) {
            std::fprintf(stderr, "redis-server is not installed (tools/deps.sh installs it); or give --url\n");
            return 1;
        }
        server = std::make_unique<sw::test::RedisServer>(*bin);
        args.url = server->url();
    }
    const double local_ns = local_take_ns();
    sw::transport::HttpEngine a, b;
    auto options = sw::test::loopback_options(args.url);
    options.call_timeout = sw::Millis(2000);  // measured, not cut
    sw::redis::Client client({&a, &b}, options, args.pool);
    if (!sw::test::wait_until([&] { return client.up_count() == client.size(); })) {
        std::fprintf(stderr, "no connection to %s\n", sw::describe_redis_url(options.url).c_str());
        return 1;
    }
    sw::redis::SharedLimiter limiter(client);
    shared_run(limiter, 16, 2000);  // warm: scripts loaded, connections busy once
    std::printf("local take: %.1f ns\n", local_ns);
    std::printf("%-10s %12s %14s %18s %12s\n", "in flight", "mean (us)", "takes/s", "ratio to local", "unanswered");
    for (int inflight : {1, 64, 256}) {
        const Run r = shared_run(limiter, inflight, args.takes);
        std::printf("%-10d %12.1f %14.0f %18.0f %12d\n", inflight, r.mean_us, r.per_second, r.mean_us * 1000.0 / local_ns,
                    r.unavailable);
    }
    return 0;
}
