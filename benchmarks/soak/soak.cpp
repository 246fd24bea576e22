// soak.cpp — a long soak through sw::Router (the C++ API) over the loopback mock: every fault
// kind the mock can script, injected into 20% of the attempts of the primary pools, and one
// provider down for the whole run. It checks that no request is lost, hung, truncated or
// completed twice, counts the explicit failures by class, and watches RSS stay flat.
//
//   bench_soak [--requests 100000] [--warmup 10000] [--window 256] [--deadline-ms 10000]
//              [--hung-slack-ms 5000] [--rss-bound 1.10] [--json FILE] [--md FILE]
//
// Exit status: 0 when lost, hung, truncated, corrupt, duplicated and unexplained are all 0 and
// RSS at the end is within --rss-bound of RSS at the start; 1 otherwise; 2 on a usage error.
// benchmarks/README.md ("Soak") describes the workload and the committed result.
#include "../e2e/measure.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "../../tests/integration/mock_process.hpp"

namespace {

using Steady = std::chrono::steady_clock;

// ---- The workload. ----

// One provider of the soak config. `spec` is the mock scenario; a faulting provider's spec ends
// with fail_every=5, so that the fault hits attempts 5, 10, 15, ... of its scenario key: 20%.
struct ProviderSpec {
    std::string name;
    std::string fault;    // the fault kind, as reported ("" for a clean provider)
    std::string spec;     // the mock scenario, without fail_every
    int timeout_ms = 5000;
    bool down = false;    // points at a closed port instead of the mock
    // The fault ends its request with an explicit error: a caller error (no failover by
    // contract), or a stream broken after content reached the caller. The others fail over.
    bool ends_request = false;
};

constexpr int kFailEvery = 5;
constexpr const char* kStreamAnswer = "tok1 tok2 tok3 tok4 tok5 ";

std::string model_of(const ProviderSpec& p) {
    if (p.spec.empty()) return "soak-" + p.name;
    if (p.fault.empty()) return fmt::format("soak-{}@{}", p.name, p.spec);  // a variant, not a fault
    return fmt::format("soak-{}@{},fail_every={}", p.name, p.spec, kFailEvery);
}

// Non-streamed requests go to model "chat": every fault that an HTTP answer can carry.
std::vector<ProviderSpec> chat_primary(int redirect_port) {
    return {
        {"c500", "status=500", "status=500"},
        {"c502", "status=502", "status=502"},
        {"c503", "status=503", "status=503"},
        {"c503ra", "status=503 + Retry-After: 1", "status=503,retry_after=1"},
        {"c504", "status=504", "status=504"},
        {"c529", "status=529", "status=529"},
        {"c408", "status=408", "status=408"},
        {"c429", "status=429", "status=429"},
        {"c429ra", "status=429 + Retry-After: 1", "status=429,retry_after=1"},
        {"c429ms", "status=429 + retry-after-ms: 200", "status=429,retry_after_ms=200"},
        {"c400", "status=400", "status=400", 5000, false, true},
        {"c401", "status=401", "status=401"},
        {"c403", "status=403", "status=403"},
        {"c404", "status=404", "status=404"},
        {"c422", "status=422", "status=422", 5000, false, true},
        {"cctx", "context_length", "context_length", 5000, false, true},
        {"cpolicy", "content_policy", "content_policy", 5000, false, true},
        {"cquota", "quota", "quota"},
        {"creset", "reset", "reset"},
        {"chang", "hang (timeout 500 ms)", "hang", 500},
        {"credirect", "redirect", fmt::format("redirect={}", redirect_port)},
        {"cgarbage", "garbage", "garbage"},
        {"cdown", "down (closed port)", "", 5000, true},
    };
}

// Streamed requests go to model "stream": the stream faults, and the HTTP ones a stream can meet.
std::vector<ProviderSpec> stream_primary() {
    return {
        {"s500", "status=500", "status=500"},
        {"s529", "status=529", "status=529"},
        {"s429ra", "status=429 + Retry-After: 1", "status=429,retry_after=1"},
        {"sctx", "context_length", "context_length", 5000, false, true},
        {"spolicy", "content_policy", "content_policy", 5000, false, true},
        {"squota", "quota", "quota"},
        {"sreset", "reset", "reset"},
        {"shang", "hang (timeout 500 ms)", "hang", 500},
        {"sgarbage", "garbage", "garbage"},
        {"scut0", "cut_after=0", "cut_after=0"},
        {"scut2", "cut_after=2", "cut_after=2", 5000, false, true},
        {"sstall0", "stall_after=0 (timeout 500 ms)", "stall_after=0", 500},
        {"sstall2", "stall_after=2 (idle 500 ms)", "stall_after=2", 500, false, true},
        {"smal1", "malformed_at=1", "malformed_at=1"},
        {"smal3", "malformed_at=3", "malformed_at=3", 5000, false, true},
        {"serr1", "stream_error_at=1", "stream_error_at=1"},
        {"serr3", "stream_error_at=3", "stream_error_at=3", 5000, false, true},
        {"serr6", "stream_error_at=6 (the final event)", "stream_error_at=6", 5000, false, true},
        {"snodone", "no_done (must still succeed)", "no_done"},
        {"sdown", "down (closed port)", "", 5000, true},
    };
}

struct Workload {
    std::vector<ProviderSpec> chat, stream, chat_backup, stream_backup;
    std::map<std::string, std::string> model_by_provider;  // provider name -> its modelName
    std::string config_json;
};

Workload make_workload(const std::string& mock_base, int mock_port) {
    Workload w;
    w.chat = chat_primary(mock_port);
    w.stream = stream_primary();
    w.chat_backup = {{"cb1", "", ""}, {"cb2", "", ""}};
    w.stream_backup = {{"sb1", "", ""}, {"sb2", "", "crlf"}};  // CRLF line ends on every answer
    const int down_port = sw::test::closed_port();
    auto providers = [&](const std::vector<ProviderSpec>& list) {
        std::string out;
        for (const ProviderSpec& p : list) {
            const std::string model = model_of(p);
            w.model_by_provider[p.name] = model;
            const std::string base = p.down ? fmt::format("http://127.0.0.1:{}/v1", down_port) : mock_base + "/v1";
            out += fmt::format(R"({}{{"name":"{}","provider":"custom","apiBase":"{}","modelName":"{}",)"
                               R"("timeout":{},"maxRetries":1,"retryDelay":10}})",
                               out.empty() ? "" : ",", p.name, base, model, p.timeout_ms);
        }
        return out;
    };
    // Breakers at their defaults but for a short resetTimeout, so that a provider whose
    // breaker opens comes back within the run, and the half-open path is exercised too. Health
    // by error rate and by consecutive failures is left to the breaker: with the defaults
    // (20%, 3) an unhealthy provider gets only one recovery probe per resetTimeout while healthy
    // ones remain, so the providers whose faults are timeouts, which report in bunches, would
    // see a handful of attempts in the whole run (benchmarks/README.md, "Soak").
    const std::string pool_settings =
        R"("routingStrategy":"round_robin","circuitBreaker":{"failureThreshold":5,"resetTimeout":2000},)"
        R"("healthThresholds":{"errorRate":50,"consecutiveFailures":1000})";
    w.config_json = fmt::format(
        R"({{"pools":[)"
        R"({{"id":"chat","providers":[{}],"fallbackPoolIds":["chat-backup"],{}}},)"
        R"({{"id":"chat-backup","providers":[{}],{}}},)"
        R"({{"id":"stream","providers":[{}],"fallbackPoolIds":["stream-backup"],{}}},)"
        R"({{"id":"stream-backup","providers":[{}],{}}}],)"
        R"("models":{{"chat":{{"primaryPoolId":"chat"}},"stream":{{"primaryPoolId":"stream"}}}}}})",
        providers(w.chat), pool_settings, providers(w.chat_backup), pool_settings, providers(w.stream),
        pool_settings, providers(w.stream_backup), pool_settings);
    return w;
}

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";
constexpr const char* kStream = R"({"model":"stream","stream":true,"messages":[{"role":"user","content":"hello"}]})";

// ---- Measuring. ----

double rss_mib(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size())) / 1024.0;  // kB
    return -1;
}

