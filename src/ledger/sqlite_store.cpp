// sqlite_store.cpp — writing rows to SQLite with one prepared INSERT in one transaction per batch.
#include "ledger/sqlite_store.hpp"

#include "ledger/schema.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>

namespace sw::ledger {

namespace {

// Errors that say the file cannot be used now (gone, locked, full, read-only, not a database)
// rather than that these rows are wrong: the writer keeps the rows and reopens.
bool is_unavailable(int rc) {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
        case SQLITE_PERM:
        case SQLITE_PROTOCOL: return true;
        default: return false;
    }
}

std::string text_column(sqlite3_stmt* s, int i) {
    const unsigned char* t = sqlite3_column_text(s, i);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
             : std::string();
}

}  // namespace

std::string SqliteStore::error_text(int rc) const {
    const char* detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    return fmt::format("SQLite {}: {}", path_, detail ? detail : sqlite3_errstr(rc));
}

std::string SqliteStore::open(Mode mode) {
    close();
    if (mode == Mode::read && !std::filesystem::exists(path_))
        return fmt::format("SQLite {}: no such file", path_);
    const int flags = mode == Mode::write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    int rc = sqlite3_open_v2(path_.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string why = error_text(rc);
        close();
        return why;
    }
    // A reader holding the file (switchctl usage) makes a write wait this long, not fail.
    sqlite3_busy_timeout(db_, 2000);
    std::string why;
    if (mode == Mode::write) {
        // WAL lets readers read while the writer writes; NORMAL syncs at checkpoints only, which
        // in WAL mode loses no committed row on a process crash (only on a power loss).
        rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) why = error_text(rc);
        if (why.empty()) why = migrate();
        if (why.empty()) {
            const std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ({})", kTable, kColumns,
                                                "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?");
            rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &insert_, nullptr);
            if (rc != SQLITE_OK) why = error_text(rc);
        }
    } else {
        sqlite3_stmt* s = nullptr;
        rc = sqlite3_prepare_v2(db_, "SELECT version FROM switch_ledger_schema", -1, &s, nullptr);
        if (rc != SQLITE_OK) {
            why = fmt::format("SQLite {}: no usage ledger in this database (no {} table)", path_, kVersionTable);
        } else if (sqlite3_step(s) != SQLITE_ROW) {
            why = fmt::format("SQLite {}: the ledger's schema version is missing", path_);
        } else if (const int v = sqlite3_column_int(s, 0); v > kSchemaVersion) {
            why = fmt::format("SQLite {}: the ledger's schema version {} is newer than this libswitch's ({})", path_,
                              v, kSchemaVersion);
        }
        sqlite3_finalize(s);
    }
    if (!why.empty()) close();
    return why;
}

std::string SqliteStore::migrate() {
    // BEGIN IMMEDIATE takes the write lock first, so that two routers opening one new file
    // do not both create the table.
    int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return error_text(rc);
    auto fail = [&](int code) {
        std::string why = error_text(code);
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return why;
    };
    rc = sqlite3_exec(db_, "CREATE TABLE IF NOT EXISTS switch_ledger_schema (version INTEGER NOT NULL)", nullptr,
                      nullptr, nullptr);
    if (rc != SQLITE_OK) return fail(rc);
    int version = 0;
    sqlite3_stmt* s = nullptr;
    rc = sqlite3_prepare_v2(db_, "SELECT version FROM switch_ledger_schema", -1, &s, nullptr);
    if (rc != SQLITE_OK) return fail(rc);
    const bool has_row = sqlite3_step(s) == SQLITE_ROW;
    if (has_row) version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (version > kSchemaVersion) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return fmt::format("SQLite {}: the ledger's schema version {} is newer than this libswitch's ({}); "
                           "writing stopped rather than mix row formats",
                           path_, version, kSchemaVersion);
    }
    for (int to = version + 1; to <= kSchemaVersion; ++to)
        for (std::string_view statement : migration(Dialect::sqlite, to)) {
            rc = sqlite3_exec(db_, std::string(statement).c_str(), nullptr, nullptr, nullptr);
            if (rc != SQLITE_OK) return fail(rc);
        }
    if (version != kSchemaVersion) {
        const std::string set = has_row ? fmt::format("UPDATE switch_ledger_schema SET version = {}", kSchemaVersion)
                                        : fmt::format("INSERT INTO switch_ledger_schema VALUES ({})", kSchemaVersion);
        rc = sqlite3_exec(db_, set.c_str(), nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) return fail(rc);
    }
    rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return fail(rc);
    return {};
}

