// breaker_effect.hpp — what a classified outcome does to the breaker: success, failure, a
// permanent trip, or nothing (docs/routing.md, "Permanent trips").
#pragma once

#include <switch/config.hpp>
#include <switch/outcome.hpp>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace sw::health {

// What an outcome does to the breaker.
enum class BreakerEffect : std::uint8_t { success, failure, permanent, neutral };

// Compiled permanent-failure patterns of one pool, shared by its providers.
struct PermanentPatterns {
    std::vector<std::unique_ptr<re2::RE2>> patterns;
    PermanentPatterns();
    ~PermanentPatterns();
    PermanentPatterns(PermanentPatterns&&) noexcept;
    PermanentPatterns& operator=(PermanentPatterns&&) noexcept;
    bool any_match(std::string_view text) const;
};

// Decides the breaker effect of a classified outcome (see docs/routing.md, "Permanent trips").
BreakerEffect breaker_effect(ErrorClass cls, const Outcome& outcome,
                             const PermanentFailureConfig& permanent,
                             const PermanentPatterns& patterns);

}  // namespace sw::health
