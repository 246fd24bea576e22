// postgres_store.cpp — writing rows to PostgreSQL with COPY, reading them back for switchctl.
#include "ledger/postgres_store.hpp"

#include "ledger/schema.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace sw::ledger {

namespace {

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

void append_text(std::string& out, std::string_view v) {
    for (char c : v) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
        }
    }
}

std::int64_t to_int64(const char* text) {
    std::int64_t v = 0;
    std::from_chars(text, text + std::char_traits<char>::length(text), v);
    return v;
}

}  // namespace

void append_copy_line(std::string& out, const Row& row) {
    auto field = [&](std::string_view v) {
        append_text(out, v);
        out += '\t';
    };
    auto number = [&](auto v) { fmt::format_to(std::back_inserter(out), "{}\t", v); };
    auto boolean = [&](bool v) { out += v ? "t\t" : "f\t"; };
    field(format_time(row.time_us));
    number(static_cast<std::int64_t>(row.request_id));
    field(row.correlation_id);
    field(row.client_id);
    field(row.operation);
    boolean(row.streaming);
    field(row.model);
    field(row.label);
    field(row.provider);
    field(row.pool);
    number(row.input_tokens);
    number(row.output_tokens);
    if (row.cost_usd) number(*row.cost_usd);  // fmt writes the shortest text that reads back exactly
    else out += "\\N\t";
    number(row.latency_us);
    if (row.ttft_us) number(*row.ttft_us);
    else out += "\\N\t";
    number(row.status);
    field(row.error_class);
    number(row.attempts);
    boolean(row.used_fallback);
    out += row.cache_hit ? "t\n" : "f\n";
}

std::string PostgresStore::error_text(std::string_view what) const {
    std::string detail = conn_ ? PQerrorMessage(conn_) : "out of memory";
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    // libpq's messages name the host and port, never the password.
    return fmt::format("PostgreSQL: {}: {}", what, detail);
}

std::string PostgresStore::open(Mode mode) {
    close();
    // connect_timeout first: a value in the URL comes later and overrides it. A writer that waits
    // on an unreachable host waits on its own thread; switchctl waits at most this long.
    const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"5", mode == Mode::write ? "libswitch-ledger" : "switchctl", url_.c_str(), nullptr};
    conn_ = PQconnectdbParams(keywords, values, 1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        std::string why = error_text("cannot connect");
        close();
        return why;
    }
    // Messages in a fixed form; NOTICEs ("relation already exists") are not printed.
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    std::string why = mode == Mode::write ? migrate() : check_version();
    if (!why.empty()) close();
    return why;
}

std::string PostgresStore::check_version() {
    Result r(PQexec(conn_, "SELECT version FROM switch_ledger_schema"));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK)
        return fmt::format("PostgreSQL: no usage ledger in this database (no {} table)", kVersionTable);
    if (PQntuples(r.get()) < 1) return "PostgreSQL: the ledger's schema version is missing";
    const auto v = to_int64(PQgetvalue(r.get(), 0, 0));
    if (v > kSchemaVersion)
        return fmt::format("PostgreSQL: the ledger's schema version {} is newer than this libswitch's ({})", v,
                           kSchemaVersion);
    return {};
}

std::string PostgresStore::migrate() {
    auto exec = [&](std::string_view sql) -> std::string {
        Result r(PQexec(conn_, std::string(sql).c_str()));
        const ExecStatusType st = PQresultStatus(r.get());
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return {};
        return error_text("creating the ledger's schema");
    };
    std::string why = exec("BEGIN");
    // Two routers starting on one new database must not both create the table: the advisory
    // lock (held to the end of the transaction) makes the second wait, then see version 1.
    if (why.empty()) why = exec("SELECT pg_advisory_xact_lock(7206455510394011137)");
    if (why.empty()) why = exec("CREATE TABLE IF NOT EXISTS switch_ledger_schema (version INTEGER NOT NULL)");
    if (!why.empty()) {
        exec("ROLLBACK");
        return why;
    }
    Result r(PQexec(conn_, "SELECT version FROM switch_ledger_schema"));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
        why = error_text("reading the ledger's schema version");
        exec("ROLLBACK");
        return why;
    }
    const bool has_row = PQntuples(r.get()) > 0;
    const std::int64_t version = has_row ? to_int64(PQgetvalue(r.get(), 0, 0)) : 0;
    if (version > kSchemaVersion) {
        exec("ROLLBACK");
        return fmt::format("PostgreSQL: the ledger's schema version {} is newer than this libswitch's ({}); "
                           "writing stopped rather than mix row formats",
                           version, kSchemaVersion);
    }
    for (int to = static_cast<int>(version) + 1; to <= kSchemaVersion && why.empty(); ++to)
        for (std::string_view statement : migration(Dialect::postgres, to))
            if (why.empty()) why = exec(statement);
    if (why.empty() && version != kSchemaVersion)
        why = exec(has_row ? fmt::format("UPDATE switch_ledger_schema SET version = {}", kSchemaVersion)
                           : fmt::format("INSERT INTO switch_ledger_schema VALUES ({})", kSchemaVersion));
    if (why.empty()) why = exec("COMMIT");
    if (!why.empty()) exec("ROLLBACK");
    return why;
}

