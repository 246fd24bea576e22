// merge_table.hpp — BPE's merges by token pair, in one flat array: the tokenizer looks a pair up
// for every pair of neighbouring symbols, and a node-based map's two cache misses per look-up
// were most of its time.
#pragma once

#include <cstdint>
#include <vector>

namespace sw::prompt {

class MergeTable {
public:
    struct Merge {
        std::uint32_t rank, id;  // the merge's priority (lower first) and the token it makes
    };

    // Room for `count` merges at most half full, so that probes stay short.
    explicit MergeTable(std::size_t count = 0) {
        std::size_t size = 16;
        while (size < 2 * count) size *= 2;
        slots_.assign(size, Slot{kEmpty, {}});
        mask_ = size - 1;
    }

    // Sets (left, right)'s merge, replacing an earlier one (as `tokenizers` keeps the last).
    void set(std::uint32_t left, std::uint32_t right, Merge merge) {
        if (2 * (count_ + 1) > slots_.size()) grow();
        Slot& s = slots_[slot_of(key(left, right))];
        if (s.key == kEmpty) ++count_;
        s = Slot{key(left, right), merge};
    }

    const Merge* get(std::uint32_t left, std::uint32_t right) const {
        const Slot& s = slots_[slot_of(key(left, right))];
        return s.key == kEmpty ? nullptr : &s.merge;
    }

private:
    // Ids are below 2^32 - 1 (the tokenizer refuses larger ones), so no pair's key is this.
    static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
    struct Slot {
        std::uint64_t key;
        Merge merge;
    };

    static std::uint64_t key(std::uint32_t left, std::uint32_t right) {
        return static_cast<std::uint64_t>(left) << 32 | right;
    }

    // The slot holding `k`, or the empty one where it would go (linear probing).
    std::size_t slot_of(std::uint64_t k) const {
        std::size_t i = static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
        while (slots_[i].key != k && slots_[i].key != kEmpty) i = (i + 1) & mask_;
        return i;
    }

    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.size() * 2, Slot{kEmpty, {}});
        mask_ = slots_.size() - 1;
        for (const Slot& s : old)
            if (s.key != kEmpty) slots_[slot_of(s.key)] = s;
    }

    std::vector<Slot> slots_;
    std::size_t mask_ = 0, count_ = 0;
};

}  // namespace sw::prompt
