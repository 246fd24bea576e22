// stats.hpp — attempt counters and last request headers per scenario key, shared by every server thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mock {

using HeaderView = std::vector<std::pair<std::string_view, std::string_view>>;

class Stats {
public:
    // Counts one API request; returns its number since the last reset, from 1 (it makes ids unique).
    std::uint64_t count_request() { return total_.fetch_add(1, std::memory_order_relaxed) + 1; }

    // One attempt of a key: its number since the last reset, from 1, and how long after the
    // key's first attempt (since the last reset) it came.
    struct Attempt {
        std::uint64_t number = 0;
        std::int64_t ms_since_first = 0;
    };
    // Counts one attempt of key and keeps its headers (names lowercased).
    Attempt record_attempt(std::string_view key, const HeaderView& headers);

    // {"total":N,"attempts":{...},"last_headers":{...}}
    std::string to_json() const;

    void reset();

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    struct Entry {
        std::uint64_t attempts = 0;
        std::chrono::steady_clock::time_point first;
        std::vector<std::pair<std::string, std::string>> headers;
    };

    std::atomic<std::uint64_t> total_{0};
    // One lock for every key: it is held for a lookup and a few string copies, far shorter than
    // the HTTP parsing each thread does between two requests.
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> keys_;
};

}  // namespace mock
