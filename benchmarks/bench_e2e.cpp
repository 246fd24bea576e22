// bench_e2e.cpp — end-to-end load: concurrent requests through sw::Router to the loopback mock,
// against the floor of raw libcurl multi to the same mock at the same concurrency, each measured
// in its own process (so that peak RSS is each one's own) and printed as ratios to the floor.
//
//   bench_e2e [--requests N] [--concurrency 1,64,256] [--json]
//       compare, chat completions (the default). --json prints each measurement as a JSON line too.
//   bench_e2e --mode floor|switch --workload chat|stream|failover --base URL --requests N --concurrency C
//             [--warmup N] [--seconds S] [--primary-model M] [--fallback-model M] [--config FILE]
//             [--io-threads N]
//       one measurement, printed as one JSON line (e2e/measure.hpp). The floor sends each request
//       straight to the primary model (for failover: then to the fallback model after its 503);
//       switch routes model "bench" with --config, whose ${BENCH_*} variables these options fill,
//       on --io-threads I/O threads (default: $SWITCH_BENCH_IO_THREADS, else the library's default).
//   bench_e2e --mode http --url URL --model M [--header 'Name: value']... --pid PID --label NAME ...
//       the same load sent to an HTTP gateway; the CPU and peak RSS are those of process PID.
//   bench_e2e --mode floor|switch --workload open_streams --base URL --streams N [--seconds S] ...
//       opens N streams at once and prints the peak RSS once every one has its first chunk.
//   bench_e2e --mode config --pools 1000 --providers 10 [--runs 5] [--write FILE]
//       times loading and validating a generated configuration (and writes it, for switchctl).
#include "e2e/config_scale.hpp"
#include "e2e/curl_load.hpp"
#include "e2e/measure.hpp"
#include "e2e/router_load.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../tests/integration/mock_process.hpp"

namespace {

struct Args {
    std::map<std::string, std::string> values;
    std::vector<std::string> headers;
    bool json = false;

    std::string get(const std::string& key, const std::string& fallback = "") const {
        auto it = values.find(key);
        return it == values.end() ? fallback : it->second;
    }
    int number(const std::string& key, int fallback) const {
        auto it = values.find(key);
        return it == values.end() ? fallback : std::stoi(it->second);
    }
    double real(const std::string& key, double fallback) const {
        auto it = values.find(key);
        return it == values.end() ? fallback : std::stod(it->second);
    }
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        if (k == "--json") {
            a.json = true;
            continue;
        }
        if (k.rfind("--", 0) != 0 || i + 1 >= argc) throw std::invalid_argument("bad argument: " + k);
        std::string v = argv[++i];
        if (k == "--header") a.headers.push_back(v);
        else a.values[k.substr(2)] = v;
    }
    return a;
}

bench::LoadSpec load_spec(const Args& a) {
    bench::LoadSpec s;
    s.workload = a.get("workload", "chat");
    s.requests = a.number("requests", 2000);
    s.concurrency = a.number("concurrency", 1);
    s.warmup = a.number("warmup", std::max(s.concurrency, s.requests / 10));
    s.max_seconds = a.real("seconds", 60);
    // The environment variable reaches bench_e2e through the compare harness unchanged.
    const char* env_threads = std::getenv("SWITCH_BENCH_IO_THREADS");
    s.io_threads = a.number("io-threads", env_threads ? std::atoi(env_threads) : 0);
    return s;
}

bench::RouteSetup route_setup(const Args& a) {
    bench::RouteSetup r;
    r.base = a.get("base");
    r.primary_model = a.get("primary-model", r.primary_model);
    r.fallback_model = a.get("fallback-model", r.fallback_model);
    return r;
}

std::string open_streams_line(const std::string& who, const bench::OpenStreams& o) {
    return fmt::format(R"({{"contender":"{}","workload":"open_streams","streams":{},"opened":{},)"
                       R"("open_seconds":{:.3f},"rss_mib":{:.1f},"failures":{}}})",
                       who, o.streams, o.opened, o.open_seconds, o.rss_mib, o.failures);
}