double load_average() {
    double one = -1;
    if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf", &one) != 1) one = -1;
        std::fclose(f);
    }
    return one;
}

// The content deltas of one OpenAI chunk; `error` when it is the stream_interrupted chunk.
struct ChunkText {
    std::string content;
    bool error = false;
    bool parsed = true;
};

ChunkText read_chunk(std::string_view json) {
    thread_local simdjson::dom::parser parser;
    ChunkText out;
    simdjson::dom::element root;
    if (parser.parse(json.data(), json.size()).get(root)) {
        out.parsed = false;
        return out;
    }
    std::string_view type;
    if (!root["error"]["type"].get(type)) {
        out.error = type == "stream_interrupted";
        out.parsed = out.error;
        return out;
    }
    std::string_view content;
    if (!root["choices"].at(0)["delta"]["content"].get(content)) out.content.assign(content);
    return out;
}

struct Request {
    Steady::time_point submitted;
    double latency_ms = -1;
    int completions = 0;
    bool stream = false;
    // Streams: what the caller saw, chunk by chunk (written on the I/O thread only).
    std::string deltas;
    bool error_chunk = false;
    bool chunk_after_error = false;
    bool bad_chunk = false;
};

struct Tally {
    int requests = 0;
    int streamed = 0;
    int completed = 0;  // distinct requests whose done callback ran
    int succeeded = 0;
    int failed_explicitly = 0;
    int lost = 0;
    int hung = 0;
    int truncated = 0;
    int corrupt = 0;
    int duplicated = 0;
    int unexplained = 0;
    int used_fallback = 0;
    long attempts = 0;
    int max_attempts = 0;
    std::map<std::string, int> failures_by_class;    // "route error / error class of the last attempt"
    std::map<std::string, int> failures_by_status;
    std::map<std::string, int> attempts_by_class;    // every attempt of every request
    std::map<std::string, int> attempts_by_provider;
    std::map<std::string, int> served_by_provider;
    std::vector<std::string> samples;  // the first few anomalies, for the report
    std::vector<double> latencies_ms;
    double seconds = 0;
};

