// breaker.cpp — the open time of a permanent trip.
#include "health/breaker.hpp"

#include <algorithm>
#include <cmath>

namespace sw::health {

Nanos permanent_open_time(const CircuitBreakerConfig& cb, int trips) noexcept {
    const auto& p = cb.permanent;
    const double base_ms = std::max(static_cast<double>(cb.reset_timeout.count()) *
                                        p.timeout_multiplier,
                                    static_cast<double>(p.base_timeout.count()));
    const int exponent = std::clamp(trips, 0, std::max(p.max_backoff_multiplier, 0));
    const double ms = base_ms * std::ldexp(1.0, exponent);
    return Nanos{static_cast<std::int64_t>(ms * 1e6)};
}

}  // namespace sw::health