// One measurement in this process; prints its JSON line. Exit status 1 when a request failed.
int measure(const Args& a) {
    const std::string mode = a.get("mode");
    if (mode == "config") {
        const int pools = a.number("pools", 1000), providers = a.number("providers", 10);
        bench::ConfigScale c = bench::time_config_load(pools, providers, a.number("runs", 5));
        if (!a.get("write").empty()) std::ofstream(a.get("write")) << bench::scale_config(pools, providers);
        std::puts(bench::json_line(c).c_str());
        return c.valid ? 0 : 1;
    }
    const bench::LoadSpec spec = load_spec(a);
    const bench::RouteSetup setup = route_setup(a);
    bench::HttpTarget target;
    target.url = setup.base + "/v1/chat/completions";
    target.model = setup.primary_model;
    if (spec.workload == "failover") target.then_model = setup.fallback_model;
    if (mode == "http") {
        target.url = a.get("url");
        target.model = a.get("model", "bench");
        target.then_model.clear();
        target.headers = a.headers;
        target.measured_pid = a.number("pid", 0);
        if (target.measured_pid <= 0) throw std::invalid_argument("--mode http needs --pid of the gateway");
    }
    const std::string config_path = a.get("config", SWITCH_BENCH_CONFIG_PATH);

    if (spec.workload == "open_streams") {
        const int streams = a.number("streams", 1000);
        bench::OpenStreams o;
        if (mode == "switch")
            o = bench::open_streams_router(bench::load_bench_config(config_path, setup), streams, spec.max_seconds);
        else
            o = bench::open_streams_curl(target, streams, spec.max_seconds);
        std::puts(open_streams_line(mode == "switch" ? "switch" : a.get("label", "curl"), o).c_str());
        return o.failures || o.opened < o.streams ? 1 : 0;
    }
    bench::Measurement m = mode == "switch" ? bench::run_router(bench::load_bench_config(config_path, setup), spec)
                                            : bench::run_curl(target, spec);
    m.contender = mode == "switch" ? "switch" : a.get("label", "curl");
    std::puts(bench::json_line(m).c_str());
    return m.failures ? 1 : 0;
}

// ---- compare: the default, what CI's bench_e2e_short runs ---------------------------------------

struct Line {
    std::string json;
    double rps = 0, p50 = 0, p99 = 0, cpu_1k = 0, rss = 0;
    int failures = 0;
};

Line run_child(const char* self, const std::string& mode, const std::string& base, int requests, int concurrency) {
    const std::string cmd = fmt::format("'{}' --mode {} --base {} --requests {} --concurrency {}", self, mode, base,
                                        requests, concurrency);
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run: " + cmd);
    Line l;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) l.json += buffer;
    pclose(pipe);
    simdjson::dom::parser parser;
    simdjson::dom::element e;
    if (parser.parse(l.json).get(e)) throw std::runtime_error("measurement failed: " + cmd);
    l.rps = e["rps"].get_double().value();
    l.p50 = e["p50_us"].get_double().value();
    l.p99 = e["p99_us"].get_double().value();
    l.cpu_1k = e["cpu_s_per_1k"].get_double().value();
    l.rss = e["rss_mib"].get_double().value();
    l.failures = static_cast<int>(e["failures"].get_int64().value());
    while (!l.json.empty() && l.json.back() == '\n') l.json.pop_back();
    return l;
}

int compare(const char* self, const Args& a) {
    const int requests = a.number("requests", 20000);
    const std::string levels = a.get("concurrency", "1,64,256");
    sw::test::MockProcess mock;
    std::printf("end-to-end, %d requests per run, loopback mock %s\n", requests, mock.base().c_str());
    std::printf("%-6s %-7s %10s %9s %9s %10s %8s | %-32s\n", "conc", "who", "req/s", "p50 us", "p99 us", "cpu s/1k",
                "rss MiB", "ratio to the floor (rps, p99+, cpu, rss)");
    std::stringstream list(levels);
    std::string level;
    std::vector<std::string> json;
    while (std::getline(list, level, ',')) {
        const int c = std::stoi(level);
        // Low concurrency is latency-bound: fewer requests keep the run short.
        const int n = c == 1 ? std::max(200, requests / 20) : requests;
        Line floor = run_child(self, "floor", mock.base(), n, c);
        Line ours = run_child(self, "switch", mock.base(), n, c);
        json.push_back(floor.json);
        json.push_back(ours.json);
        std::printf("%-6d %-7s %10.0f %9.0f %9.0f %10.3f %8.1f |\n", c, "curl", floor.rps, floor.p50, floor.p99,
                    floor.cpu_1k, floor.rss);
        std::printf("%-6d %-7s %10.0f %9.0f %9.0f %10.3f %8.1f | %.2fx rps, %+.0f us p99, %.2fx cpu, %.2fx rss%s\n", c,
                    "switch", ours.rps, ours.p50, ours.p99, ours.cpu_1k, ours.rss, ours.rps / floor.rps,
                    ours.p99 - floor.p99, ours.cpu_1k / floor.cpu_1k, ours.rss / floor.rss,
                    ours.failures + floor.failures ? "  (FAILURES)" : "");
        if (ours.failures + floor.failures) return 1;
    }
    if (a.json)
        for (const std::string& line : json) std::puts(line.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Args args = parse(argc, argv);
        curl_global_init(CURL_GLOBAL_DEFAULT);
        if (args.get("mode", "compare") != "compare") return measure(args);
        return compare(argv[0], args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_e2e: %s\n", e.what());
        return 2;
    }
}
