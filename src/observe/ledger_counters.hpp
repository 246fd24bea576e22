// ledger_counters.hpp — what the usage ledger (src/ledger/, docs/ledger.md) counts: rows written
// and rows dropped, by reason. The ledger adds to them with relaxed atomics (a dropped row costs
// the request path one increment, no lock); the metrics read them when written out.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sw::observe {

enum class LedgerDrop : std::uint8_t {
    queue_full,            // the queue was full while the database was reachable: the writer is behind
    database_unavailable,  // the queue was full because the database is unreachable
    write_error,           // the database refused the batch (not a lost connection)
    shutdown,              // still queued when the router's bounded flush at destruction ended
};
inline constexpr std::size_t kLedgerDropReasons = 4;

constexpr std::string_view to_string(LedgerDrop reason) {
    switch (reason) {
        case LedgerDrop::queue_full: return "queue_full";
        case LedgerDrop::database_unavailable: return "database_unavailable";
        case LedgerDrop::write_error: return "write_error";
        case LedgerDrop::shutdown: return "shutdown";
    }
    return "";
}

struct LedgerCounters {
    std::atomic<std::uint64_t> written{0};
    std::array<std::atomic<std::uint64_t>, kLedgerDropReasons> dropped{};
    // False while the writer cannot reach the database: a row that then finds the queue full is
    // counted as database_unavailable rather than queue_full.
    std::atomic<bool> available{true};

    void drop(LedgerDrop reason, std::uint64_t n = 1) {
        dropped[static_cast<std::size_t>(reason)].fetch_add(n, std::memory_order_relaxed);
    }
    std::uint64_t dropped_of(LedgerDrop reason) const {
        return dropped[static_cast<std::size_t>(reason)].load(std::memory_order_relaxed);
    }
    std::uint64_t dropped_total() const {
        std::uint64_t n = 0;
        for (const auto& d : dropped) n += d.load(std::memory_order_relaxed);
        return n;
    }
};

}  // namespace sw::observe
