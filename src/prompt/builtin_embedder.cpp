// builtin_embedder.cpp — words and punctuation, feature-hashed, weighted by IDF.
#include "prompt/builtin_embedder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace sw::prompt {

namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

bool is_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

bool is_space(unsigned char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c; }

// FNV-1a of `bytes` (ASCII lowered), started from a seed per kind of feature so that a word and
// a character pair with the same bytes are different features.
std::uint64_t hash(std::string_view bytes, std::uint64_t seed) {
    std::uint64_t h = kFnvOffset ^ (seed * kFnvPrime);
    for (unsigned char c : bytes) h = (h ^ lower(c)) * kFnvPrime;
    // FNV's low bits mix poorly; fold the high half in before taking a bucket and a sign.
    return h ^ (h >> 29) ^ (h >> 47);
}

// The length of the UTF-8 sequence that starts with `c` (1 for a stray continuation byte).
std::size_t sequence_length(unsigned char c) {
    if (c >= 0xF0) return 4;
    if (c >= 0xE0) return 3;
    if (c >= 0xC0) return 2;
    return 1;
}

// Calls `feature(hash)` for every feature of `text`, in order.
template <class Feature>
void for_each_feature(std::string_view text, Feature&& feature) {
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (!is_word_byte(c)) {
            feature(hash(text.substr(i, 1), 'p'));
            ++i;
            continue;
        }
        const std::size_t start = i;
        bool ascii = true;
        while (i < n && is_word_byte(static_cast<unsigned char>(text[i]))) {
            ascii = ascii && static_cast<unsigned char>(text[i]) < 0x80;
            ++i;
        }
        const std::string_view word = text.substr(start, i - start);
        feature(hash(word, 'w'));
        if (ascii) continue;
        // Pairs of adjacent characters, for scripts written without spaces.
        std::size_t a = 0;
        while (a < word.size()) {
            const std::size_t b = a + sequence_length(static_cast<unsigned char>(word[a]));
            if (b >= word.size()) break;
            const std::size_t end = std::min(word.size(), b + sequence_length(static_cast<unsigned char>(word[b])));
            feature(hash(word.substr(a, end - a), 'b'));
            a = b;
        }
    }
}

using Counts = std::array<float, BuiltinEmbedder::kDimensions>;

// Signed counts by bucket: the hash's low bits pick the bucket, a high bit the sign, so that
// colliding features tend to cancel rather than add up.
void count_features(std::string_view text, Counts& counts) {
    counts.fill(0);
    for_each_feature(text, [&](std::uint64_t h) {
        counts[h % BuiltinEmbedder::kDimensions] += ((h >> 40) & 1) ? 1.0f : -1.0f;
    });
}

}  // namespace

BuiltinEmbedder::BuiltinEmbedder(const std::vector<std::string_view>& corpus) {
    std::array<std::size_t, kDimensions> documents{};
    Counts counts;
    for (std::string_view text : corpus) {
        count_features(text, counts);
        for (std::size_t b = 0; b < kDimensions; ++b)
            if (counts[b] != 0) ++documents[b];
    }
    const auto total = static_cast<double>(corpus.size());
    for (std::size_t b = 0; b < kDimensions; ++b)
        idf_[b] = static_cast<float>(std::log((total + 1) / (static_cast<double>(documents[b]) + 1)) + 1);
}

bool BuiltinEmbedder::embed(std::string_view text, std::vector<float>& out, std::string&) const {
    Counts counts;
    count_features(text, counts);
    out.assign(kDimensions, 0.0f);
    double norm = 0;
    for (std::size_t b = 0; b < kDimensions; ++b) {
        const float c = counts[b];
        if (c == 0) continue;
        const float weight = (1.0f + std::log(std::fabs(c))) * idf_[b];
        out[b] = c > 0 ? weight : -weight;
        norm += static_cast<double>(weight) * weight;
    }
    if (norm > 0) {
        const auto scale = static_cast<float>(1.0 / std::sqrt(norm));
        for (float& v : out) v *= scale;
    }
    return true;
}

}  // namespace sw::prompt
