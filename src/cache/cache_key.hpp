// cache_key.hpp — the response cache's key (docs/cache.md, "The key"): a SHA-256 of the
// request's normalised form and its partition. A digest rather than the text itself, so that an
// entry costs 32 bytes of key however long its prompt, and a shared backend (Redis, later) can
// use the same name; SHA-256, so that two requests never share an answer by collision.
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace sw::cache {

struct CacheKey {
    std::array<unsigned char, 32> digest{};

    bool operator==(const CacheKey&) const = default;
    // The digest is uniform: any 8 of its bytes are a good hash.
    std::size_t hash() const {
        std::size_t h = 0;
        std::memcpy(&h, digest.data(), sizeof h);
        return h;
    }
    std::string hex() const;
};

struct CacheKeyHash {
    std::size_t operator()(const CacheKey& k) const { return k.hash(); }
};

// The request as the key sees it: its members with object keys sorted at every depth, compact,
// without the members that cannot change the answer ("user", "metadata", "store",
// "max_cost_usd", and "stream", which `stream` stands for), and with the stream flag appended.
// nullopt when the text is not a JSON object.
std::optional<std::string> normalised_request(std::string_view request_json, bool stream);

// The key of `normalised` in `partition`; two partitions never share a key.
CacheKey make_key(std::string_view normalised, std::string_view partition);

}  // namespace sw::cache
