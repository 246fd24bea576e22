// measure.hpp — what one end-to-end measurement records, how CPU and peak RSS are read (of this
// process, or of another one through /proc), and the JSON line every measurement prints.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

// One load run: `requests` logical requests at `concurrency`, after `warmup` unmeasured ones.
// Bounded in count and in time: no request is started `max_seconds` after the measured phase began,
// and whatever is still in flight `max_seconds + drain_seconds` after it began counts as failed.
struct LoadSpec {
    std::string workload = "chat";  // chat | stream | failover
    int requests = 2000;
    int concurrency = 1;
    int warmup = 0;
    double max_seconds = 60;
    double drain_seconds = 30;
    int io_threads = 0;  // the switch contender's RouterOptions::io_threads; 0: the library's default
};

struct Measurement {
    std::string contender;
    std::string workload;
    int concurrency = 0;
    double seconds = 0;                // the measured phase, first send to last answer
    std::vector<double> latencies_us;  // whole request (whole stream), one per completed request
    std::vector<double> ttft_us;       // streams: time to the first content chunk
    double cpu_seconds = 0;            // of the measured process, over the measured phase
    double rss_mib = 0;                // its peak resident set (VmHWM), at the end
    int failures = 0;
    int fallbacks = -1;  // requests the contender reports as served by the fallback; -1: unknown
};

// This process: user + system CPU seconds (all threads), and peak RSS (VmHWM) in MiB.
double self_cpu_seconds();
double self_peak_rss_mib();

// Another process, read from /proc/PID/stat and /proc/PID/status; negative when unreadable.
double process_cpu_seconds(pid_t pid);
double process_peak_rss_mib(pid_t pid);

double percentile(std::vector<double> values, double p);

// {"contender":...,"workload":...,"concurrency":...,"requests":...,"rps":...,"p50_us":...,...}
std::string json_line(const Measurement& m);

// A JSON string literal for `s` (quotes included).
std::string json_string(const std::string& s);

}  // namespace bench
