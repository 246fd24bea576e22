// text_scan.cpp — lowercasing, whole-word search, match counting.
#include "prompt/text_scan.hpp"

namespace sw::prompt {

namespace {
bool word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
}  // namespace

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool has_word(std::string_view lower, std::string_view phrase) {
    for (std::size_t at = lower.find(phrase); at != std::string_view::npos; at = lower.find(phrase, at + 1)) {
        const bool starts = at == 0 || !word_char(lower[at - 1]) || !word_char(phrase.front());
        const std::size_t end = at + phrase.size();
        const bool ends = end == lower.size() || !word_char(lower[end]) || !word_char(phrase.back());
        if (starts && ends) return true;
    }
    return false;
}

int count_matches(std::string_view text, const re2::RE2& re) {
    re2::StringPiece rest(text.data(), text.size());
    int n = 0;
    re2::StringPiece match;
    while (!rest.empty() && re.Match(rest, 0, rest.size(), re2::RE2::UNANCHORED, &match, 1)) {
        ++n;
        // An empty match still moves on by one byte, as Python's findall does.
        const std::size_t next = static_cast<std::size_t>(match.data() - rest.data()) + std::max<std::size_t>(match.size(), 1);
        if (next >= rest.size()) break;
        rest.remove_prefix(next);
    }
    return n;
}

}  // namespace sw::prompt
