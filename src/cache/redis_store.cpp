// redis_store.cpp — GET and SET PX, and what a reply that is not an answer means: a miss.
#include "cache/redis_store.hpp"

#include "cache/answer_codec.hpp"

#include <algorithm>
#include <chrono>

namespace sw::cache {

namespace {

// Redis refuses a string over 512 MiB: a bound above that is the server's.
constexpr std::size_t kRedisMaxValue = 512u * 1024u * 1024u;

}  // namespace

std::int64_t unix_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

RedisStore::RedisStore(std::shared_ptr<ClientGate> gate, std::size_t max_value_bytes,
                       std::shared_ptr<observe::CacheCounters> counters, WallClock wall_ms)
    : gate_(std::move(gate)),
      max_value_bytes_(std::min(max_value_bytes, kRedisMaxValue)),
      counters_(std::move(counters)),
      wall_ms_(std::move(wall_ms)) {}

std::string RedisStore::key_name(const CacheKey& key) { return std::string(kRedisKeyPrefix) + key.hex(); }

void RedisStore::lookup(const CacheKey& key, TimePoint now, LookupDone done) {
    gate_->call({"GET", key_name(key)}, [now, wall_ms = wall_ms_, done = std::move(done)](redis::Result r) {
        // A nil (absent or expired), a timeout, no connection, an error reply (a wrong type, a
        // server out of memory): each a miss, and the request is routed.
        if (!r.ok() || r.reply.type != redis::Reply::Type::string) {
            done(nullptr);
            return;
        }
        // A value this version cannot read (corrupt, or another version's format during a
        // rolling upgrade) is a miss too; the answer then stored replaces it.
        std::optional<DecodedAnswer> decoded = decode_answer(r.reply.text);
        if (!decoded) {
            done(nullptr);
            return;
        }
        // Its age on the wall clock, set on the router's: a clock running back counts as age 0.
        const auto age = std::chrono::milliseconds(std::max<std::int64_t>(0, wall_ms() - decoded->stored_unix_ms));
        decoded->answer->stored_at = now - std::chrono::duration_cast<TimePoint::duration>(age);
        done(std::move(decoded->answer));
    });
}

void RedisStore::store(const CacheKey& key, std::shared_ptr<const CachedAnswer> answer, TimePoint expires) {
    const auto ttl = std::chrono::ceil<std::chrono::milliseconds>(expires - answer->stored_at);
    if (ttl.count() <= 0) return;  // kept for no time: nothing to write
    std::string value = encode_answer(*answer, wall_ms_());
    if (value.size() > max_value_bytes_) {
        counters_->too_large.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    answer.reset();  // the bytes are all the call needs: the answer may go now
    std::vector<std::string> args;
    args.reserve(5);
    args.emplace_back("SET");
    args.push_back(key_name(key));
    args.push_back(std::move(value));  // moved, not copied: it may be megabytes
    args.emplace_back("PX");
    args.push_back(std::to_string(ttl.count()));
    gate_->call(std::move(args), [counters = counters_](redis::Result r) {
        // Counted when the server has it, so that the metric says what is shared.
        if (r.ok() && r.reply.type == redis::Reply::Type::status) counters->stores.fetch_add(1, std::memory_order_relaxed);
    });
}

}  // namespace sw::cache
