// test_ledger.cpp — the usage ledger's pieces: the bounded queue, the URL forms, a row from an
// event and its encodings, the backoff, the SQLite schema and its migration, and the drops a full
// queue and an unreachable database count, with the writing that resumes when the file can be
// made (a real SQLite file in a temp dir). PostgreSQL and the whole router: tests/integration.
#include "ledger_support.hpp"
#include "temp_dir.hpp"

#include "common/database_url.hpp"
#include "ledger/backoff.hpp"
#include "ledger/ledger.hpp"
#include "ledger/postgres_store.hpp"
#include "ledger/row_queue.hpp"
#include "ledger/schema.hpp"

#include <switch/router.hpp>

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <thread>

using sw::ledger::BoundedQueue;
using sw::ledger::Row;
using sw::observe::LedgerDrop;

TEST_CASE("ledger queue: bounded, first in first out, refuses when full", "[ledger]") {
    BoundedQueue<int> q(5);
    CHECK(q.capacity() == 8);  // rounded up to a power of two
    for (int i = 0; i < 8; ++i) REQUIRE(q.try_push(int(i)));
    CHECK_FALSE(q.try_push(99));
    CHECK(q.size() == 8);
    int v = -1;
    for (int lap = 0; lap < 3; ++lap) {  // wraps around the cells
        REQUIRE(q.try_pop(v));
        CHECK(v == lap);
        REQUIRE(q.try_push(100 + lap));
        CHECK_FALSE(q.try_push(7));
    }
    std::vector<int> rest;
    while (q.try_pop(v)) rest.push_back(v);
    CHECK(rest == std::vector<int>{3, 4, 5, 6, 7, 100, 101, 102});
    CHECK_FALSE(q.try_pop(v));
}

TEST_CASE("ledger queue: producers on several threads lose nothing they were told was queued", "[ledger]") {
    BoundedQueue<std::uint64_t> q(1024);
    constexpr int kThreads = 4, kEach = 20000;
    std::atomic<std::uint64_t> accepted{0}, refused{0};
    std::atomic<bool> producing{true};
    std::uint64_t popped = 0, sum = 0;
    std::thread consumer([&] {
        std::uint64_t v = 0;
        for (;;) {
            if (q.try_pop(v)) {
                ++popped;
                sum += v;
            } else if (!producing.load()) {
                if (!q.try_pop(v)) break;
                ++popped;
                sum += v;
            }
        }
    });
    std::vector<std::thread> producers;
    std::atomic<std::uint64_t> accepted_sum{0};
    for (int t = 0; t < kThreads; ++t)
        producers.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                const std::uint64_t value = static_cast<std::uint64_t>(t) * kEach + static_cast<std::uint64_t>(i);
                std::uint64_t copy = value;
                if (q.try_push(std::move(copy))) {
                    accepted.fetch_add(1);
                    accepted_sum.fetch_add(value);
                } else {
                    refused.fetch_add(1);
                }
            }
        });
    for (auto& p : producers) p.join();
    producing.store(false);
    consumer.join();
    CHECK(accepted + refused == kThreads * kEach);
    CHECK(popped == accepted);
    CHECK(sum == accepted_sum);
}

