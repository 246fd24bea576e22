// text_scan.hpp — small text tests the heuristics share: ASCII lowercasing, whole-word search,
// counting regex matches.
#pragma once

#include <re2/re2.h>

#include <string>
#include <string_view>

namespace sw::prompt {

// ASCII letters lowered; every other byte (UTF-8 included) as it is.
std::string lower_ascii(std::string_view text);

// `phrase` (lowercase) occurs in `lower` (lowercase) as whole words: not inside a longer word.
bool has_word(std::string_view lower, std::string_view phrase);

// Non-overlapping matches of `re` in `text`.
int count_matches(std::string_view text, const re2::RE2& re);

}  // namespace sw::prompt
