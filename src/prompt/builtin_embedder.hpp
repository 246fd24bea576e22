// builtin_embedder.hpp — the semantic router's default embedder: no model file, no network.
//
// A text becomes a signed feature-hashed bag of words (1,024 dimensions): its lowercased words
// and single punctuation marks, plus the pairs of adjacent characters of words written in
// other than ASCII (so Chinese and Japanese, written without spaces, still share features).
// Each feature weighs (1 + ln count) times its inverse document frequency over the router's
// own utterances, so words every route uses count little; the vector is L2-normalised.
// Similarities are lexical: a text scores high against a route whose examples use its
// informative words, and cosines run lower than a neural model's (docs/prompt-routing.md).
#pragma once

#include "prompt/embedder.hpp"

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

namespace sw::prompt {

class BuiltinEmbedder final : public Embedder {
public:
    static constexpr std::size_t kDimensions = 1024;

    // Fits the inverse document frequencies on `corpus` (every route's utterances).
    explicit BuiltinEmbedder(const std::vector<std::string_view>& corpus);

    bool embed(std::string_view text, std::vector<float>& out, std::string& error) const override;

private:
    std::array<float, kDimensions> idf_{};
};

}  // namespace sw::prompt
