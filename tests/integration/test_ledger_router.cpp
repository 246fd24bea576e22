// test_ledger_router.cpp — the usage ledger behind a real Router over the loopback mock: a row for
// each served, failed and malformed request, in SQLite and in a throwaway PostgreSQL cluster;
// never a key; writing that resumes when the database comes back; and the drops a database
// outage causes, counted exactly.
#include "mock_process.hpp"
#include "pg_cluster.hpp"

#include "ledger/ledger.hpp"
#include "ledger/postgres_store.hpp"
#include "ledger/sqlite_store.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>
#include <libpq-fe.h>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

using sw::ledger::Row;
using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;
    return instance;
}

constexpr const char* kCanary = "sk-canary-ledger-5d1e90b7a2c4f638";

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / fmt::format("switch-ledger-{}{}", rd(), rd());
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

// Pool "primary" (provider a, priced) falls back to "backup" (provider b); model "chat" routes
// to primary; "broken" to a pool whose only provider always fails. The key is the canary.
std::shared_ptr<const sw::Config> config(const std::string& database_url) {
    const std::string text = fmt::format(
        R"({{"credentialStores":{{"key":{{"type":"simple","source":"env","config":{{"apiKeyVar":"CANARY_KEY"}}}}}},)"
        R"("pools":[{{"id":"primary","providers":[{{"name":"a","provider":"custom","modelName":"ledger-ok","apiBase":"{0}/v1",)"
        R"("credentialsRef":"key","costPerToken":0.001,"maxRetries":0}}]}},)"
        R"({{"id":"failing","providers":[{{"name":"f","provider":"custom","modelName":"ledger-bad@status=503","apiBase":"{0}/v1",)"
        R"("credentialsRef":"key","maxRetries":0}}],"fallbackPoolIds":["backup"]}},)"
        R"({{"id":"backup","providers":[{{"name":"b","provider":"custom","modelName":"ledger-backup","apiBase":"{0}/v1",)"
        R"("credentialsRef":"key","maxRetries":0}}]}},)"
        R"({{"id":"dead","providers":[{{"name":"d","provider":"custom","modelName":"ledger-dead@status=503","apiBase":"{0}/v1",)"
        R"("credentialsRef":"key","maxRetries":0}}]}}],)"
        R"("models":{{"chat":{{"primaryPoolId":"primary"}},"fallback":{{"primaryPoolId":"failing"}},)"
        R"("broken":{{"primaryPoolId":"dead"}}}},)"
        R"("database":{{"url":"{1}"}}}})",
        mock().base(), database_url);
    sw::LoadOptions options;
    options.env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "CANARY_KEY") return std::string(kCanary);
        return std::nullopt;
    };
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

sw::RouterOptions router_options() {
    sw::RouterOptions o;
    o.env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "CANARY_KEY") return std::string(kCanary);
        return std::nullopt;
    };
    return o;
}

std::string body(const char* model) {
    return fmt::format(R"({{"model":"{}","messages":[{{"role":"user","content":"ledger {}"}}]}})", model, kCanary);
}

// Sends the test's mix: 3 served (the first with a correlation and a client id), 1 served by the
// fallback, 1 failed, 1 malformed.
void send_mix(sw::Router& router) {
    sw::ChatOptions who;
    who.correlation_id = "corr-ledger-1";
    who.client_id = "key-team-a";
    REQUIRE(router.chat(body("chat"), who).ok());
    for (int i = 0; i < 2; ++i) REQUIRE(router.chat(body("chat")).ok());
    REQUIRE(router.chat(body("fallback")).ok());
    REQUIRE(router.chat(body("broken")).status == 502);  // every provider failed
    REQUIRE(router.chat("{not json").status == 400);
}

