// writer.hpp — the ledger's writer thread: takes rows off the queue in batches and writes each
// batch in one transaction, off the request path. When the database cannot be reached it keeps
// the batch it holds, leaves the rest in the queue (which then fills, and the request path drops
// and counts what does not fit), and reconnects with backoff; writing resumes by itself.
#pragma once

#include "ledger/backoff.hpp"
#include "ledger/row.hpp"
#include "ledger/row_queue.hpp"
#include "ledger/store.hpp"
#include "observe/ledger_counters.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sw::ledger {

struct WriterOptions {
    std::size_t batch_rows = 1024;   // the most rows in one transaction
    Millis flush_interval{50};       // how long rows may wait in the queue when few arrive
    Millis backoff_initial{100};
    Millis backoff_max{5000};
    // Told, on the writer thread, when the database stops being reachable (with why) and when it
    // is written to again, once each way, with the rows dropped so far (every reason): the router
    // logs both (docs/logging.md).
    std::function<void(bool reachable, std::string_view error, std::uint64_t dropped)> on_reachability;
};

class Writer {
public:
    Writer(std::unique_ptr<Store> store, BoundedQueue<Row>& queue, observe::LedgerCounters& counters,
           WriterOptions options);
    ~Writer();  // stop(Millis{0}) if not stopped
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // Wakes the writer to write what is queued now rather than at its next interval.
    void wake();
    // Writes what is queued for up to `timeout`, then counts what is left as dropped (shutdown)
    // and ends the thread. Idempotent.
    void stop(Millis timeout);
    // Rows the writer has finished with, written or dropped: for flush().
    std::uint64_t done() const;
    // Waits until done() reaches `target` or `timeout` passes; true if it did.
    bool wait_done(std::uint64_t target, Millis timeout);
    // Why the database last could not be reached or refused a batch ("" since the last
    // connection, until then), and whether it is connected.
    std::string last_error() const;
    bool connected() const;

private:
    void run();
    // One pass: connect if needed, then write one batch. True if it did something worth
    // repeating at once (a batch written, more queued).
    bool step();
    void finish(std::uint64_t n);
    // Records whether the database could be reached, and tells on_reachability when that changed.
    void reachable(bool now, std::string_view error);

    std::unique_ptr<Store> store_;  // the writer thread's only
    BoundedQueue<Row>& queue_;
    observe::LedgerCounters& counters_;
    WriterOptions options_;
    Backoff backoff_;
    std::vector<Row> batch_;  // taken off the queue, not yet written; the writer thread's only
    std::chrono::steady_clock::time_point next_connect_{};
    bool reported_reachable_ = true;  // as last told to on_reachability; the writer thread's only

    mutable std::mutex mutex_;
    std::condition_variable cv_;    // wakes the writer
    std::condition_variable done_cv_;  // wakes wait_done()
    bool wake_ = false;
    bool stopping_ = false;
    std::chrono::steady_clock::time_point stop_by_{};
    std::uint64_t done_ = 0;
    bool connected_ = false;
    std::string last_error_;
    std::thread thread_;
};

}  // namespace sw::ledger
