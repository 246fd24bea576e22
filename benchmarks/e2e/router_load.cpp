// router_load.cpp — load through sw::Router: chains of chat_async / chat_stream_async requests.
#include "router_load.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace bench {

std::shared_ptr<const sw::Config> load_bench_config(const std::string& path, const RouteSetup& setup) {
    sw::LoadOptions options;
    options.env = [&setup](const std::string& name) -> std::optional<std::string> {
        if (name == "BENCH_BASE") return setup.base;
        if (name == "BENCH_PRIMARY_MODEL") return setup.primary_model;
        if (name == "BENCH_FALLBACK_MODEL") return setup.fallback_model;
        return sw::process_env(name);
    };
    sw::LoadResult loaded = sw::load_config_file(path, options);
    if (!loaded.ok()) throw std::runtime_error(sw::format_diagnostics_text(loaded));
    return loaded.config;
}

namespace {

Clock::duration seconds(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

double micros_since(Clock::time_point t) { return std::chrono::duration<double, std::micro>(Clock::now() - t).count(); }

// `concurrency` chains: each request's done callback (on one of the router's I/O threads) records it and
// sends the chain's next one, until the phase's count or time is used up.
class Chains {
public:
    Chains(bool stream, bool failover) : stream_(stream), failover_(failover) {
        body_ = request_body("bench", stream);
    }

    // One phase; records into `m` when not null. Returns false when it had to give up on requests
    // still in flight at `give_up_at` (the caller then destroys the router, which cancels them).
    bool run(sw::Router& router, int count, int concurrency, Measurement* m, Clock::time_point issue_until,
             Clock::time_point give_up_at) {
        router_ = &router;
        count_ = count;
        m_ = m;
        issue_until_ = issue_until;
        sent_ = 0;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            active_ = concurrency;
            issued_ = completed_ = 0;
        }
        for (int i = 0; i < concurrency; ++i) send_next();
        std::unique_lock<std::mutex> lock(mutex_);
        if (cv_.wait_until(lock, give_up_at, [&] { return active_ == 0; })) return true;
        stopping_ = true;
        if (m_) m_->failures += issued_ - completed_;
        return false;
    }

private:
    void send_next() {
        if (stopping_ || sent_.fetch_add(1) >= count_ || Clock::now() >= issue_until_) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (--active_ == 0) cv_.notify_all();
            return;
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            ++issued_;
        }
        const auto start = Clock::now();
        if (!stream_) {
            router_->chat_async(body_, [this, start](sw::ChatResponse r) { finish(r, micros_since(start), -1); });
            return;
        }
        auto first = std::make_shared<double>(-1);
        router_->chat_stream_async(
            body_,
            [first, start](std::string_view) {
                if (*first < 0) *first = micros_since(start);
            },
            [this, start, first](sw::ChatResponse r) { finish(r, micros_since(start), *first); });
    }

    void finish(const sw::ChatResponse& r, double latency_us, double ttft_us) {
        if (stopping_) return;  // given up: the router is being destroyed
        {
            std::lock_guard<std::mutex> lock(mutex_);
            ++completed_;
            if (m_) {
                if (r.ok()) {
                    m_->latencies_us.push_back(latency_us);
                    if (stream_) m_->ttft_us.push_back(ttft_us);
                } else {
                    ++m_->failures;
                }
                if (failover_ && r.trace.used_fallback) ++m_->fallbacks;
            }
        }
        send_next();
    }

    bool stream_, failover_;
    std::string body_;
    sw::Router* router_ = nullptr;
    int count_ = 0;
    Measurement* m_ = nullptr;
    Clock::time_point issue_until_;
    std::atomic<int> sent_{0};
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable cv_;
    int active_ = 0, issued_ = 0, completed_ = 0;
};

}  // namespace

Measurement run_router(std::shared_ptr<const sw::Config> config, const LoadSpec& spec) {
    Measurement m;
    m.workload = spec.workload;
    m.concurrency = spec.concurrency;
    const bool failover = spec.workload == "failover";
    m.fallbacks = failover ? 0 : -1;
    Chains chains(spec.workload == "stream", failover);
    sw::RouterOptions options;
    options.io_threads = static_cast<std::size_t>(std::max(0, spec.io_threads));
    auto router = std::make_unique<sw::Router>(std::move(config), options);  // destroyed before `chains`
    const auto w0 = Clock::now();
    const bool warmed = chains.run(*router, spec.warmup, spec.concurrency, nullptr, w0 + seconds(spec.max_seconds),
                                   w0 + seconds(spec.max_seconds + spec.drain_seconds));
    if (!warmed) throw std::runtime_error("the warm-up did not finish in time");
    const double cpu0 = self_cpu_seconds();
    const auto t0 = Clock::now();
    chains.run(*router, spec.requests, spec.concurrency, &m, t0 + seconds(spec.max_seconds),
               t0 + seconds(spec.max_seconds + spec.drain_seconds));
    m.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    m.cpu_seconds = self_cpu_seconds() - cpu0;
    m.rss_mib = self_peak_rss_mib();
    router.reset();  // joins the I/O thread: no callback runs after this
    return m;
}

OpenStreams open_streams_router(std::shared_ptr<const sw::Config> config, int streams, double max_seconds) {
    OpenStreams r;
    r.streams = streams;
    std::atomic<int> opened{0}, failed{0};
    const std::string body = request_body("bench", true);
    auto router = std::make_unique<sw::Router>(std::move(config));
    const auto t0 = Clock::now();
    for (int i = 0; i < streams; ++i) {
        auto first = std::make_shared<std::atomic<bool>>(false);
        router->chat_stream_async(
            body,
            [first, &opened](std::string_view) {
                if (!first->exchange(true)) opened.fetch_add(1);
            },
            [first, &failed](sw::ChatResponse) {
                if (!first->load()) failed.fetch_add(1);  // ended (or failed) before its first chunk
            });
    }
    const auto give_up_at = t0 + seconds(max_seconds);
    while (opened.load() + failed.load() < streams && Clock::now() < give_up_at)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    r.open_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    r.opened = opened.load();
    r.failures = failed.load();
    r.rss_mib = self_peak_rss_mib();
    router.reset();  // cancels every stream; the done callbacks run before this returns
    return r;
}

}  // namespace bench