TEST_CASE("database URLs: the two stores, and a precise reason for each bad form", "[ledger]") {
    std::string error;
    auto abs = sw::parse_database_url("sqlite:///var/lib/switch/ledger.db", error);
    REQUIRE(abs);
    CHECK(abs->kind == sw::DatabaseUrl::Kind::sqlite);
    CHECK(abs->target == "/var/lib/switch/ledger.db");
    auto rel = sw::parse_database_url("sqlite://data/ledger.db", error);
    REQUIRE(rel);
    CHECK(rel->target == "data/ledger.db");
    auto pg = sw::parse_database_url("postgresql://u:pw@127.0.0.1:5432/db", error);
    REQUIRE(pg);
    CHECK(pg->kind == sw::DatabaseUrl::Kind::postgres);
    CHECK(pg->target == "postgresql://u:pw@127.0.0.1:5432/db");
    CHECK(sw::parse_database_url("postgres://h/db", error));

    auto reason = [](std::string_view url) {
        std::string why;
        CHECK_FALSE(sw::parse_database_url(url, why));
        return why;
    };
    CHECK(reason("sqlite:ledger.db") == "a SQLite URL is sqlite:///ABSOLUTE/PATH or sqlite://RELATIVE/PATH");
    CHECK(reason("sqlite://") ==
          "the SQLite URL has no file path; expected sqlite:///ABSOLUTE/PATH or sqlite://RELATIVE/PATH");
    CHECK(reason("sqlite:///") ==
          "the SQLite URL has no file path; expected sqlite:///ABSOLUTE/PATH or sqlite://RELATIVE/PATH");
    CHECK(reason("sqlite:///var/lib/") == "the SQLite URL's path names a directory; it must name a file");
    CHECK(reason("sqlite:///a.db?mode=ro") == "the SQLite URL has a query or fragment; only a file path is supported");
    CHECK(reason("sqlite://:memory:") == "an in-memory SQLite database would lose every row; give a file path");
    CHECK(reason("postgresql+asyncpg://u:pw@h/db") ==
          "a driver suffix such as \"+asyncpg\" is not supported; write postgresql://...");
    CHECK(reason("sqlite+aiosqlite:///a.db") ==
          "a driver suffix such as \"+aiosqlite\" is not supported; write sqlite:///PATH");
    CHECK(reason("mysql://u:pw@h/db") == "unsupported scheme \"mysql\"; expected sqlite or postgresql (or postgres)");
    CHECK(reason("ledger.db") == "not a URL; expected sqlite:///PATH, sqlite://RELATIVE/PATH or postgresql://...");
    CHECK(reason("postgresql://h/my db") == "the PostgreSQL URL contains a space; percent-encode it as %20");
    CHECK(reason("sqlite:///a\n.db") == "contains a control character");
    // No reason echoes a password.
    CHECK(reason("mysql://u:hunter2@h/db").find("hunter2") == std::string::npos);

    CHECK(sw::redact_database_url("postgresql://u:hunter2@h:5/db") == "postgresql://u:***@h:5/db");
    CHECK(sw::redact_database_url("postgresql://u@h/db") == "postgresql://u@h/db");
    CHECK(sw::redact_database_url("sqlite:///a.db") == "sqlite:///a.db");
}

TEST_CASE("ledger row: from a finished request, and its time as text", "[ledger]") {
    sw::RouteResult trace = swtest::served_trace();
    trace.used_fallback = true;
    trace.route = sw::PromptRoute{};
    trace.route->label = "code";
    sw::AttemptRecord failed;
    failed.pool_id = "q";
    failed.provider = "b";
    trace.attempts.insert(trace.attempts.begin(), failed);
    sw::RequestFinishedEvent e = swtest::finished(trace, 42);
    e.streaming = true;
    e.time_to_first_token = std::chrono::microseconds(700);
    e.correlation_id = "corr-9f2";
    e.client_id = "key-ops";
    const Row row = sw::ledger::make_row(e, 1765097535123456);
    CHECK(row.time_us == 1765097535123456);
    CHECK(row.request_id == 42);
    CHECK(row.operation == "chat");
    CHECK(row.streaming);
    CHECK(row.model == "m");
    CHECK(row.label == "code");
    CHECK(row.pool == "p");
    CHECK(row.provider == "a");
    CHECK(row.input_tokens == 10);
    CHECK(row.output_tokens == 5);
    CHECK(row.cost_usd == 0.25);
    CHECK(row.latency_us == 1500);
    CHECK(row.ttft_us == 700);
    CHECK(row.status == 200);
    CHECK(row.error_class == "success");
    CHECK(row.attempts == 2);
    CHECK(row.used_fallback);
    CHECK_FALSE(row.cache_hit);
    CHECK(row.correlation_id == "corr-9f2");
    CHECK(row.client_id == "key-ops");

    // A model without a prompt router has no label; an unknown price is no cost.
    sw::RouteResult plain = swtest::served_trace();
    sw::RequestFinishedEvent e2 = swtest::finished(plain);
    e2.cost_usd.reset();
    const Row row2 = sw::ledger::make_row(e2, 0);
    CHECK(row2.label.empty());
    CHECK(row2.correlation_id.empty());
    CHECK(row2.client_id.empty());
    CHECK_FALSE(row2.cost_usd);
    CHECK_FALSE(row2.ttft_us);

    CHECK(sw::ledger::format_time(0) == "1970-01-01T00:00:00.000000Z");
    CHECK(sw::ledger::format_time(1765097535123456) == "2025-12-07T08:52:15.123456Z");
    CHECK(sw::ledger::parse_time("2025-12-07T08:52:15.123456Z") == 1765097535123456);
    CHECK(sw::ledger::parse_time("1970-01-01T00:00:00.000000Z") == 0);
    CHECK_FALSE(sw::ledger::parse_time("2025-12-07 08:52:15"));
    CHECK_FALSE(sw::ledger::parse_time("2025-02-30T00:00:00.000000Z"));
}

