// bench_e2e.cpp — end-to-end load: N concurrent requests through sw::Router to the loopback mock,
// against the floor of raw libcurl multi to the same mock at the same concurrency, each measured
// in its own process (so that peak RSS is each one's own) and printed as ratios to the floor.
//   bench_e2e [--requests N] [--concurrency 1,64,256]          compare (the default)
//   bench_e2e --mode floor|router --base URL --requests N --concurrency C   one measurement
#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <curl/curl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "../tests/integration/mock_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kBody = R"({"model":"bench","messages":[{"role":"user","content":"hello"}]})";

struct Measurement {
    double seconds = 0;
    std::vector<double> latencies_us;
    double cpu_seconds = 0;
    long peak_rss_kb = 0;
    int failures = 0;
};

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

// The floor: raw curl multi, `concurrency` handles each sending its next request when done.
Measurement run_floor(const std::string& base, int requests, int concurrency) {
    Measurement m;
    const std::string url = base + "/v1/chat/completions";
    CURLM* multi = curl_multi_init();
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    std::vector<CURL*> handles(static_cast<std::size_t>(concurrency));
    std::vector<Clock::time_point> started(handles.size());
    int sent = 0, done = 0;
    auto send = [&](std::size_t i) {
        curl_multi_remove_handle(multi, handles[i]);
        started[i] = Clock::now();
        curl_multi_add_handle(multi, handles[i]);
        ++sent;
    };
    for (std::size_t i = 0; i < handles.size(); ++i) {
        CURL* e = handles[i] = curl_easy_init();
        curl_easy_setopt(e, CURLOPT_URL, url.c_str());
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, kBody);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &discard);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_PRIVATE, reinterpret_cast<void*>(i));
    }
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < handles.size() && sent < requests; ++i) send(i);
    while (done < requests) {
        int running = 0;
        curl_multi_perform(multi, &running);
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) continue;
            void* p = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
            const auto i = reinterpret_cast<std::size_t>(p);
            long status = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            m.failures += msg->data.result != CURLE_OK || status != 200;
            m.latencies_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - started[i]).count());
            ++done;
            if (sent < requests) send(i);
        }
        curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    }
    m.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    m.cpu_seconds = cpu_seconds() - cpu0;
    for (CURL* e : handles) {
        curl_multi_remove_handle(multi, e);
        curl_easy_cleanup(e);
    }
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    m.peak_rss_kb = peak_rss_kb();
    return m;
}

// libswitch: `concurrency` request chains, each sending its next request from its callback.
Measurement run_router(const std::string& base, int requests, int concurrency) {
    Measurement m;
    const std::string config = fmt::format(
        R"({{"pools":[{{"id":"p","routingStrategy":"round_robin","providers":[{{"name":"mock","provider":"custom",)"
        R"("apiBase":"{}/v1","modelName":"bench"}}]}}],"models":{{"bench":{{"primaryPoolId":"p"}}}}}})",
        base);
    auto loaded = sw::load_config_string(config);
    if (!loaded.ok()) throw std::runtime_error(sw::format_diagnostics_text(loaded));
    // Destroyed explicitly below, before the locals its callbacks use.
    auto router = std::make_unique<sw::Router>(loaded.config);
    std::mutex mutex;
    std::condition_variable cv;
    std::atomic<int> sent{0};
    int done = 0;
    m.latencies_us.reserve(static_cast<std::size_t>(requests));
    std::function<void()> send_next = [&] {
        if (sent.fetch_add(1) >= requests) return;
        const auto start = Clock::now();
        router->chat_async(kBody, [&, start](sw::ChatResponse r) {
            const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
            {
                std::lock_guard<std::mutex> lock(mutex);
                m.latencies_us.push_back(us);
                m.failures += !r.ok();
                ++done;
            }
            cv.notify_one();
            send_next();
        });
    };
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    for (int i = 0; i < concurrency; ++i) send_next();
    {
        std::unique_lock<std::mutex> lock(mutex);
        cv.wait(lock, [&] { return done >= requests; });
    }
    m.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    m.cpu_seconds = cpu_seconds() - cpu0;
    m.peak_rss_kb = peak_rss_kb();
    router.reset();  // joins the I/O thread: no callback runs after this
    return m;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

// One measurement per process, reported as one line: rps p50 p99 cpu_us_per_req rss_mb failures.
int measure(const std::string& mode, const std::string& base, int requests, int concurrency) {
    Measurement m = mode == "floor" ? run_floor(base, requests, concurrency) : run_router(base, requests, concurrency);
    std::printf("%.1f %.1f %.1f %.2f %.1f %d\n", requests / m.seconds, percentile(m.latencies_us, 0.5),
                percentile(m.latencies_us, 0.99), m.cpu_seconds / requests * 1e6, m.peak_rss_kb / 1024.0, m.failures);
    return 0;
}

struct Line {
    double rps, p50, p99, cpu_us, rss_mb;
    int failures;
};

Line run_child(const char* self, const std::string& mode, const std::string& base, int requests, int concurrency) {
    const std::string cmd = fmt::format("'{}' --mode {} --base {} --requests {} --concurrency {}", self, mode, base,
                                        requests, concurrency);
    FILE* pipe = popen(cmd.c_str(), "r");
    Line l{};
    if (!pipe || std::fscanf(pipe, "%lf %lf %lf %lf %lf %d", &l.rps, &l.p50, &l.p99, &l.cpu_us, &l.rss_mb, &l.failures) != 6)
        throw std::runtime_error("measurement failed: " + cmd);
    pclose(pipe);
    return l;
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = "compare", base, levels = "1,64,256";
    int requests = 20000;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--mode") mode = v;
        else if (k == "--base") base = v;
        else if (k == "--requests") requests = std::stoi(v);
        else if (k == "--concurrency") levels = v;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (mode != "compare") return measure(mode, base, requests, std::stoi(levels));

    sw::test::MockProcess mock;
    std::printf("end-to-end, %d requests per run, loopback mock %s\n", requests, mock.base().c_str());
    std::printf("%-6s %-7s %10s %9s %9s %10s %8s | %-32s\n", "conc", "who", "req/s", "p50 us", "p99 us", "cpu us/req",
                "rss MB", "ratio to the floor (rps, p99+, cpu, rss)");
    std::stringstream list(levels);
    std::string level;
    while (std::getline(list, level, ',')) {
        const int c = std::stoi(level);
        // Low concurrency is latency-bound: fewer requests keep the run short.
        const int n = c == 1 ? std::max(200, requests / 20) : requests;
        Line floor = run_child(argv[0], "floor", mock.base(), n, c);
        Line ours = run_child(argv[0], "router", mock.base(), n, c);
        std::printf("%-6d %-7s %10.0f %9.0f %9.0f %10.1f %8.1f |\n", c, "curl", floor.rps, floor.p50, floor.p99, floor.cpu_us,
                    floor.rss_mb);
        std::printf("%-6d %-7s %10.0f %9.0f %9.0f %10.1f %8.1f | %.2fx rps, %+.0f us p99, %.2fx cpu, %.2fx rss%s\n", c,
                    "switch", ours.rps, ours.p50, ours.p99, ours.cpu_us, ours.rss_mb, ours.rps / floor.rps,
                    ours.p99 - floor.p99, ours.cpu_us / floor.cpu_us, ours.rss_mb / floor.rss_mb,
                    ours.failures + floor.failures ? "  (FAILURES)" : "");
        if (ours.failures + floor.failures) return 1;
    }
    return 0;
}
