// postgres_store.hpp — the ledger in PostgreSQL (postgresql://...), through libpq: each batch is
// one COPY, which is one statement and so one transaction, and one round trip for the batch.
#pragma once

#include "ledger/store.hpp"

struct pg_conn;

namespace sw::ledger {

class PostgresStore final : public Store {
public:
    explicit PostgresStore(std::string url) : url_(std::move(url)) {}
    ~PostgresStore() override { close(); }

    std::string open(Mode mode) override;
    bool is_open() const override { return conn_ != nullptr; }
    void close() override;
    WriteResult write(std::span<const Row> rows) override;
    std::vector<Row> read(std::int64_t since_us) override;

private:
    std::string migrate();
    std::string check_version();
    // The server's message for the last failure, prefixed with where.
    std::string error_text(std::string_view what) const;

    std::string url_;
    pg_conn* conn_ = nullptr;
};

// The row as one line of COPY's text format: tab-separated, \N for NULL, backslash escapes.
// Exposed for the unit tests.
void append_copy_line(std::string& out, const Row& row);

}  // namespace sw::ledger
