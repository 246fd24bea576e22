// measure.cpp — CPU, RSS, percentiles and the JSON line of a measurement.
#include "measure.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace bench {

double self_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// VmHWM, not getrusage's ru_maxrss: Linux folds the pre-exec image into ru_maxrss, so a child of a
// large process (a Python harness) would report its parent's size.
double self_peak_rss_mib() { return process_peak_rss_mib(getpid()); }

double process_cpu_seconds(pid_t pid) {
    std::ifstream in(fmt::format("/proc/{}/stat", pid));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const auto close = text.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    double utime = -1, stime = -1;
    // Fields 3.. follow the name; utime and stime are fields 14 and 15 (man 5 proc).
    for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14) utime = std::stod(field);
        if (index == 15) stime = std::stod(field);
    }
    if (utime < 0 || stime < 0) return -1;
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double process_peak_rss_mib(pid_t pid) {
    std::ifstream in(fmt::format("/proc/{}/status", pid));
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // in kB
    return -1;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
            continue;
        }
        out += c;
    }
    return out + "\"";
}

namespace {
std::string number_or_null(bool present, double value) { return present ? fmt::format("{:.1f}", value) : "null"; }
}  // namespace

std::string json_line(const Measurement& m) {
    const auto done = static_cast<double>(m.latencies_us.size());
    const bool streamed = !m.ttft_us.empty();
    std::string line = fmt::format(
        R"({{"contender":{},"workload":{},"concurrency":{},"requests":{},"seconds":{:.3f},"rps":{:.1f},)"
        R"("p50_us":{:.1f},"p99_us":{:.1f},"ttft_p50_us":{},"ttft_p99_us":{},"cpu_s_per_1k":{:.4f},)"
        R"("rss_mib":{:.1f},"failures":{})",
        json_string(m.contender), json_string(m.workload), m.concurrency, m.latencies_us.size(), m.seconds,
        m.seconds > 0 ? done / m.seconds : 0.0, percentile(m.latencies_us, 0.5), percentile(m.latencies_us, 0.99),
        number_or_null(streamed, percentile(m.ttft_us, 0.5)), number_or_null(streamed, percentile(m.ttft_us, 0.99)),
        done > 0 ? m.cpu_seconds / done * 1000.0 : 0.0, m.rss_mib, m.failures);
    if (m.fallbacks >= 0) line += fmt::format(R"(,"fallbacks":{})", m.fallbacks);
    return line + "}";
}

}  // namespace bench