struct Phase {
    int requests = 0;
    int window = 256;
    sw::Millis deadline{10000};
    double hung_bound_ms = 15000;
    double drain_seconds = 60;
    std::function<void(int done)> progress;  // called on the submitting thread every 1% or so
};

// What one phase's callbacks share. Held by shared_ptr in every callback, so that a request the
// router completes late (its destructor completes whatever is left) still finds it.
struct PhaseState {
    std::mutex mutex;
    std::condition_variable cv;
    int in_flight = 0;
    Tally t;
    std::vector<Request> reqs;
    double hung_bound_ms = 0;
    const Workload* w = nullptr;

    void note(std::string s) {
        if (t.samples.size() < 20) t.samples.push_back(std::move(s));
    }
    void done(int i, const sw::ChatResponse& r);
};

void PhaseState::done(int i, const sw::ChatResponse& r) {
    const auto now = Steady::now();
    std::lock_guard<std::mutex> lock(mutex);
    Request& q = reqs[static_cast<std::size_t>(i)];
    if (q.completions++ > 0) {
        ++t.duplicated;
        note(fmt::format("request {} completed {} times", i, q.completions));
        cv.notify_all();
        return;
    }
    --in_flight;
    ++t.completed;
    q.latency_ms = std::chrono::duration<double, std::milli>(now - q.submitted).count();
    t.latencies_ms.push_back(q.latency_ms);
    if (q.latency_ms > hung_bound_ms) {
        ++t.hung;
        note(fmt::format("request {} took {:.0f} ms", i, q.latency_ms));
    }
    const int attempts = static_cast<int>(r.trace.attempts.size());
    t.attempts += attempts;
    t.max_attempts = std::max(t.max_attempts, attempts);
    for (const sw::AttemptRecord& a : r.trace.attempts) {
        ++t.attempts_by_class[std::string(sw::to_string(a.error_class))];
        ++t.attempts_by_provider[a.provider];
    }
    if (r.ok()) {
        ++t.succeeded;
        if (r.trace.used_fallback) ++t.used_fallback;
        ++t.served_by_provider[r.trace.provider];
        bool whole;
        if (q.stream) {
            whole = r.text == kStreamAnswer && q.deltas == kStreamAnswer && !q.error_chunk && !q.bad_chunk;
        } else {
            auto model = w->model_by_provider.find(r.trace.provider);
            whole = model != w->model_by_provider.end() && r.text == "Hello from the mock (" + model->second + ").";
        }
        whole = whole && r.finish_reason == "stop";
        if (!whole) {
            ++t.truncated;
            note(fmt::format("request {} succeeded incomplete: provider {}, text \"{}\", deltas \"{}\", finish \"{}\"", i,
                             r.trace.provider, r.text, q.deltas, r.finish_reason));
        }
    } else if (r.status >= 400 && !r.error.empty()) {
        ++t.failed_explicitly;
        ++t.failures_by_class[fmt::format("{} / {}", sw::to_string(r.trace.error), sw::to_string(r.error_class))];
        ++t.failures_by_status[std::to_string(r.status)];
        if (q.stream) {
            // What reached the caller must be a prefix of the one answer, and content that
            // reached it must be followed by the explicit stream_interrupted chunk.
            const std::string_view answer = kStreamAnswer;
            if (q.bad_chunk || q.chunk_after_error || answer.substr(0, q.deltas.size()) != q.deltas) {
                ++t.corrupt;
                note(fmt::format("stream {} failed with content \"{}\" (bad chunk {}, chunk after error {})", i, q.deltas,
                                 q.bad_chunk, q.chunk_after_error));
            } else if (!q.deltas.empty() && !q.error_chunk) {
                ++t.truncated;
                note(fmt::format("stream {} failed after \"{}\" without a stream_interrupted chunk", i, q.deltas));
            }
        }
    } else {
        ++t.unexplained;
        note(fmt::format("request {}: status {}, error \"{}\"", i, r.status, r.error));
    }
    std::string().swap(q.deltas);  // checked: what stays per request is fixed-size
    cv.notify_all();
}

