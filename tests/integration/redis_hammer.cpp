// redis_hammer.cpp — one of the processes of the shared-limit test: asks the shared limiter for
// COUNT requests of one provider at once, from its own I/O threads and connection pool, and
// prints what it heard: "admitted REFUSED UNAVAILABLE ANSWERED".
//   redis_hammer URL KEY PER_MINUTE COUNT
#include "redis/limit_scripts.hpp"
#include "redis_support.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: redis_hammer URL KEY PER_MINUTE COUNT\n");
        return 2;
    }
    const std::string url = argv[1];
    const std::string key = argv[2];
    const std::uint64_t per_minute = std::strtoull(argv[3], nullptr, 10);
    const int count = std::atoi(argv[4]);
    std::atomic<int> admitted{0}, refused{0}, unavailable{0}, answered{0};
    {
        sw::transport::HttpEngine a, b;
        auto options = sw::test::loopback_options(url);
        // The test is of the limit, not of the timeout: a loaded (or sanitized) machine must not
        // turn answers into timeouts.
        options.call_timeout = sw::Millis(2000);
        sw::redis::Client client({&a, &b}, options, 2);
        if (!sw::test::wait_until([&] { return client.up_count() == 2; })) {
            std::fprintf(stderr, "redis_hammer: no connection\n");
            return 1;
        }
        sw::redis::SharedLimiter limiter(client);
        for (int i = 0; i < count; ++i) {
            limiter.take({{key, per_minute, 1}}, [&](sw::redis::LimitDecision d) {
                using V = sw::redis::LimitDecision::Verdict;
                (d.verdict == V::admitted ? admitted : d.verdict == V::refused ? refused : unavailable).fetch_add(1);
                answered.fetch_add(1);
            });
        }
        sw::test::wait_until([&] { return answered.load() == count; }, std::chrono::seconds(20));
    }
    std::printf("%d %d %d %d\n", admitted.load(), refused.load(), unavailable.load(), answered.load());
    return 0;
}