void PostgresStore::close() {
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
}

WriteResult PostgresStore::write(std::span<const Row> rows) {
    if (!conn_) return {WriteResult::Kind::unavailable, "PostgreSQL: not connected"};
    // A lost connection keeps the rows for the next connection; anything else is these rows'.
    auto failed = [&](std::string_view what) {
        const bool lost = PQstatus(conn_) != CONNECTION_OK;
        return WriteResult{lost ? WriteResult::Kind::unavailable : WriteResult::Kind::rejected, error_text(what)};
    };
    const std::string copy = fmt::format("COPY {} ({}) FROM STDIN", kTable, kColumns);
    {
        Result r(PQexec(conn_, copy.c_str()));
        if (PQresultStatus(r.get()) != PGRES_COPY_IN) return failed("starting COPY");
    }
    std::string data;
    data.reserve(rows.size() * 160);
    for (const Row& row : rows) append_copy_line(data, row);
    bool sent = PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) == 1;
    sent = PQputCopyEnd(conn_, sent ? nullptr : "libswitch: sending the rows failed") == 1 && sent;
    WriteResult result;
    // Every result of the COPY must be read before the connection takes another command.
    bool ok = sent;
    while (PGresult* raw = PQgetResult(conn_)) {
        Result r(raw);
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) ok = false;
    }
    if (!ok) return failed("writing rows");
    return result;
}

std::vector<Row> PostgresStore::read(std::int64_t since_us) {
    if (!conn_) throw std::runtime_error("PostgreSQL: not connected");
    // The time as microseconds since the epoch, so that both stores read it one way.
    const std::string sql = fmt::format(
        "SELECT (extract(epoch FROM time) * 1000000)::bigint, request_id, correlation_id, client_id, operation, "
        "streaming, model, label, provider, pool, input_tokens, output_tokens, cost_usd, latency_us, ttft_us, "
        "status, error_class, attempts, used_fallback, cache_hit FROM {} "
        "WHERE time >= to_timestamp($1::double precision / 1000000) ORDER BY time, id",
        kTable);
    const std::string since = std::to_string(since_us);
    const char* params[] = {since.c_str()};
    Result r(PQexecParams(conn_, sql.c_str(), 1, nullptr, params, nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) throw std::runtime_error(error_text("reading the ledger"));
    std::vector<Row> rows;
    const int n = PQntuples(r.get());
    rows.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        auto text = [&](int c) { return std::string(PQgetvalue(r.get(), i, c)); };
        auto int64 = [&](int c) { return to_int64(PQgetvalue(r.get(), i, c)); };
        auto flag = [&](int c) { return PQgetvalue(r.get(), i, c)[0] == 't'; };
        Row row;
        row.time_us = int64(0);
        row.request_id = static_cast<std::uint64_t>(int64(1));
        row.correlation_id = text(2);
        row.client_id = text(3);
        row.operation = text(4);
        row.streaming = flag(5);
        row.model = text(6);
        row.label = text(7);
        row.provider = text(8);
        row.pool = text(9);
        row.input_tokens = int64(10);
        row.output_tokens = int64(11);
        if (!PQgetisnull(r.get(), i, 12)) row.cost_usd = std::strtod(PQgetvalue(r.get(), i, 12), nullptr);
        row.latency_us = int64(13);
        if (!PQgetisnull(r.get(), i, 14)) row.ttft_us = int64(14);
        row.status = static_cast<int>(int64(15));
        row.error_class = text(16);
        row.attempts = static_cast<int>(int64(17));
        row.used_fallback = flag(18);
        row.cache_hit = flag(19);
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace sw::ledger