// The state of a phase, allocated and touched in full before it starts, so that the RSS
// measured at its start already holds the benchmark's own bookkeeping.
std::shared_ptr<PhaseState> prepare_phase(const Workload& w, const Phase& phase) {
    auto st = std::make_shared<PhaseState>();
    st->t.requests = phase.requests;
    st->reqs.resize(static_cast<std::size_t>(phase.requests));
    st->t.latencies_ms.assign(static_cast<std::size_t>(phase.requests), 0.0);
    st->t.latencies_ms.clear();  // keeps its capacity
    st->hung_bound_ms = phase.hung_bound_ms;
    st->w = &w;
    return st;
}

// Runs `phase.requests` requests, `window` in flight at once, one in five streamed.
Tally run_phase(sw::Router& router, const std::shared_ptr<PhaseState>& st, const Phase& phase) {
    sw::ChatOptions options;
    options.deadline = phase.deadline;

    const auto started = Steady::now();
    const int step = std::max(1, phase.requests / 100);
    int submitted = 0;
    for (int i = 0; i < phase.requests; ++i) {
        Request* q = &st->reqs[static_cast<std::size_t>(i)];
        {
            std::unique_lock<std::mutex> lock(st->mutex);
            // A window that never frees up is requests that never end: stop submitting.
            if (!st->cv.wait_for(lock, std::chrono::duration<double, std::milli>(phase.hung_bound_ms * 2),
                                 [&] { return st->in_flight < phase.window; }))
                break;
            ++st->in_flight;
            q->stream = i % 5 == 0;
            q->submitted = Steady::now();
            if (q->stream) ++st->t.streamed;
        }
        ++submitted;
        auto done = [st, i](sw::ChatResponse r) { st->done(i, r); };
        if (q->stream) {
            // Chunks arrive on the I/O thread, before the done callback of their request.
            router.chat_stream_async(
                kStream,
                [st, q](std::string_view chunk) {
                    ChunkText c = read_chunk(chunk);
                    if (q->error_chunk) q->chunk_after_error = true;
                    if (!c.parsed) q->bad_chunk = true;
                    if (c.error) q->error_chunk = true;
                    q->deltas += c.content;
                },
                std::move(done), options);
        } else {
            router.chat_async(kChat, std::move(done), options);
        }
        if (phase.progress && (i + 1) % step == 0) phase.progress(i + 1);
    }
    // Everything submitted: wait for the last answers, but not for ever.
    std::unique_lock<std::mutex> lock(st->mutex);
    st->cv.wait_for(lock, std::chrono::duration<double>(phase.drain_seconds),
                    [&] { return st->t.completed == submitted; });
    Tally t = std::move(st->t);  // a move: the end's RSS must not hold a copy
    t.seconds = std::chrono::duration<double>(Steady::now() - started).count();
    t.lost = phase.requests - t.completed;
    for (int i = 0; i < phase.requests && t.samples.size() < 20; ++i)
        if (st->reqs[static_cast<std::size_t>(i)].completions == 0)
            t.samples.push_back(fmt::format("request {} never completed", i));
    return t;
}

