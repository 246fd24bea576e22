// breaker_effect.cpp — classifying an outcome for the breaker, with the pool's permanent patterns.
#include "health/breaker_effect.hpp"

#include <re2/re2.h>

#include <string>

namespace sw::health {

PermanentPatterns::PermanentPatterns() = default;
PermanentPatterns::~PermanentPatterns() = default;
PermanentPatterns::PermanentPatterns(PermanentPatterns&&) noexcept = default;
PermanentPatterns& PermanentPatterns::operator=(PermanentPatterns&&) noexcept = default;

bool PermanentPatterns::any_match(std::string_view text) const {
    for (const auto& re : patterns)
        if (re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re)) return true;
    return false;
}

BreakerEffect breaker_effect(ErrorClass cls, const Outcome& outcome,
                             const PermanentFailureConfig& permanent,
                             const PermanentPatterns& patterns) {
    if (cls == ErrorClass::success) return BreakerEffect::success;
    // Server-side and network trouble is temporary by nature: never a permanent trip, even
    // when a pattern happens to match its text.
    const bool temporary = cls == ErrorClass::transient || cls == ErrorClass::timeout ||
                           outcome.http_status >= 500;
    if (permanent.enabled && !temporary) {
        if (!patterns.patterns.empty()) {
            std::string text = std::to_string(outcome.http_status);
            text += ' ';
            if (!outcome.error_message.empty())
                text += outcome.error_message;
            else if (!outcome.error_code.empty())
                text += outcome.error_code;
            else
                text += outcome.error_type;
            if (patterns.any_match(text)) return BreakerEffect::permanent;
        } else if (cls == ErrorClass::auth || cls == ErrorClass::not_found ||
                   cls == ErrorClass::quota) {
            return BreakerEffect::permanent;
        }
    }
    switch (cls) {
        case ErrorClass::transient:
        case ErrorClass::timeout:
        case ErrorClass::protocol:
        case ErrorClass::auth:
        case ErrorClass::not_found:
        case ErrorClass::quota: return BreakerEffect::failure;
        default: return BreakerEffect::neutral;
    }
}

}  // namespace sw::health