void SqliteStore::close() {
    if (insert_) sqlite3_finalize(insert_);
    insert_ = nullptr;
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
}

WriteResult SqliteStore::write(std::span<const Row> rows) {
    if (!db_ || !insert_) return {WriteResult::Kind::unavailable, fmt::format("SQLite {}: not open", path_)};
    auto failed = [&](int rc) {
        WriteResult r{is_unavailable(rc) ? WriteResult::Kind::unavailable : WriteResult::Kind::rejected,
                      error_text(rc)};
        sqlite3_reset(insert_);
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return r;
    };
    int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return failed(rc);
    for (const Row& row : rows) {
        sqlite3_stmt* s = insert_;
        const std::string time = format_time(row.time_us);
        auto text = [&](int i, const std::string& v) {
            sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        };
        text(1, time);
        sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(row.request_id));
        text(3, row.correlation_id);
        text(4, row.client_id);
        text(5, row.operation);
        sqlite3_bind_int(s, 6, row.streaming ? 1 : 0);
        text(7, row.model);
        text(8, row.label);
        text(9, row.provider);
        text(10, row.pool);
        sqlite3_bind_int64(s, 11, row.input_tokens);
        sqlite3_bind_int64(s, 12, row.output_tokens);
        if (row.cost_usd) sqlite3_bind_double(s, 13, *row.cost_usd);
        else sqlite3_bind_null(s, 13);
        sqlite3_bind_int64(s, 14, row.latency_us);
        if (row.ttft_us) sqlite3_bind_int64(s, 15, *row.ttft_us);
        else sqlite3_bind_null(s, 15);
        sqlite3_bind_int(s, 16, row.status);
        text(17, row.error_class);
        sqlite3_bind_int(s, 18, row.attempts);
        sqlite3_bind_int(s, 19, row.used_fallback ? 1 : 0);
        sqlite3_bind_int(s, 20, row.cache_hit ? 1 : 0);
        rc = sqlite3_step(s);
        if (rc != SQLITE_DONE) return failed(rc);
        sqlite3_reset(s);
    }
    rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return failed(rc);
    return {};
}

std::vector<Row> SqliteStore::read(std::int64_t since_us) {
    if (!db_) throw std::runtime_error(fmt::format("SQLite {}: not open", path_));
    const std::string sql =
        fmt::format("SELECT {} FROM {} WHERE time >= ? ORDER BY time, id", kColumns, kTable);
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr);
    if (rc != SQLITE_OK) throw std::runtime_error(error_text(rc));
    const std::string since = format_time(since_us);
    sqlite3_bind_text(s, 1, since.data(), static_cast<int>(since.size()), SQLITE_TRANSIENT);
    std::vector<Row> rows;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        Row r;
        r.time_us = parse_time(text_column(s, 0)).value_or(0);
        r.request_id = static_cast<std::uint64_t>(sqlite3_column_int64(s, 1));
        r.correlation_id = text_column(s, 2);
        r.client_id = text_column(s, 3);
        r.operation = text_column(s, 4);
        r.streaming = sqlite3_column_int(s, 5) != 0;
        r.model = text_column(s, 6);
        r.label = text_column(s, 7);
        r.provider = text_column(s, 8);
        r.pool = text_column(s, 9);
        r.input_tokens = sqlite3_column_int64(s, 10);
        r.output_tokens = sqlite3_column_int64(s, 11);
        if (sqlite3_column_type(s, 12) != SQLITE_NULL) r.cost_usd = sqlite3_column_double(s, 12);
        r.latency_us = sqlite3_column_int64(s, 13);
        if (sqlite3_column_type(s, 14) != SQLITE_NULL) r.ttft_us = sqlite3_column_int64(s, 14);
        r.status = sqlite3_column_int(s, 15);
        r.error_class = text_column(s, 16);
        r.attempts = sqlite3_column_int(s, 17);
        r.used_fallback = sqlite3_column_int(s, 18) != 0;
        r.cache_hit = sqlite3_column_int(s, 19) != 0;
        rows.push_back(std::move(r));
    }
    const std::string why = rc == SQLITE_DONE ? std::string() : error_text(rc);
    sqlite3_finalize(s);
    if (!why.empty()) throw std::runtime_error(why);
    return rows;
}

}  // namespace sw::ledger