// ---- Reporting. ----

struct Args {
    int requests = 100000;
    int warmup = 10000;
    int window = 256;
    int deadline_ms = 10000;
    int hung_slack_ms = 5000;
    double rss_bound = 1.10;
    std::string json_path, md_path;
};

std::string json_map(const std::map<std::string, int>& m) {
    std::string out = "{";
    for (const auto& [k, v] : m) out += fmt::format("{}{}:{}", out.size() > 1 ? "," : "", bench::json_string(k), v);
    return out + "}";
}

std::string json_tally(const Tally& t) {
    const double rps = t.seconds > 0 ? t.completed / t.seconds : 0;
    return fmt::format(
        R"({{"requests":{},"streamed":{},"completed":{},"succeeded":{},"failed_explicitly":{},"lost":{},"hung":{},)"
        R"("truncated":{},"corrupt":{},"duplicated":{},"unexplained":{},"used_fallback":{},"attempts":{},)"
        R"("max_attempts_per_request":{},"seconds":{:.2f},"throughput_rps":{:.0f},"p50_ms":{:.2f},"p99_ms":{:.2f},)"
        R"("max_ms":{:.1f},"failed_by_class":{},"failed_by_status":{},"attempts_by_class":{},"attempts_by_provider":{},)"
        R"("served_by_provider":{},"anomalies":[{}]}})",
        t.requests, t.streamed, t.completed, t.succeeded, t.failed_explicitly, t.lost, t.hung, t.truncated, t.corrupt,
        t.duplicated, t.unexplained, t.used_fallback, t.attempts, t.max_attempts, t.seconds, rps,
        bench::percentile(t.latencies_ms, 0.5), bench::percentile(t.latencies_ms, 0.99),
        t.latencies_ms.empty() ? 0.0 : *std::max_element(t.latencies_ms.begin(), t.latencies_ms.end()),
        json_map(t.failures_by_class), json_map(t.failures_by_status), json_map(t.attempts_by_class),
        json_map(t.attempts_by_provider), json_map(t.served_by_provider), [&] {
            std::string s;
            for (const auto& a : t.samples) s += (s.empty() ? "" : ",") + bench::json_string(a);
            return s;
        }());
}

bool clean(const Tally& t) {
    return t.lost == 0 && t.hung == 0 && t.truncated == 0 && t.corrupt == 0 && t.duplicated == 0 && t.unexplained == 0;
}

