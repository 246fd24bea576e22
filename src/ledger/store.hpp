// store.hpp — a database the ledger writes rows to and switchctl reads them from: SQLite or
// PostgreSQL, chosen by the URL (docs/ledger.md). A store is used by one thread at a time.
#pragma once

#include "common/database_url.hpp"
#include "ledger/row.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sw::ledger {

struct WriteResult {
    enum class Kind {
        ok,
        unavailable,  // the database cannot be reached (or is locked): keep the rows, reconnect
        rejected,     // the database refused these rows: retrying them would fail again
    };
    Kind kind = Kind::ok;
    std::string error;  // why not, for ledger_status(); never a row's content or a password
};

class Store {
public:
    enum class Mode {
        write,  // create the database (SQLite) and create or migrate the schema
        read,   // the ledger must exist with a schema this version knows; change nothing
    };
    virtual ~Store() = default;
    // Connects; "" when it did, otherwise why not.
    virtual std::string open(Mode mode) = 0;
    virtual bool is_open() const = 0;
    virtual void close() = 0;
    // Every row in one transaction: all are written or none.
    virtual WriteResult write(std::span<const Row> rows) = 0;
    // The rows at or after `since_us` (wall clock, microseconds since the epoch), oldest first.
    // Throws std::runtime_error with the reason when the database cannot be read.
    virtual std::vector<Row> read(std::int64_t since_us) = 0;
};

std::unique_ptr<Store> make_store(const DatabaseUrl& url);

}  // namespace sw::ledger
