// histogram.hpp — a histogram with fixed bucket boundaries, counted with relaxed atomics.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

namespace sw::observe {

// The most boundaries a histogram here has (OpenTelemetry's GenAI buckets have 14 to 16).
inline constexpr std::size_t kMaxBuckets = 16;

struct Histogram {
    // counts[i]: observations at most bounds[i] and above bounds[i - 1]; counts[bounds.size()]:
    // above the last. The cumulative counts and the total are made from these when the histogram
    // is written out, so that they agree with each other however the increments interleave.
    std::array<std::atomic<std::uint64_t>, kMaxBuckets + 1> counts{};
    std::atomic<double> sum{0};

    void observe(double value, std::span<const double> bounds) {
        std::size_t i = 0;
        while (i < bounds.size() && value > bounds[i]) ++i;
        counts[i].fetch_add(1, std::memory_order_relaxed);
        sum.fetch_add(value, std::memory_order_relaxed);
    }
};

}  // namespace sw::observe
