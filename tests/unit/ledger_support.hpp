// ledger_support.hpp — building RequestFinishedEvents by hand and reading a ledger's SQLite file
// back, for the ledger's tests.
#pragma once

#include "ledger/sqlite_store.hpp"

#include <switch/events.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace swtest {

// A served chat request: model "m", pool "p", provider "a", 10 in, 5 out, 1.5 ms.
inline sw::RouteResult served_trace() {
    sw::RouteResult t;
    t.ok = true;
    t.model = "m";
    t.pool_id = "p";
    t.provider = "a";
    t.usage = {10, 5};
    sw::AttemptRecord a;
    a.pool_id = "p";
    a.provider = "a";
    a.http_status = 200;
    t.attempts.push_back(a);
    return t;
}

inline sw::RequestFinishedEvent finished(const sw::RouteResult& trace, sw::RequestId id = 1) {
    return sw::RequestFinishedEvent{.time = {},
                                    .request = id,
                                    .operation = "chat",
                                    .streaming = false,
                                    .status = trace.ok ? 200 : 503,
                                    .error_class = trace.ok ? sw::ErrorClass::success : sw::ErrorClass::transient,
                                    .trace = trace,
                                    .cost_usd = 0.25,
                                    .latency = std::chrono::microseconds(1500),
                                    .time_to_first_token = std::nullopt};
}

// Every row of the SQLite ledger at `path`.
inline std::vector<sw::ledger::Row> read_sqlite(const std::string& path) {
    sw::ledger::SqliteStore store(path);
    const std::string why = store.open(sw::ledger::Store::Mode::read);
    if (!why.empty()) throw std::runtime_error(why);
    return store.read(0);
}

}  // namespace swtest
