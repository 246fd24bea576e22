// suggest.hpp — "did you mean" suggestions for misspelt keys and names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sw {

// The candidate closest to `word`, or "" when none is close enough to be a likely typo.
// Case, '_' and '-' are ignored first, so `max_retries` finds `maxRetries`.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace sw
