// sqlite_store.hpp — the ledger in a SQLite file (sqlite:///PATH), in WAL mode so that
// switchctl can read while a router writes.
#pragma once

#include "ledger/store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sw::ledger {

class SqliteStore final : public Store {
public:
    explicit SqliteStore(std::string path) : path_(std::move(path)) {}
    ~SqliteStore() override { close(); }

    std::string open(Mode mode) override;
    bool is_open() const override { return db_ != nullptr; }
    void close() override;
    WriteResult write(std::span<const Row> rows) override;
    std::vector<Row> read(std::int64_t since_us) override;

private:
    std::string migrate();
    std::string error_text(int rc) const;

    std::string path_;
    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;  // prepared once per connection
};

}  // namespace sw::ledger
