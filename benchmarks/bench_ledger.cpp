// bench_ledger.cpp — the usage ledger's throughput (benchmarks/README.md, "Usage ledger"):
//   1. paced: rows offered at --rate a second for --seconds, as finishing requests would offer
//      them (one producer per I/O thread), then flushed: how many were dropped (the issue asks
//      for 0 at 20,000 a second) and how far behind the writer fell;
//   2. flat out: --burst rows queued at once (the queue made large enough), then the time the
//      writer takes to write them all: the most rows a second it sustains.
// Against a SQLite file in a temp dir, and a throwaway PostgreSQL cluster on loopback (skipped
// when Debian's postgresql package is absent), or --database URL.
//   bench_ledger [--rate N] [--seconds S] [--burst N] [--threads T] [--database URL]
#include "../tests/integration/pg_cluster.hpp"

#include "ledger/ledger.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

struct Args {
    double rate = 20000;
    double seconds = 5;
    std::size_t burst = 200000;
    int threads = 4;
    std::string database;
};

sw::RouteResult sample_trace() {
    sw::RouteResult trace;
    trace.ok = true;
    trace.model = "chat";
    trace.pool_id = "primary";
    trace.provider = "openai-gpt4o-mini";
    trace.usage = {120, 40};
    trace.attempts.resize(1);
    return trace;
}

std::unique_ptr<sw::ledger::Store> store_for(const std::string& url) {
    std::string error;
    auto parsed = sw::parse_database_url(url, error);
    if (!parsed) throw std::runtime_error("--database: " + error);
    return sw::ledger::make_store(*parsed);
}

void paced(const std::string& name, const std::string& url, const Args& a) {
    sw::ledger::Ledger ledger(store_for(url));
    const sw::RouteResult trace = sample_trace();
    const auto total = static_cast<std::uint64_t>(a.rate * a.seconds);
    const auto start = Clock::now();
    std::vector<std::thread> producers;
    for (int t = 0; t < a.threads; ++t)
        producers.emplace_back([&, t] {
            // Each producer offers every threads-th row at its instant on the schedule.
            for (std::uint64_t i = static_cast<std::uint64_t>(t); i < total; i += static_cast<std::uint64_t>(a.threads)) {
                const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(static_cast<double>(i) / a.rate));
                std::this_thread::sleep_until(due);
                const sw::RequestFinishedEvent e{.time = {}, .request = i, .operation = "chat", .streaming = false,
                                                 .status = 200, .error_class = sw::ErrorClass::success,
                                                 .trace = trace, .cost_usd = 0.0004,
                                                 .latency = std::chrono::milliseconds(80),
                                                 .time_to_first_token = std::nullopt};
                ledger.on_request_finished(e);
            }
        });
    std::size_t max_queued = 0;
    while (Clock::now() - start < std::chrono::duration<double>(a.seconds)) {
        max_queued = std::max(max_queued, ledger.queued());
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    for (auto& p : producers) p.join();
    const bool flushed = ledger.flush(std::chrono::seconds(60));
    const double behind = std::chrono::duration<double>(Clock::now() - start).count() - a.seconds;
    const auto& c = *ledger.counters();
    std::printf("%-10s paced     %8.0f rows/s for %.0f s: %llu written, %llu dropped, queue peak %zu, "
                "flushed %.3f s after the last%s\n",
                name.c_str(), a.rate, a.seconds, static_cast<unsigned long long>(c.written.load()),
                static_cast<unsigned long long>(c.dropped_total()), max_queued, std::max(0.0, behind),
                flushed ? "" : " (NOT FLUSHED)");
}

void flat_out(const std::string& name, const std::string& url, const Args& a) {
    sw::ledger::LedgerOptions options;
    options.queue_capacity = a.burst;
    options.writer.flush_interval = std::chrono::milliseconds(60000);  // asleep while the rows go in
    sw::ledger::Ledger ledger(store_for(url), options);
    const auto connect_by = Clock::now() + std::chrono::seconds(10);
    while (!ledger.connected() && Clock::now() < connect_by) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (!ledger.connected()) throw std::runtime_error(name + ": cannot connect: " + ledger.last_error());
    const sw::RouteResult trace = sample_trace();
    for (std::uint64_t i = 0; i < a.burst; ++i) {
        const sw::RequestFinishedEvent e{.time = {}, .request = i, .operation = "chat", .streaming = false,
                                         .status = 200, .error_class = sw::ErrorClass::success, .trace = trace,
                                         .cost_usd = 0.0004, .latency = std::chrono::milliseconds(80),
                                         .time_to_first_token = std::nullopt};
        ledger.on_request_finished(e);
    }
    const auto start = Clock::now();
    const bool flushed = ledger.flush(std::chrono::seconds(120));
    const double took = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%-10s flat out  %zu rows in %.3f s: %.0f rows/s (batches of %zu)%s\n", name.c_str(), a.burst, took,
                static_cast<double>(ledger.counters()->written.load()) / took, options.writer.batch_rows,
                flushed ? "" : " (NOT FLUSHED)");
}

}  // namespace

int main(int argc, char** argv) {
    Args a;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--rate") a.rate = std::stod(v);
        else if (k == "--seconds") a.seconds = std::stod(v);
        else if (k == "--burst") a.burst = std::stoul(v);
        else if (k == "--threads") a.threads = std::stoi(v);
        else if (k == "--database") a.database = v;
        else {
            std::fprintf(stderr, "usage: bench_ledger [--rate N] [--seconds S] [--burst N] [--threads T] [--database URL]\n");
            return 2;
        }
    }
    try {
        std::vector<std::pair<std::string, std::string>> targets;
        std::unique_ptr<sw::test::PgCluster> pg;
        const auto dir = std::filesystem::temp_directory_path() / fmt::format("switch-bench-ledger-{}", ::getpid());
        if (!a.database.empty()) {
            targets.emplace_back("database", a.database);
        } else {
            std::filesystem::create_directories(dir);
            targets.emplace_back("sqlite", "sqlite://" + (dir / "paced.db").string());
            if (auto bindir = sw::test::postgres_bindir()) {
                pg = std::make_unique<sw::test::PgCluster>(*bindir);
                targets.emplace_back("postgresql", pg->url());
            } else {
                std::puts("postgresql: skipped: Debian's postgresql package is not installed");
            }
        }
        for (const auto& [name, url] : targets) {
            paced(name, url, a);
            flat_out(name, name == "sqlite" ? "sqlite://" + (dir / "burst.db").string() : url, a);
        }
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_ledger: %s\n", e.what());
        return 1;
    }
    return 0;
}
