// series_table.hpp — one metric's series, by label values, found or added with atomics alone:
// the request path takes no lock to count (issue 18). A series, once added, lives as long as the
// table, so a found reference stays valid. The table is bounded: past its capacity, label sets
// it has not seen share one overflow series, and dropped() counts them, so a label with more
// values than expected costs a bounded amount of memory, never a failed request.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sw::observe {

template <typename Value, std::size_t Capacity = 1024>
class SeriesTable {
    static_assert((Capacity & (Capacity - 1)) == 0, "a power of two");

public:
    struct Series {
        std::uint64_t hash = 0;
        std::vector<std::string> labels;  // values, in the metric's label order; empty: overflow
        Value value{};
    };

    SeriesTable() = default;
    SeriesTable(const SeriesTable&) = delete;
    SeriesTable& operator=(const SeriesTable&) = delete;
    ~SeriesTable() {
        for (auto& slot : slots_) delete slot.load(std::memory_order_relaxed);
    }

    // The value of the series with these label values, added if new.
    Value& at(std::initializer_list<std::string_view> labels) {
        const std::uint64_t hash = hash_of(labels);
        for (std::size_t probe = 0; probe < Capacity; ++probe) {
            std::atomic<Series*>& slot = slots_[(hash + probe) & (Capacity - 1)];
            Series* s = slot.load(std::memory_order_acquire);
            if (!s) {
                auto fresh = std::make_unique<Series>();
                fresh->hash = hash;
                fresh->labels.assign(labels.begin(), labels.end());
                if (slot.compare_exchange_strong(s, fresh.get(), std::memory_order_acq_rel, std::memory_order_acquire))
                    return fresh.release()->value;
                // Another thread filled the slot first: `s` is its series, which may be this one.
            }
            if (s->hash == hash && equal(s->labels, labels)) return s->value;
        }
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return overflow_.value;
    }

    // Every series, the overflow last when it was used, in no particular order otherwise.
    template <typename Visit>
    void for_each(Visit visit) const {
        for (const auto& slot : slots_)
            if (const Series* s = slot.load(std::memory_order_acquire)) visit(*s);
        if (dropped_.load(std::memory_order_relaxed) > 0) visit(overflow_);
    }

    // How many times a new label set found the table full.
    std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

private:
    static std::uint64_t hash_of(std::initializer_list<std::string_view> labels) {
        std::uint64_t h = 1469598103934665603ull;  // FNV-1a, with a separator between values
        for (std::string_view v : labels) {
            for (unsigned char c : v) h = (h ^ c) * 1099511628211ull;
            h = (h ^ 0xffu) * 1099511628211ull;
        }
        return h;
    }
    static bool equal(const std::vector<std::string>& a, std::initializer_list<std::string_view> b) {
        if (a.size() != b.size()) return false;
        auto it = b.begin();
        for (const std::string& v : a)
            if (v != *it++) return false;
        return true;
    }

    std::array<std::atomic<Series*>, Capacity> slots_{};
    Series overflow_;
    std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace sw::observe
