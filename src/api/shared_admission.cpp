// shared_admission.cpp — the request and token units of an attempt, as the shared limiter's keys.
#include "api/shared_admission.hpp"

#include "redis/limit_scripts.hpp"
#include "redis/shared_limiter.hpp"

#include <vector>

namespace sw::api {
namespace {

// The limits an attempt counts against, each with `tokens` for the token limit.
std::vector<redis::LimitUnits> units_of(const AttemptRequest& attempt, std::int64_t requests, std::int64_t tokens) {
    const RateLimits& limits = attempt.provider->rate_limits;
    std::vector<redis::LimitUnits> out;
    if (limits.requests_per_minute && requests != 0)
        out.push_back({redis::limit_key(attempt.pool->id, attempt.provider->name, "rpm"),
                       *limits.requests_per_minute, requests});
    if (limits.tokens_per_minute && tokens != 0)
        out.push_back({redis::limit_key(attempt.pool->id, attempt.provider->name, "tpm"), *limits.tokens_per_minute,
                       tokens});
    return out;
}

}  // namespace

bool has_shared_limits(const ProviderConfig& provider) noexcept {
    return provider.rate_limits.requests_per_minute || provider.rate_limits.tokens_per_minute;
}

void admit_shared(state::SharedState& shared, const AttemptRequest& attempt,
                  std::function<void(SharedAdmission)> done) {
    const auto limits = units_of(attempt, 1, static_cast<std::int64_t>(attempt.estimated_tokens));
    if (limits.empty()) {
        done({});
        return;
    }
    const bool asked = shared.with_client([&](redis::Client& client) {
        redis::SharedLimiter(client).take(limits, [done](redis::LimitDecision d) {
            using V = redis::LimitDecision::Verdict;
            SharedAdmission a;
            if (d.verdict == V::admitted) {
                a.verdict = SharedAdmission::Verdict::admitted;
            } else if (d.verdict == V::refused) {
                a.verdict = SharedAdmission::Verdict::refused;
                a.wait = std::max(Millis{1}, std::chrono::ceil<Millis>(d.wait));
            }
            done(a);
        });
    });
    if (!asked) done({});
}

void correct_shared_tokens(state::SharedState& shared, const AttemptRequest& attempt, std::int64_t delta) {
    const auto limits = units_of(attempt, 0, delta);
    if (limits.empty()) return;
    shared.with_client([&](redis::Client& client) { redis::SharedLimiter(client).adjust(limits, [](redis::CallStatus) {}); });
}

}  // namespace sw::api
