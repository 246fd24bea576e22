// row_queue.hpp — the bounded queue between the request path and the ledger's writer thread.
// try_push never blocks and never waits for the writer: a full queue refuses the row at once
// (the caller counts it as dropped). Lock-free: Dmitry Vyukov's bounded MPMC queue, in which
// each cell carries a sequence number that says whose turn it is, so that the I/O threads push
// and the writer pops without a lock and without touching each other's cells.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace sw::ledger {

template <typename T>
class BoundedQueue {
public:
    // Holds `capacity` rounded up to a power of two (at least 2).
    explicit BoundedQueue(std::size_t capacity)
        : capacity_(std::bit_ceil(capacity < 2 ? std::size_t{2} : capacity)),
          mask_(capacity_ - 1),
          cells_(std::make_unique<Cell[]>(capacity_)) {
        for (std::size_t i = 0; i < capacity_; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
    }
    BoundedQueue(const BoundedQueue&) = delete;
    BoundedQueue& operator=(const BoundedQueue&) = delete;

    std::size_t capacity() const { return capacity_; }

    // False, leaving `value` as it was, when the queue is full.
    bool try_push(T&& value) {
        std::size_t pos = tail_.load(std::memory_order_relaxed);
        Cell* cell = nullptr;
        for (;;) {
            cell = &cells_[pos & mask_];
            const std::size_t seq = cell->sequence.load(std::memory_order_acquire);
            const auto diff = static_cast<std::intptr_t>(seq) - static_cast<std::intptr_t>(pos);
            if (diff == 0) {
                // The cell is free for position `pos`: claim the position.
                if (tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
            } else if (diff < 0) {
                return false;  // the cell still holds the value of a lap ago: full
            } else {
                pos = tail_.load(std::memory_order_relaxed);  // another producer took it
            }
        }
        cell->value = std::move(value);
        cell->sequence.store(pos + 1, std::memory_order_release);  // now the consumer's turn
        return true;
    }

    // False when the queue is empty.
    bool try_pop(T& out) {
        std::size_t pos = head_.load(std::memory_order_relaxed);
        Cell* cell = nullptr;
        for (;;) {
            cell = &cells_[pos & mask_];
            const std::size_t seq = cell->sequence.load(std::memory_order_acquire);
            const auto diff = static_cast<std::intptr_t>(seq) - static_cast<std::intptr_t>(pos + 1);
            if (diff == 0) {
                if (head_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
            } else if (diff < 0) {
                return false;  // not yet written: empty
            } else {
                pos = head_.load(std::memory_order_relaxed);
            }
        }
        out = std::move(cell->value);
        cell->sequence.store(pos + capacity_, std::memory_order_release);  // free for the next lap
        return true;
    }

    // Approximate (exact when nobody pushes or pops meanwhile).
    std::size_t size() const {
        const std::size_t tail = tail_.load(std::memory_order_relaxed);
        const std::size_t head = head_.load(std::memory_order_relaxed);
        return tail >= head ? tail - head : 0;
    }

private:
    struct Cell {
        std::atomic<std::size_t> sequence{0};
        T value{};
    };
    const std::size_t capacity_;
    const std::size_t mask_;
    std::unique_ptr<Cell[]> cells_;
    // Apart, so that producers and the consumer do not share a cache line.
    alignas(64) std::atomic<std::size_t> tail_{0};
    alignas(64) std::atomic<std::size_t> head_{0};
};

}  // namespace sw::ledger
