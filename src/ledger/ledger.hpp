// ledger.hpp — the usage ledger (docs/ledger.md): an observer that turns each finished request
// into a row and hands it to the writer thread through a bounded queue. The request path copies
// the row and makes one try-push: it never waits for the writer or the database. A row that does
// not fit is dropped and counted (switch_ledger_rows_dropped_total).
#pragma once

#include "ledger/row_queue.hpp"
#include "ledger/writer.hpp"
#include "observe/ledger_counters.hpp"

#include <switch/events.hpp>

#include <functional>
#include <memory>

namespace sw::ledger {

struct LedgerOptions {
    // Rows waiting for the writer. 16,384 is 0.8 s of 20,000 requests a second: a database that
    // pauses longer than that loses rows rather than the router memory (360 bytes a row, about
    // 6 MB, allocated up front).
    std::size_t queue_capacity = 16384;
    WriterOptions writer;
    // How long ~Ledger (and so ~Router) goes on writing what is queued.
    Millis shutdown_flush{2000};
    // The wall clock that stamps each row, in microseconds since the epoch; the system's when
    // empty. Rows carry wall time: the router's own clock is monotonic.
    std::function<std::int64_t()> wall_clock_us;
};

class Ledger final : public RouterObserver {
public:
    Ledger(std::unique_ptr<Store> store, LedgerOptions options = {});
    ~Ledger() override;  // shutdown()

    void on_request_finished(const RequestFinishedEvent& e) override;

    // Waits until every row queued before the call is written or dropped, or `timeout` passes;
    // true if it was.
    bool flush(Millis timeout);
    // Writes what is queued for up to options.shutdown_flush, then stops the writer. Rows that
    // arrive afterwards are dropped (shutdown). Idempotent.
    void shutdown();

    const std::shared_ptr<observe::LedgerCounters>& counters() const { return counters_; }
    std::size_t queued() const { return queue_.size(); }
    bool connected() const { return writer_.connected(); }
    std::string last_error() const { return writer_.last_error(); }

private:
    LedgerOptions options_;
    std::shared_ptr<observe::LedgerCounters> counters_;
    BoundedQueue<Row> queue_;
    std::atomic<std::uint64_t> accepted_{0};  // rows pushed onto the queue
    std::atomic<bool> shut_down_{false};
    Writer writer_;  // last: its thread starts once everything above exists
};

}  // namespace sw::ledger