TEST_CASE("ledger row: COPY's text format escapes what would split a field or a line", "[ledger]") {
    Row row;
    row.time_us = 0;
    row.request_id = 7;
    row.model = "a\tb\\c\nd\re";
    row.operation = "chat";
    row.error_class = "success";
    row.cost_usd = 0.1;
    std::string line;
    sw::ledger::append_copy_line(line, row);
    CHECK(line ==
          "1970-01-01T00:00:00.000000Z\t7\t\t\tchat\tf\ta\\tb\\\\c\\nd\\re\t\t\t\t0\t0\t0.1\t0\t\\N\t0\tsuccess\t0\tf\tf\n");
}

TEST_CASE("ledger backoff: doubles from its start to its cap, and starts again after a success", "[ledger]") {
    sw::ledger::Backoff b{sw::Millis(100), sw::Millis(1000)};
    std::vector<long> waits;
    for (int i = 0; i < 6; ++i) waits.push_back(static_cast<long>(b.failed().count()));
    CHECK(waits == std::vector<long>{100, 200, 400, 800, 1000, 1000});
    b.succeeded();
    CHECK(b.failed() == sw::Millis(100));
}

namespace {

int sqlite_version_of(const std::string& path) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    int version = -1;
    if (sqlite3_prepare_v2(db, "SELECT version FROM switch_ledger_schema", -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return version;
}

void sqlite_exec(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    INFO(sql);
    CHECK(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
}

}  // namespace

TEST_CASE("ledger SQLite: created from nothing, migrated once, and a newer schema refused", "[ledger]") {
    swtest::TempDir dir;
    const std::string path = (dir.path / "ledger.db").string();
    sw::ledger::SqliteStore store(path);
    // Reading a database that has no ledger says so, and creates nothing.
    CHECK(store.open(sw::ledger::Store::Mode::read) == "SQLite " + path + ": no such file");
    CHECK_FALSE(std::filesystem::exists(path));

    REQUIRE(store.open(sw::ledger::Store::Mode::write).empty());
    CHECK(sqlite_version_of(path) == sw::ledger::kSchemaVersion);
    sw::RouteResult trace = swtest::served_trace();
    std::vector<Row> rows = {sw::ledger::make_row(swtest::finished(trace, 1), 1000000),
                             sw::ledger::make_row(swtest::finished(trace, 2), 2000000)};
    REQUIRE(store.write(rows).kind == sw::ledger::WriteResult::Kind::ok);
    store.close();
    // Opening again migrates nothing and keeps the rows.
    REQUIRE(store.open(sw::ledger::Store::Mode::write).empty());
    store.close();
    const std::vector<Row> back = swtest::read_sqlite(path);
    REQUIRE(back.size() == 2);
    CHECK(back[0].request_id == 1);
    CHECK(back[1].time_us == 2000000);
    CHECK(back[1].cost_usd == 0.25);
    CHECK(back[1].model == "m");
    CHECK_FALSE(back[1].ttft_us);

    // A database that has a table of that name but no version is not taken for a ledger by readers.
    const std::string other = (dir.path / "other.db").string();
    sqlite_exec(other, "CREATE TABLE t (x INTEGER)");
    sw::ledger::SqliteStore reader(other);
    CHECK(reader.open(sw::ledger::Store::Mode::read) ==
          "SQLite " + other + ": no usage ledger in this database (no switch_ledger_schema table)");

    // A ledger written by a newer libswitch is left alone.
    sqlite_exec(path, "UPDATE switch_ledger_schema SET version = 99");
    CHECK(store.open(sw::ledger::Store::Mode::write) ==
          "SQLite " + path + ": the ledger's schema version 99 is newer than this libswitch's (1); writing stopped "
                             "rather than mix row formats");
    CHECK_FALSE(store.is_open());
    CHECK(sqlite_version_of(path) == 99);
}

namespace {

sw::ledger::LedgerOptions small_ledger(std::size_t capacity) {
    sw::ledger::LedgerOptions o;
    o.queue_capacity = capacity;
    o.writer.flush_interval = sw::Millis(5);
    o.writer.backoff_initial = sw::Millis(10);
    o.writer.backoff_max = sw::Millis(20);
    // An injected wall clock: each row one second after the last.
    auto tick = std::make_shared<std::atomic<std::int64_t>>(1000000);
    o.wall_clock_us = [tick] { return tick->fetch_add(1000000); };
    return o;
}

template <class Predicate>
bool eventually(Predicate p, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!p()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

}  // namespace

TEST_CASE("ledger: rows that find the queue full while the database is away are counted, then writing resumes",
          "[ledger]") {
    swtest::TempDir dir;
    const auto missing = dir.path / "not-yet";
    const std::string path = (missing / "ledger.db").string();
    sw::ledger::Ledger ledger(std::make_unique<sw::ledger::SqliteStore>(path), small_ledger(8));
    // The writer has tried the file and failed: its directory does not exist.
    REQUIRE(eventually([&] { return !ledger.last_error().empty(); }));
    CHECK(ledger.last_error().find("unable to open database file") != std::string::npos);
    CHECK_FALSE(ledger.connected());

    sw::RouteResult trace = swtest::served_trace();
    for (sw::RequestId id = 1; id <= 20; ++id) ledger.on_request_finished(swtest::finished(trace, id));
    const auto& c = *ledger.counters();
    // The queue holds 8; the writer holds none while it cannot connect; 12 are dropped.
    CHECK(ledger.queued() == 8);
    CHECK(c.dropped_of(LedgerDrop::database_unavailable) == 12);
    CHECK(c.dropped_of(LedgerDrop::queue_full) == 0);
    CHECK(c.written.load() == 0);

    std::filesystem::create_directories(missing);  // the database can be made now
    REQUIRE(ledger.flush(sw::Millis(10000)));
    CHECK(ledger.connected());
    CHECK(ledger.last_error().empty());
    CHECK(c.written.load() == 8);
    const std::vector<Row> rows = swtest::read_sqlite(path);
    REQUIRE(rows.size() == 8);
    // The first 8 were queued, in order, each stamped one second after the last.
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].request_id == i + 1);
        CHECK(rows[i].time_us == 1000000 * static_cast<std::int64_t>(i + 1));
    }
    // Later rows go straight through.
    ledger.on_request_finished(swtest::finished(trace, 21));
    REQUIRE(ledger.flush(sw::Millis(10000)));
    CHECK(c.written.load() == 9);
    CHECK(c.dropped_total() == 12);
}

