// schema.cpp — the ledger's DDL, one list of statements per version and dialect. A new version
// appends a list; a released one never changes.
#include "ledger/schema.hpp"

#include <stdexcept>

namespace sw::ledger {

namespace {

// Version 1. SQLite stores the time as fixed-width ISO 8601 text (UTC), which sorts as time;
// PostgreSQL as timestamptz. Booleans are 0/1 integers in SQLite.
const std::vector<std::string_view> kSqliteV1 = {
    R"(CREATE TABLE switch_usage (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    request_id INTEGER NOT NULL,
    correlation_id TEXT NOT NULL DEFAULT '',
    client_id TEXT NOT NULL DEFAULT '',
    operation TEXT NOT NULL,
    streaming INTEGER NOT NULL,
    model TEXT NOT NULL,
    label TEXT NOT NULL,
    provider TEXT NOT NULL,
    pool TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL,
    latency_us INTEGER NOT NULL,
    ttft_us INTEGER,
    status INTEGER NOT NULL,
    error_class TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    used_fallback INTEGER NOT NULL,
    cache_hit INTEGER NOT NULL))",
    "CREATE INDEX switch_usage_time ON switch_usage (time)",
};

const std::vector<std::string_view> kPostgresV1 = {
    R"(CREATE TABLE switch_usage (
    id BIGSERIAL PRIMARY KEY,
    time TIMESTAMPTZ NOT NULL,
    request_id BIGINT NOT NULL,
    correlation_id TEXT NOT NULL DEFAULT '',
    client_id TEXT NOT NULL DEFAULT '',
    operation TEXT NOT NULL,
    streaming BOOLEAN NOT NULL,
    model TEXT NOT NULL,
    label TEXT NOT NULL,
    provider TEXT NOT NULL,
    pool TEXT NOT NULL,
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    cost_usd DOUBLE PRECISION,
    latency_us BIGINT NOT NULL,
    ttft_us BIGINT,
    status INTEGER NOT NULL,
    error_class TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    used_fallback BOOLEAN NOT NULL,
    cache_hit BOOLEAN NOT NULL))",
    "CREATE INDEX switch_usage_time ON switch_usage (time)",
};

}  // namespace

const std::vector<std::string_view>& migration(Dialect dialect, int to) {
    if (to == 1) return dialect == Dialect::sqlite ? kSqliteV1 : kPostgresV1;
    throw std::out_of_range("no ledger migration to this version");
}

}  // namespace sw::ledger
