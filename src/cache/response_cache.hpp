// response_cache.hpp — the response cache's policy (docs/cache.md): which requests it keys and
// how, whether a request reads it and stores its answer and for how long, and which answers may
// be kept at all. Where answers are kept is the store's business (cache_store.hpp). Built once
// per router from its first config; every member is thread-safe.
#pragma once

#include "cache/cache_store.hpp"

#include "observe/cache_counters.hpp"

#include <switch/config.hpp>
#include <switch/router.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sw::cache {

// One request's way through the cache, decided when it is submitted.
struct CachePlan {
    CacheKey key;
    bool read = false;   // may be answered from the cache
    bool write = false;  // its answer is stored, if complete and successful
    std::chrono::seconds ttl{0};                 // how long its answer is kept
    std::optional<std::chrono::seconds> max_age;  // the oldest answer it accepts; none: any unexpired
};

class ResponseCache {
public:
    // The memory backend, bounded by `config`. `clock` is the router's: TTLs are exact under a
    // FakeClock.
    ResponseCache(const CacheConfig& config, std::shared_ptr<Clock> clock);
    // Any backend (tests, and a shared backend later); `counters` must be the store's.
    ResponseCache(const CacheConfig& config, std::shared_ptr<Clock> clock, std::unique_ptr<CacheStore> store,
                  std::shared_ptr<observe::CacheCounters> counters);

    // The plan of a chat request whose check passed; nullopt when it neither reads nor writes,
    // or its text is not a JSON object.
    std::optional<CachePlan> plan(std::string_view request_json, bool stream, const ChatOptions& options) const;
    // A hit, or null; counts the lookup by its result. `done` runs once, perhaps at once.
    void lookup(const CachePlan& plan, LookupDone done) const;
    // Stores `response` (with `chunks`, a stream's chunks as delivered) when the plan writes and
    // the answer is complete and successful; true when it was handed to the store.
    bool store(const CachePlan& plan, const ChatResponse& response, bool stream, std::vector<std::string> chunks) const;

    // Complete and successful: status 200 with a finish reason (a stream that broke, an error or
    // a tool call cut short never has both), and, for a stream, the chunks that carried it.
    static bool storable(const ChatResponse& response, bool stream, const std::vector<std::string>& chunks);

    const std::shared_ptr<observe::CacheCounters>& counters() const { return counters_; }
    Clock& clock() const { return *clock_; }

private:
    CacheConfig config_;
    std::shared_ptr<Clock> clock_;
    std::shared_ptr<observe::CacheCounters> counters_;
    std::unique_ptr<CacheStore> store_;
};

}  // namespace sw::cache