TEST_CASE("ledger: a full queue while the database is reachable is counted as queue_full", "[ledger]") {
    swtest::TempDir dir;
    const std::string path = (dir.path / "ledger.db").string();
    auto options = small_ledger(4);
    options.writer.flush_interval = sw::Millis(60000);  // the writer sleeps until woken
    sw::ledger::Ledger ledger(std::make_unique<sw::ledger::SqliteStore>(path), options);
    REQUIRE(eventually([&] { return ledger.connected(); }));
    // Let the writer finish the pass that connected it and go to sleep: it pops nothing until woken.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    sw::RouteResult trace = swtest::served_trace();
    for (sw::RequestId id = 1; id <= 10; ++id) ledger.on_request_finished(swtest::finished(trace, id));
    CHECK(ledger.counters()->dropped_of(LedgerDrop::queue_full) == 6);
    CHECK(ledger.counters()->dropped_of(LedgerDrop::database_unavailable) == 0);
    REQUIRE(ledger.flush(sw::Millis(10000)));
    CHECK(swtest::read_sqlite(path).size() == 4);
}

TEST_CASE("ledger: what is still queued when its bounded flush ends is counted as shutdown", "[ledger]") {
    swtest::TempDir dir;
    const std::string path = (dir.path / "missing" / "ledger.db").string();
    auto options = small_ledger(16);
    options.shutdown_flush = sw::Millis(50);
    sw::ledger::Ledger ledger(std::make_unique<sw::ledger::SqliteStore>(path), options);
    REQUIRE(eventually([&] { return !ledger.last_error().empty(); }));
    sw::RouteResult trace = swtest::served_trace();
    for (sw::RequestId id = 1; id <= 5; ++id) ledger.on_request_finished(swtest::finished(trace, id));
    ledger.shutdown();
    CHECK(ledger.counters()->dropped_of(LedgerDrop::shutdown) == 5);
    // After the shutdown, a late row is counted, not queued.
    ledger.on_request_finished(swtest::finished(trace, 6));
    CHECK(ledger.counters()->dropped_of(LedgerDrop::shutdown) == 6);
    CHECK(ledger.queued() == 0);
}

