// suggest.cpp — edit-distance matching for "did you mean" suggestions.
#include "common/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace sw {

namespace {
std::string fold(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != '_' && c != '-') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

// Damerau-Levenshtein (optimal string alignment) distance.
std::size_t distance(const std::string& a, const std::string& b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[n][m];
}
}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
    // Inputs are config keys and names; very long ones are not typos of anything.
    if (word.size() > 128) return {};
    const std::string folded = fold(word);
    std::string_view best;
    std::size_t best_distance = SIZE_MAX;
    // A word that starts a candidate ("fastest" for "fastest_response") is the likeliest
    // intent, however many letters are missing.
    if (folded.size() >= 3)
        for (auto candidate : candidates)
            if (fold(candidate).rfind(folded, 0) == 0) return std::string(candidate);
    for (auto candidate : candidates) {
        std::size_t dist = distance(folded, fold(candidate));
        if (dist < best_distance) {
            best_distance = dist;
            best = candidate;
        }
    }
    // Allow one edit for short words and about one in three for longer ones.
    const std::size_t allowed = std::max<std::size_t>(1, folded.size() / 3);
    if (best.empty() || best_distance > allowed) return {};
    return std::string(best);
}

}  // namespace sw