// The rows send_mix leaves, in order.
void check_mix(const std::vector<Row>& rows) {
    REQUIRE(rows.size() == 6);
    for (int i = 0; i < 3; ++i) {
        const Row& r = rows[static_cast<std::size_t>(i)];
        CHECK(r.model == "chat");
        CHECK(r.pool == "primary");
        CHECK(r.provider == "a");
        CHECK(r.status == 200);
        CHECK(r.error_class == "success");
        CHECK(r.attempts == 1);
        CHECK_FALSE(r.used_fallback);
        CHECK(r.input_tokens > 0);
        CHECK(r.output_tokens > 0);
        REQUIRE(r.cost_usd);
        CHECK(*r.cost_usd == Approx(0.001 * double(r.input_tokens + r.output_tokens)));
        CHECK(r.latency_us > 0);
        CHECK(r.operation == "chat");
        CHECK_FALSE(r.cache_hit);
        CHECK(r.time_us > 1700000000LL * 1000000);  // wall time, not the router's monotonic clock
    }
    CHECK(rows[0].correlation_id == "corr-ledger-1");
    CHECK(rows[0].client_id == "key-team-a");
    for (std::size_t i = 1; i < rows.size(); ++i) {
        CHECK(rows[i].correlation_id.empty());
        CHECK(rows[i].client_id.empty());
    }
    const Row& fb = rows[3];
    CHECK(fb.model == "fallback");
    CHECK(fb.pool == "backup");
    CHECK(fb.provider == "b");
    CHECK(fb.attempts == 2);
    CHECK(fb.used_fallback);
    CHECK_FALSE(fb.cost_usd);  // backup has no price
    const Row& failed = rows[4];
    CHECK(failed.model == "broken");
    CHECK(failed.status == 502);
    CHECK(failed.error_class == "transient");
    CHECK(failed.provider.empty());
    CHECK(failed.pool.empty());
    CHECK(failed.attempts == 1);
    CHECK(failed.input_tokens == 0);
    const Row& malformed = rows[5];
    CHECK(malformed.status == 400);
    CHECK(malformed.error_class == "invalid_request");
    CHECK(malformed.model.empty());
    CHECK(malformed.attempts == 0);
    for (std::size_t i = 1; i < rows.size(); ++i) CHECK(rows[i].time_us >= rows[i - 1].time_us);
}

std::string file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<Row> read_ledger(const std::string& url) {
    std::string error;
    auto parsed = sw::parse_database_url(url, error);
    REQUIRE(parsed);
    auto store = sw::ledger::make_store(*parsed);
    const std::string why = store->open(sw::ledger::Store::Mode::read);
    INFO(why);
    REQUIRE(why.empty());
    return store->read(0);
}

// How many rows the ledger at `url` holds; -1 while it cannot be read (not created yet, or its
// server is down), for polling.
long row_count(const std::string& url) {
    std::string error;
    auto parsed = sw::parse_database_url(url, error);
    if (!parsed) return -1;
    auto store = sw::ledger::make_store(*parsed);
    if (!store->open(sw::ledger::Store::Mode::read).empty()) return -1;
    try {
        return static_cast<long>(store->read(0).size());
    } catch (const std::exception&) {
        return -1;
    }
}

template <class Predicate>
bool eventually(Predicate p, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!p()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

// The value of an unlabelled counter, or of one with the given label, in the metrics text.
std::string metric_line(const std::string& text, const std::string& series) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(series + " ", 0) == 0) return line.substr(series.size() + 1);
    return "absent";
}

std::optional<std::string> pg_bindir_or_skip() {
    auto bindir = sw::test::postgres_bindir();
    if (!bindir) {
        const char* ci = std::getenv("CI");
        if (ci && std::string(ci) == "true") FAIL("PostgreSQL's server is not installed; tools/deps.sh installs it");
        WARN("SKIPPED: PostgreSQL's server (Debian's postgresql package) is not installed");
    }
    return bindir;
}

}  // namespace

