// error_window.hpp — request and failure counts over a sliding window, in fixed time buckets.
#pragma once

#include <switch/clock.hpp>

#include <array>
#include <atomic>
#include <cstdint>

namespace sw::health {

// The window is kBuckets buckets of width ceil(window / kBuckets); an event leaves the window
// when its bucket does, so the effective window is between window - width and window long.
// Writers are serialised by the caller (the provider's lock); readers may run at any time and
// see each counter atomically. Cost: add O(1); counts O(kBuckets).
class ErrorWindow {
public:
    static constexpr int kBuckets = 60;

    struct Counts {
        std::uint32_t total = 0;
        std::uint32_t failures = 0;
    };

    void configure(Nanos window) noexcept {
        const std::int64_t w = window.count();
        width_ = w / kBuckets + (w % kBuckets != 0 ? 1 : 0);
        if (width_ < 1) width_ = 1;
    }
    std::int64_t bucket_width() const noexcept { return width_; }

    void add(TimePoint now, bool failure) noexcept {
        const std::int64_t idx = now.time_since_epoch().count() / width_;
        Bucket& b = buckets_[static_cast<std::size_t>(idx % kBuckets)];
        if (b.index.load(std::memory_order_relaxed) != idx) {
            b.total.store(0, std::memory_order_relaxed);
            b.failures.store(0, std::memory_order_relaxed);
            b.index.store(idx, std::memory_order_release);
        }
        b.total.fetch_add(1, std::memory_order_relaxed);
        if (failure) b.failures.fetch_add(1, std::memory_order_relaxed);
    }

    Counts counts(TimePoint now) const noexcept {
        const std::int64_t cur = now.time_since_epoch().count() / width_;
        Counts c;
        for (const Bucket& b : buckets_) {
            const std::int64_t idx = b.index.load(std::memory_order_acquire);
            if (idx > cur - kBuckets && idx <= cur) {
                c.total += b.total.load(std::memory_order_relaxed);
                c.failures += b.failures.load(std::memory_order_relaxed);
            }
        }
        return c;
    }

    // The first instant at which counts() may drop because a bucket leaves the window.
    TimePoint next_expiry(TimePoint now) const noexcept {
        const std::int64_t cur = now.time_since_epoch().count() / width_;
        return TimePoint{Nanos{(cur + 1) * width_}};
    }

    // Takes `other`'s counts when both have the same bucket width (the same window); otherwise
    // starts empty, since counts measured over another window would mislead.
    void carry_from(const ErrorWindow& other) noexcept {
        clear();
        if (other.width_ != width_) return;
        for (std::size_t i = 0; i < buckets_.size(); ++i) {
            buckets_[i].total.store(other.buckets_[i].total.load(std::memory_order_relaxed), std::memory_order_relaxed);
            buckets_[i].failures.store(other.buckets_[i].failures.load(std::memory_order_relaxed),
                                       std::memory_order_relaxed);
            buckets_[i].index.store(other.buckets_[i].index.load(std::memory_order_acquire), std::memory_order_release);
        }
    }
    void clear() noexcept {
        for (Bucket& b : buckets_) {
            b.index.store(-1, std::memory_order_relaxed);
            b.total.store(0, std::memory_order_relaxed);
            b.failures.store(0, std::memory_order_relaxed);
        }
    }

private:
    struct Bucket {
        std::atomic<std::int64_t> index{-1};
        std::atomic<std::uint32_t> total{0};
        std::atomic<std::uint32_t> failures{0};
    };
    std::int64_t width_ = 1;
    std::array<Bucket, kBuckets> buckets_;
};

}  // namespace sw::health
