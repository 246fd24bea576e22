// writer.cpp — the writer thread's loop.
#include "ledger/writer.hpp"

namespace sw::ledger {

using Steady = std::chrono::steady_clock;

Writer::Writer(std::unique_ptr<Store> store, BoundedQueue<Row>& queue, observe::LedgerCounters& counters,
               WriterOptions options)
    : store_(std::move(store)), queue_(queue), counters_(counters), options_(options) {
    backoff_.initial = options_.backoff_initial;
    backoff_.max = options_.backoff_max;
    batch_.reserve(options_.batch_rows);
    thread_ = std::thread([this] { run(); });
}

Writer::~Writer() { stop(Millis{0}); }

void Writer::wake() {
    {
        std::lock_guard lock(mutex_);
        wake_ = true;
    }
    cv_.notify_one();
}

void Writer::stop(Millis timeout) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            stopping_ = true;
            stop_by_ = Steady::now() + timeout;
        }
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
}

std::uint64_t Writer::done() const {
    std::lock_guard lock(mutex_);
    return done_;
}

bool Writer::wait_done(std::uint64_t target, Millis timeout) {
    wake();
    std::unique_lock lock(mutex_);
    return done_cv_.wait_for(lock, timeout, [&] { return done_ >= target; });
}

std::string Writer::last_error() const {
    std::lock_guard lock(mutex_);
    return last_error_;
}

bool Writer::connected() const {
    std::lock_guard lock(mutex_);
    return connected_;
}

void Writer::finish(std::uint64_t n) {
    {
        std::lock_guard lock(mutex_);
        done_ += n;
    }
    done_cv_.notify_all();
}

void Writer::reachable(bool now, std::string_view error) {
    counters_.available.store(now, std::memory_order_relaxed);
    if (now == reported_reachable_) return;
    reported_reachable_ = now;
    if (options_.on_reachability) options_.on_reachability(now, error, counters_.dropped_total());
}

bool Writer::step() {
    if (!store_->is_open()) {
        if (Steady::now() < next_connect_) return false;
        std::string why = store_->open(Store::Mode::write);
        if (!why.empty()) {
            reachable(false, why);
            next_connect_ = Steady::now() + backoff_.failed();
            std::lock_guard lock(mutex_);
            connected_ = false;
            last_error_ = std::move(why);
            return false;
        }
        backoff_.succeeded();
        reachable(true, "");
        std::lock_guard lock(mutex_);
        connected_ = true;
        last_error_.clear();
    }
    Row row;
    while (batch_.size() < options_.batch_rows && queue_.try_pop(row)) batch_.push_back(std::move(row));
    if (batch_.empty()) return false;
    WriteResult result = store_->write(batch_);
    const auto n = static_cast<std::uint64_t>(batch_.size());
    switch (result.kind) {
        case WriteResult::Kind::ok:
            counters_.written.fetch_add(n, std::memory_order_relaxed);
            batch_.clear();
            finish(n);
            return queue_.size() > 0;
        case WriteResult::Kind::rejected:
            // Retrying rows the database refuses would stop every later row: they are dropped.
            counters_.drop(observe::LedgerDrop::write_error, n);
            batch_.clear();
            {
                std::lock_guard lock(mutex_);
                last_error_ = std::move(result.error);
            }
            finish(n);  // last: whoever waits on done() sees the counts and the error
            return queue_.size() > 0;
        case WriteResult::Kind::unavailable:
            // Keep the batch for the next connection; try that at once, then with backoff.
            store_->close();
            reachable(false, result.error);
            next_connect_ = Steady::now();
            std::lock_guard lock(mutex_);
            connected_ = false;
            last_error_ = std::move(result.error);
            return false;
    }
    return false;
}

void Writer::run() {
    for (;;) {
        const bool more = step();
        std::unique_lock lock(mutex_);
        if (stopping_) {
            const bool drained = batch_.empty() && queue_.size() == 0;
            if (drained || Steady::now() >= stop_by_) break;
            if (more || store_->is_open()) continue;
            // Disconnected while stopping: wait for the next connection attempt, within the bound.
            cv_.wait_until(lock, std::min(next_connect_, stop_by_));
            continue;
        }
        if (more) continue;
        auto until = Steady::now() + options_.flush_interval;
        if (!store_->is_open()) until = std::max(until, next_connect_);
        cv_.wait_until(lock, until, [&] { return wake_ || stopping_; });
        wake_ = false;
    }
    // What could not be written in time is counted, not lost silently.
    std::uint64_t left = batch_.size();
    batch_.clear();
    Row row;
    while (queue_.try_pop(row)) ++left;
    if (left > 0) {
        counters_.drop(observe::LedgerDrop::shutdown, left);
        finish(left);
    }
    store_->close();
}

}  // namespace sw::ledger