TEST_CASE("ledger over SQLite: a row per served, failed and malformed request, and never a key", "[ledger]") {
    TempDir dir;
    const std::string path = (dir.path / "ledger.db").string();
    std::string metrics;
    {
        sw::Router router(config("sqlite://" + path), router_options());
        send_mix(router);
        // A row is written within the writer's interval, while the router runs.
        REQUIRE(eventually([&] { return row_count("sqlite://" + path) == 6; }));
        metrics = router.metrics_text();
    }
    check_mix(read_ledger("sqlite://" + path));
    CHECK(metric_line(metrics, "switch_ledger_rows_written_total") == "6");
    CHECK(metric_line(metrics, R"(switch_ledger_rows_dropped_total{reason="database_unavailable"})") == "0");
    CHECK(metric_line(metrics, R"(switch_ledger_rows_dropped_total{reason="queue_full"})") == "0");
    // Neither the key nor the prompt is anywhere in the database's files.
    for (const auto& f : std::filesystem::directory_iterator(dir.path)) {
        const std::string bytes = file_bytes(f.path());
        CHECK(bytes.find(kCanary) == std::string::npos);
        CHECK(bytes.find("sk-canary") == std::string::npos);
    }
}

TEST_CASE("ledger over SQLite: the router's destruction writes what is queued", "[ledger]") {
    TempDir dir;
    const std::string path = (dir.path / "ledger.db").string();
    {
        sw::Router router(config("sqlite://" + path), router_options());
        send_mix(router);
    }  // no wait: ~Router flushes
    check_mix(read_ledger("sqlite://" + path));
}