TEST_CASE("ledger: a batch the database refuses is dropped as write_error, and later rows are written",
          "[ledger]") {
    swtest::TempDir dir;
    const std::string path = (dir.path / "ledger.db").string();
    auto options = small_ledger(64);
    sw::ledger::Ledger ledger(std::make_unique<sw::ledger::SqliteStore>(path), options);
    REQUIRE(eventually([&] { return ledger.connected(); }));
    // A trigger that refuses one model: a constraint failure, not a lost database.
    sqlite_exec(path,
                "CREATE TRIGGER refuse BEFORE INSERT ON switch_usage WHEN NEW.model = 'poison' "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END");
    sw::RouteResult poison = swtest::served_trace();
    poison.model = "poison";
    ledger.on_request_finished(swtest::finished(poison, 1));
    REQUIRE(ledger.flush(sw::Millis(10000)));
    CHECK(ledger.counters()->dropped_of(LedgerDrop::write_error) == 1);
    CHECK(ledger.last_error().find("refused") != std::string::npos);
    CHECK(ledger.connected());  // a refusal is not an outage

    sw::RouteResult good = swtest::served_trace();
    ledger.on_request_finished(swtest::finished(good, 2));
    REQUIRE(ledger.flush(sw::Millis(10000)));
    CHECK(ledger.counters()->written.load() == 1);
    const std::vector<Row> rows = swtest::read_sqlite(path);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].request_id == 2);
}

TEST_CASE("ledger: off without a URL, and a hand-built config's bad URL is refused by the router", "[ledger]") {
    auto config = std::make_shared<sw::Config>();
    {
        sw::Router router(config);
        CHECK(router.metrics_text().find("switch_ledger") == std::string::npos);
    }
    auto bad = std::make_shared<sw::Config>();
    bad->database.url = sw::Secret("mysql://u:hunter2@h/db");
    CHECK_THROWS_WITH(sw::Router(bad),
                      "Router: database.url: unsupported scheme \"mysql\"; expected sqlite or postgresql (or postgres)");
}
