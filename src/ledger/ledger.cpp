// ledger.cpp — the request path's part of the ledger: one row copied, one try-push.
#include "ledger/ledger.hpp"

#include <chrono>

namespace sw::ledger {

namespace {
std::int64_t system_now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

Ledger::Ledger(std::unique_ptr<Store> store, LedgerOptions options)
    : options_(std::move(options)),
      counters_(std::make_shared<observe::LedgerCounters>()),
      queue_(options_.queue_capacity),
      writer_(std::move(store), queue_, *counters_, options_.writer) {}

Ledger::~Ledger() { shutdown(); }

void Ledger::on_request_finished(const RequestFinishedEvent& e) {
    if (shut_down_.load(std::memory_order_relaxed)) {
        counters_->drop(observe::LedgerDrop::shutdown);
        return;
    }
    Row row = make_row(e, options_.wall_clock_us ? options_.wall_clock_us() : system_now_us());
    if (queue_.try_push(std::move(row))) {
        accepted_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    counters_->drop(counters_->available.load(std::memory_order_relaxed) ? observe::LedgerDrop::queue_full
                                                                         : observe::LedgerDrop::database_unavailable);
}

bool Ledger::flush(Millis timeout) {
    return writer_.wait_done(accepted_.load(std::memory_order_relaxed), timeout);
}

void Ledger::shutdown() {
    if (shut_down_.exchange(true)) return;
    writer_.stop(options_.shutdown_flush);
    // A row pushed while the writer was ending (its producer saw shut_down_ false just before)
    // is counted too: the writer has gone, so this thread may pop.
    Row row;
    std::uint64_t left = 0;
    while (queue_.try_pop(row)) ++left;
    if (left > 0) counters_->drop(observe::LedgerDrop::shutdown, left);
}

}  // namespace sw::ledger