TEST_CASE("ledger over SQLite: a database that cannot be opened is retried until it can", "[ledger]") {
    TempDir dir;
    const auto missing = dir.path / "later";
    const std::string url = "sqlite://" + (missing / "ledger.db").string();
    // Its outage and its return are logged, once each.
    std::mutex mutex;
    std::vector<std::string> lines;
    sw::RouterOptions options = router_options();
    options.log_sink = [&](sw::LogLevel level, std::string_view line) {
        std::lock_guard lock(mutex);
        if (line.find(R"("event":"ledger")") != std::string_view::npos)
            lines.push_back(std::string(sw::to_string(level)) + " " + std::string(line));
    };
    sw::Router router(config(url), options);
    send_mix(router);
    // Nothing can be written while the directory is missing; the rows wait in the queue.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(metric_line(router.metrics_text(), "switch_ledger_rows_written_total") == "0");
    std::filesystem::create_directories(missing);
    REQUIRE(eventually([&] { return metric_line(router.metrics_text(), "switch_ledger_rows_written_total") == "6"; }));
    check_mix(read_ledger(url));
    CHECK(metric_line(router.metrics_text(), R"(switch_ledger_rows_dropped_total{reason="database_unavailable"})") ==
          "0");
    std::lock_guard lock(mutex);
    REQUIRE(lines.size() == 2);
    CHECK_THAT(lines[0], Catch::StartsWith("warning "));
    CHECK_THAT(lines[0], Catch::Contains(R"("state":"unreachable","error":")"));
    CHECK_THAT(lines[0], Catch::Contains(R"("dropped":0)"));
    CHECK_THAT(lines[1], Catch::StartsWith("info "));
    CHECK_THAT(lines[1], Catch::Contains(R"("state":"writing","dropped":0)"));
    for (const std::string& line : lines) CHECK(line.find("canary") == std::string::npos);
}

TEST_CASE("ledger over PostgreSQL: rows through a router, never a key, and writing resumes after a restart",
          "[ledger][postgres]") {
    auto bindir = pg_bindir_or_skip();
    if (!bindir) return;
    sw::test::PgCluster pg(*bindir);
    {
        sw::Router router(config(pg.url()), router_options());
        send_mix(router);
        REQUIRE(eventually([&] { return row_count(pg.url()) == 6; }));
        check_mix(read_ledger(pg.url()));

        // The server goes away mid-run: rows wait in the queue, then are written after it returns.
        pg.stop();
        send_mix(router);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        pg.start();
        REQUIRE(eventually([&] { return row_count(pg.url()) == 12; }));
        const std::string metrics = router.metrics_text();
        CHECK(metric_line(metrics, "switch_ledger_rows_written_total") == "12");
        CHECK(metric_line(metrics, R"(switch_ledger_rows_dropped_total{reason="database_unavailable"})") == "0");
    }
    const std::vector<Row> rows = read_ledger(pg.url());
    REQUIRE(rows.size() == 12);
    check_mix(std::vector<Row>(rows.begin(), rows.begin() + 6));
    check_mix(std::vector<Row>(rows.begin() + 6, rows.end()));

    // No text column of any row holds the key (or the prompt, which held it too).
    PGconn* conn = PQconnectdb(pg.url().c_str());
    REQUIRE(PQstatus(conn) == CONNECTION_OK);
    PGresult* r = PQexec(conn, "SELECT count(*) FROM switch_usage AS u WHERE u::text LIKE '%sk-canary%'");
    REQUIRE(PQresultStatus(r) == PGRES_TUPLES_OK);
    CHECK(std::string(PQgetvalue(r, 0, 0)) == "0");
    PQclear(r);
    r = PQexec(conn, "SELECT count(*) FROM switch_usage AS u WHERE u::text LIKE '%ledger-ok%'");
    CHECK(std::string(PQgetvalue(r, 0, 0)) == "0");  // the provider's model name is not a column either
    PQclear(r);
    PQfinish(conn);
}

TEST_CASE("ledger over PostgreSQL: rows dropped while the server is down are counted exactly", "[ledger][postgres]") {
    auto bindir = pg_bindir_or_skip();
    if (!bindir) return;
    sw::test::PgCluster pg(*bindir);
    std::string error;
    auto url = sw::parse_database_url(pg.url(), error);
    REQUIRE(url);
    sw::ledger::LedgerOptions options;
    options.queue_capacity = 8;
    options.writer.flush_interval = sw::Millis(5);
    options.writer.backoff_initial = sw::Millis(10);
    options.writer.backoff_max = sw::Millis(50);
    sw::ledger::Ledger ledger(sw::ledger::make_store(*url), options);
    const auto& c = *ledger.counters();

    sw::RouteResult trace;
    trace.ok = true;
    trace.model = "m";
    trace.pool_id = "p";
    trace.provider = "a";
    auto event = [&](sw::RequestId id) {
        return sw::RequestFinishedEvent{.time = {}, .request = id, .operation = "chat", .streaming = false,
                                        .status = 200, .error_class = sw::ErrorClass::success, .trace = trace,
                                        .cost_usd = std::nullopt, .latency = sw::Nanos(1000),
                                        .time_to_first_token = std::nullopt};
    };
    for (sw::RequestId id = 1; id <= 5; ++id) ledger.on_request_finished(event(id));
    REQUIRE(ledger.flush(sw::Millis(10000)));
    CHECK(c.written.load() == 5);

    pg.stop();
    // The next row's write finds the connection gone: the writer keeps it and reconnects, and fails.
    ledger.on_request_finished(event(6));
    REQUIRE(eventually([&] { return !ledger.connected() && !ledger.last_error().empty(); }));
    INFO(ledger.last_error());
    CHECK(ledger.last_error().rfind("PostgreSQL: ", 0) == 0);
    for (sw::RequestId id = 7; id <= 26; ++id) ledger.on_request_finished(event(id));
    // 8 fit in the queue, 12 do not.
    CHECK(c.dropped_of(sw::observe::LedgerDrop::database_unavailable) == 12);
    CHECK(c.dropped_of(sw::observe::LedgerDrop::queue_full) == 0);

    pg.start();
    REQUIRE(ledger.flush(sw::Millis(20000)));
    CHECK(ledger.connected());
    CHECK(c.written.load() == 5 + 1 + 8);
    const std::vector<Row> rows = read_ledger(pg.url());
    REQUIRE(rows.size() == 14);
    std::vector<std::uint64_t> ids;
    for (const Row& r : rows) ids.push_back(r.request_id);
    CHECK(ids == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
}
