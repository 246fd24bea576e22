// admission.hpp — what one provider's per-minute limits admit: requests and tokens.
#pragma once

#include "health/rate_limiter.hpp"

#include <switch/config.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace sw::health {

// Lock-free throughout: each limit is one GCRA word (a limit that is not configured admits
// everything and costs one compare). The in-flight count is not here but in the first cache
// line of ProviderState, beside what a closed breaker's admission reads.
class Admission {
public:
    void configure(const RateLimits& limits) noexcept {
        rpm_.configure(limits.requests_per_minute.value_or(0));
        tpm_.configure(limits.tokens_per_minute.value_or(0));
    }
    bool has_limits() const noexcept { return rpm_.enabled() || tpm_.enabled(); }
    bool limits_tokens() const noexcept { return tpm_.enabled(); }
    // The limits have room for one request of `tokens`.
    bool has_room(TimePoint now, std::uint64_t tokens) const noexcept {
        if (rpm_.enabled() && !rpm_.has_room(now, 1)) return false;
        if (tpm_.enabled() && !tpm_.has_room(now, tokens)) return false;
        return true;
    }
    // Takes one request and `tokens` from the limits, both or neither.
    bool try_take(TimePoint now, std::uint64_t tokens) noexcept {
        if (rpm_.enabled() && !rpm_.try_take(now, 1)) return false;
        if (tpm_.enabled() && !tpm_.try_take(now, tokens)) {
            if (rpm_.enabled()) rpm_.adjust(now, -1);
            return false;
        }
        return true;
    }
    // Corrects the token estimate taken at admission by `delta` (the real usage less it).
    void correct_tokens(TimePoint now, std::int64_t delta) noexcept { tpm_.adjust(now, delta); }
    // When the limits have room for one request of `tokens`; `now` when they have it already.
    TimePoint ready_at(TimePoint now, std::uint64_t tokens) const noexcept {
        TimePoint t = now;
        if (rpm_.enabled()) t = std::max(t, rpm_.ready_at(now, 1));
        if (tpm_.enabled()) t = std::max(t, tpm_.ready_at(now, tokens));
        return t;
    }

    // How much of each limit is used carries over when the limit is the same.
    void carry_from(const Admission& old) noexcept {
        rpm_.carry_from(old.rpm_);
        tpm_.carry_from(old.tpm_);
    }

private:
    RateLimiter rpm_;
    RateLimiter tpm_;
};

}  // namespace sw::health
