// cached_answer.hpp — what the response cache keeps of one complete, successful answer: enough
// to answer the same request again exactly as it was first answered, whole or chunk by chunk.
#pragma once

#include <switch/clock.hpp>
#include <switch/outcome.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace sw::cache {

struct CachedAnswer {
    bool stream = false;
    std::string body;           // a whole answer's OpenAI JSON; empty for a stream
    std::vector<std::string> chunks;  // a stream's chunks as the caller received them, in order
    std::string text;
    std::string finish_reason;
    TokenUsage usage;     // the original answer's, reported again on every hit
    std::string pool_id;  // who first served it, for the trace
    std::string provider;
    TimePoint stored_at{};  // the router's clock

    // What it holds in memory, approximately: what the cache's byte bound counts.
    std::size_t bytes() const {
        std::size_t n = sizeof(CachedAnswer) + body.size() + text.size() + finish_reason.size() + pool_id.size() +
                        provider.size();
        for (const auto& c : chunks) n += sizeof(std::string) + c.size();
        return n;
    }
};

}  // namespace sw::cache