int usage() {
    std::fputs("usage: bench_soak [--requests N] [--warmup N] [--window N] [--deadline-ms MS] [--hung-slack-ms MS]\n"
               "                  [--rss-bound RATIO] [--json FILE] [--md FILE]\n",
               stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) return usage();
        const std::string v = argv[++i];
        try {
            if (a == "--requests") args.requests = std::stoi(v);
            else if (a == "--warmup") args.warmup = std::stoi(v);
            else if (a == "--window") args.window = std::stoi(v);
            else if (a == "--deadline-ms") args.deadline_ms = std::stoi(v);
            else if (a == "--hung-slack-ms") args.hung_slack_ms = std::stoi(v);
            else if (a == "--rss-bound") args.rss_bound = std::stod(v);
            else if (a == "--json") args.json_path = v;
            else if (a == "--md") args.md_path = v;
            else return usage();
        } catch (const std::exception&) {
            return usage();
        }
    }
    if (args.requests < 1 || args.warmup < 0 || args.window < 1 || args.deadline_ms < 1 || args.rss_bound < 1)
        return usage();

    sw::test::MockProcess mock({"--threads", "2"});
    const Workload w = make_workload(mock.base(), mock.port());
    sw::LoadOptions load;
    load.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };  // defaults only
    auto loaded = sw::load_config_string(w.config_json, sw::ConfigFormat::json, "soak", load);
    if (!loaded.ok()) {
        std::fputs(sw::format_diagnostics_text(loaded).c_str(), stderr);
        return 1;
    }
    sw::RouterOptions options;
    options.stream_idle_timeout = sw::Millis(500);
    options.connect_timeout = sw::Millis(1000);
    const double load_before = load_average();
    std::optional<sw::Router> router;
    router.emplace(loaded.config, options);

    Phase phase;
    phase.window = args.window;
    phase.deadline = sw::Millis(args.deadline_ms);
    phase.hung_bound_ms = args.deadline_ms + args.hung_slack_ms;
    phase.drain_seconds = (phase.hung_bound_ms / 1000.0) * 2 + 30;

    std::fprintf(stderr, "soak: mock %s, %d requests after %d warm-up, %d in flight, deadline %d ms\n", mock.base().c_str(),
                 args.requests, args.warmup, args.window, args.deadline_ms);
    Tally warm;
    if (args.warmup > 0) {
        phase.requests = args.warmup;
        warm = run_phase(*router, prepare_phase(w, phase), phase);
        std::fprintf(stderr, "soak: warm-up done in %.1f s\n", warm.seconds);
    }
    mock.reset();  // the mock's counters now count the measured phase only

    // RSS along the run: at the start, every 10%, and at the end (nothing in flight at either end).
    std::vector<std::pair<int, double>> rss_series;
    rss_series.reserve(16);
    phase.requests = args.requests;
    auto state = prepare_phase(w, phase);
    const double rss_start = rss_mib("VmRSS");
    rss_series.emplace_back(0, rss_start);
    phase.progress = [&](int done) {
        if (done % std::max(1, args.requests / 10) == 0 && done < args.requests) {
            rss_series.emplace_back(done, rss_mib("VmRSS"));
            std::fprintf(stderr, "soak: %d submitted, RSS %.1f MiB\n", done, rss_series.back().second);
        }
    };
    const double cpu_before = bench::self_cpu_seconds();
    Tally t = run_phase(*router, state, phase);
    const double cpu = bench::self_cpu_seconds() - cpu_before;
    const double rss_end = rss_mib("VmRSS");
    rss_series.emplace_back(args.requests, rss_end);
    const double rss_peak = rss_mib("VmHWM");
    const double rss_ratio = rss_start > 0 ? rss_end / rss_start : 0;
    const double load_after = load_average();

    // What the mock injected: every fail_every-th attempt of each faulting scenario key.
    std::map<std::string, int> injected;  // by fault kind
    long mock_attempts = 0, mock_faults = 0, expected_explicit = 0;
    {
        simdjson::dom::parser parser;
        const std::string stats = mock.last_headers_json();
        simdjson::dom::object attempts = parser.parse(stats)["attempts"].get_object();
        std::map<std::string, const ProviderSpec*> fault_by_model;
        for (const auto* list : {&w.chat, &w.stream})
            for (const ProviderSpec& p : *list)
                if (!p.down) fault_by_model[model_of(p)] = &p;
        for (auto [key, value] : attempts) {
            const std::int64_t n = value.get_int64().value_unsafe();
            mock_attempts += n;
            auto it = fault_by_model.find(std::string(key));
            if (it == fault_by_model.end()) continue;  // a backup provider's key
            const int faults = static_cast<int>(n / kFailEvery);
            injected[it->second->fault] += faults;
            mock_faults += faults;
            if (it->second->ends_request) expected_explicit += faults;
        }
    }
    const int down_attempts = t.attempts_by_provider["cdown"] + t.attempts_by_provider["sdown"];
    const int down_attempts_warmup = warm.attempts_by_provider["cdown"] + warm.attempts_by_provider["sdown"];
    long primary_attempts = down_attempts;
    for (const auto* list : {&w.chat, &w.stream})
        for (const ProviderSpec& p : *list)
            if (!p.down) primary_attempts += t.attempts_by_provider[p.name];
    const double fault_share = primary_attempts > 0 ? static_cast<double>(mock_faults + down_attempts) / primary_attempts : 0;

    const bool rss_ok = rss_ratio <= args.rss_bound;
    const bool ok = clean(t) && clean(warm) && rss_ok;

    std::string commit = "unknown";
    if (std::FILE* p = ::popen("git rev-parse --short HEAD 2>/dev/null", "r")) {
        char buf[64] = {};
        if (std::fgets(buf, sizeof buf, p)) commit = std::string(buf, strcspn(buf, "\n"));
        ::pclose(p);
    }
    const std::string series = [&] {
        std::string s;
        for (const auto& [n, mib] : rss_series) s += fmt::format("{}[{},{:.1f}]", s.empty() ? "" : ",", n, mib);
        return s;
    }();
    const std::string json = fmt::format(
        R"({{"benchmark":"soak","commit":{},"ok":{},"cpus":{},"load_average_before":{:.2f},"load_average_after":{:.2f},)"
        "\n"
        R"("settings":{{"requests":{},"warmup":{},"window":{},"stream_share":0.2,"fail_every":{},"deadline_ms":{},)"
        R"("hung_bound_ms":{:.0f},"rss_bound":{:.2f},"primary_providers":{},"faulting_providers":{}}},)"
        "\n"
        R"("result":{},)"
        "\n"
        R"("injected":{{"mock_attempts":{},"faults":{},"down_attempts":{},"down_attempts_warmup":{},"primary_attempts":{},)"
        R"("fault_share":{:.4f},"ending_requests":{},)"
        R"("by_kind":{}}},)"
        "\n"
        R"("rss_mib":{{"start":{:.1f},"end":{:.1f},"ratio":{:.3f},"peak":{:.1f},"series":[{}]}},)"
        R"("cpu_seconds":{:.2f},)"
        "\n"
        R"("warmup":{}}})"
        "\n",
        bench::json_string(commit), ok ? "true" : "false", sysconf(_SC_NPROCESSORS_ONLN), load_before, load_after,
        args.requests, args.warmup, args.window, kFailEvery, args.deadline_ms, phase.hung_bound_ms, args.rss_bound,
        w.chat.size() + w.stream.size(), w.chat.size() + w.stream.size() - 2, json_tally(t), mock_attempts,
        mock_faults, down_attempts, down_attempts_warmup, primary_attempts, fault_share, expected_explicit, json_map(injected), rss_start, rss_end, rss_ratio,
        rss_peak, series, cpu, json_tally(warm));
    if (!args.json_path.empty()) std::ofstream(args.json_path) << json;

    auto row = [](const std::string& k, const std::string& v) { return fmt::format("| {} | {} |\n", k, v); };
    std::string md = fmt::format("# Soak: {} requests through sw::Router\n\n", args.requests);
    md += fmt::format(
        "Commit {}, {} CPUs, load average {:.2f} before and {:.2f} after. Written by `benchmarks/soak/run.sh`; "
        "the figures are in `soak.json`.\n\n",
        commit, sysconf(_SC_NPROCESSORS_ONLN), load_before, load_after);
    md += fmt::format(
        "{} requests after {} of warm-up, {} in flight, one in five streamed, each with a {} ms deadline. "
        "{} of the {} attempts on the primary pools' providers ({:.1f}%) met an injected fault: {} from the mock's "
        "`fail_every={}` scenarios over {} fault kinds, and {} to the provider that is down for the whole run.\n\n",
        args.requests, args.warmup, args.window, args.deadline_ms, mock_faults + down_attempts, primary_attempts,
        100 * fault_share, mock_faults, kFailEvery, injected.size(), down_attempts);
    md += "| must be 0 | count |\n|---|---|\n";
    md += row("lost (never completed)", std::to_string(t.lost));
    md += row(fmt::format("hung (completed, but more than {:.0f} ms after it was sent)", phase.hung_bound_ms),
              std::to_string(t.hung));
    md += row("truncated (success with incomplete content, or a broken stream without its error chunk)",
              std::to_string(t.truncated));
    md += row("corrupt (a stream's content not a prefix of the one answer)", std::to_string(t.corrupt));
    md += row("duplicated (completed twice)", std::to_string(t.duplicated));
    md += row("unexplained (neither a success nor an explicit error)", std::to_string(t.unexplained));
    md += "\n| outcome | requests |\n|---|---|\n";
    md += row("succeeded", fmt::format("{} ({} by a fallback pool)", t.succeeded, t.used_fallback));
    md += row("failed explicitly", fmt::format("{} (faults injected that end a request: {})", t.failed_explicitly,
                                               expected_explicit));
    for (const auto& [k, v] : t.failures_by_class) md += row("&nbsp;&nbsp;" + k, std::to_string(v));
    md += "\n| figure | value |\n|---|---|\n";
    md += row("RSS at start / end", fmt::format("{:.1f} / {:.1f} MiB (ratio {:.3f}, bound {:.2f})", rss_start, rss_end,
                                                rss_ratio, args.rss_bound));
    md += row("peak RSS", fmt::format("{:.1f} MiB", rss_peak));
    md += row("elapsed", fmt::format("{:.1f} s", t.seconds));
    md += row("throughput", fmt::format("{:.0f} requests/s", t.seconds > 0 ? t.completed / t.seconds : 0));
    md += row("latency p50 / p99 / max", fmt::format("{:.1f} / {:.1f} / {:.0f} ms", bench::percentile(t.latencies_ms, 0.5),
                                                      bench::percentile(t.latencies_ms, 0.99),
                                                      t.latencies_ms.empty() ? 0.0
                                                                             : *std::max_element(t.latencies_ms.begin(),
                                                                                                 t.latencies_ms.end())));
    md += row("attempts", fmt::format("{} ({:.2f} a request, at most {})", t.attempts,
                                      static_cast<double>(t.attempts) / std::max(1, t.completed), t.max_attempts));
    md += row("CPU (this process: caller and router)", fmt::format("{:.1f} s", cpu));
    md += "\n| injected fault | faults |\n|---|---|\n";
    for (const auto& [k, v] : injected) md += row("`" + k + "`", std::to_string(v));
    md += row("down (closed port): attempts in the warm-up / the run", fmt::format("{} / {}", down_attempts_warmup, down_attempts));
    md += fmt::format("\nResult: **{}**.\n", ok ? "pass" : "FAIL");
    if (!args.md_path.empty()) std::ofstream(args.md_path) << md;

    std::fputs(md.c_str(), stdout);
    if (!t.samples.empty()) {
        std::fputs("\nanomalies:\n", stdout);
        for (const auto& s : t.samples) std::printf("  %s\n", s.c_str());
    }
    router.reset();
    return ok ? 0 : 1;
}
