// store.cpp — the store a URL names.
#include "ledger/postgres_store.hpp"
#include "ledger/sqlite_store.hpp"

namespace sw::ledger {

std::unique_ptr<Store> make_store(const DatabaseUrl& url) {
    if (url.kind == DatabaseUrl::Kind::postgres) return std::make_unique<PostgresStore>(url.target);
    return std::make_unique<SqliteStore>(url.target);
}

}  // namespace sw::ledger
