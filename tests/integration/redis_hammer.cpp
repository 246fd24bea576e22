// redis_hammer.cpp — one of the processes of the cross-process tests, each with its own I/O
// threads and connection pool:
//   redis_hammer URL KEY PER_MINUTE COUNT
//       asks the shared limiter for COUNT requests of one provider at once and prints
//       "ADMITTED REFUSED UNAVAILABLE ANSWERED";
//   redis_hammer probe URL POOL PROVIDER MILLIS
//       tries to claim the provider's half-open probe every millisecond for MILLIS ms, until
//       it holds it, and prints "CLAIMED UNAVAILABLE";
//   redis_hammer router CONFIG_FILE COUNT
//       sends COUNT chat requests at once through a Router on the JSON config in CONFIG_FILE
//       and prints "OK FAILED SERVED_BY_A", A being the provider named "a".
#include "redis/limit_scripts.hpp"
#include "redis/shared_breaker.hpp"
#include "redis_support.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <vector>

namespace {

int limit(const std::string& url, const std::string& key, std::uint64_t per_minute, int count) {
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

int probe(const std::string& url, const std::string& pool, const std::string& provider, int millis) {
    int claimed = 0, unavailable = 0;
    {
        sw::transport::HttpEngine loop;
        auto options = sw::test::loopback_options(url);
        options.call_timeout = sw::Millis(2000);
        sw::redis::Client client({&loop}, options, 1);
        if (!sw::test::wait_until([&] { return client.available(); })) {
            std::fprintf(stderr, "redis_hammer: no connection\n");
            return 1;
        }
        sw::redis::SharedBreaker breaker(client, "hammer-" + std::to_string(::getpid()), pool, provider);
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(millis);
        while (std::chrono::steady_clock::now() < end) {
            auto p = std::make_shared<std::promise<sw::redis::ProbeClaim>>();
            auto f = p->get_future();
            // The claim outlives the run: nobody may take it again within the test.
            breaker.claim_probe(std::chrono::seconds(30), [p](sw::redis::ProbeClaim c) { p->set_value(c); });
            const sw::redis::ProbeClaim c = f.get();
            // The holder asking again is answered claimed too: one claim is the process's answer.
            if (c == sw::redis::ProbeClaim::claimed) {
                ++claimed;
                break;
            }
            if (c == sw::redis::ProbeClaim::unavailable) ++unavailable;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    std::printf("%d %d\n", claimed, unavailable);
    return 0;
}

int router(const std::string& config_file, int count) {
    std::ifstream in(config_file);
    std::stringstream text;
    text << in.rdbuf();
    auto loaded = sw::load_config_string(text.str(), sw::ConfigFormat::json, config_file);
    if (!loaded.ok()) {
        std::fprintf(stderr, "redis_hammer: %s\n", sw::format_diagnostics_text(loaded).c_str());
        return 1;
    }
    int ok = 0, failed = 0, served_by_a = 0;
    {
        sw::Router r(loaded.config);
        std::vector<std::future<sw::ChatResponse>> answers;
        for (int i = 0; i < count; ++i)
            answers.push_back(r.chat_async(R"({"model":"chat","messages":[{"role":"user","content":"hi"}]})"));
        for (auto& f : answers) {
            const sw::ChatResponse response = f.get();
            (response.ok() ? ok : failed) += 1;
            if (response.ok() && response.trace.provider == "a") ++served_by_a;
        }
    }
    std::printf("%d %d %d\n", ok, failed, served_by_a);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 6 && std::string(argv[1]) == "probe") return probe(argv[2], argv[3], argv[4], std::atoi(argv[5]));
    if (argc == 4 && std::string(argv[1]) == "router") return router(argv[2], std::atoi(argv[3]));
    if (argc == 5) return limit(argv[1], argv[2], std::strtoull(argv[3], nullptr, 10), std::atoi(argv[4]));
    std::fprintf(stderr, "usage: redis_hammer URL KEY PER_MINUTE COUNT | redis_hammer probe URL POOL PROVIDER MILLIS\n");
    return 2;
}
