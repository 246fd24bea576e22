// shared_admission.hpp — an attempt's admission by the per-minute limits shared through Redis
// (docs/scaling.md). The local limiter admits first, as it always does; then, for a provider
// with limits, the server's script must find room in all of them at once, or the attempt is
// refused as rate limited. When Redis does not answer in time the local decision stands.
#pragma once

#include "state/shared_state.hpp"

#include <switch/sys/router_core.hpp>

#include <cstdint>
#include <functional>

namespace sw::api {

struct SharedAdmission {
    enum class Verdict : std::uint8_t {
        admitted,  // the shared limits had room and took the attempt's units
        refused,   // no room: the earliest all the limits have room is `wait` from now
        local,     // Redis did not answer in time, or is closed: the local admission stands
    };
    Verdict verdict = Verdict::local;
    Millis wait{0};
};

// A provider whose per-minute limits are shared when the router shares state.
bool has_shared_limits(const ProviderConfig& provider) noexcept;

// Takes one request and the attempt's token estimate from the provider's shared limits. `done`
// runs once, on any thread (at once when no connection is up), within the Redis call timeout.
void admit_shared(state::SharedState& shared, const AttemptRequest& attempt,
                  std::function<void(SharedAdmission)> done);

// Corrects the tokens an admitted attempt took by `delta` (its real usage less its estimate):
// fire and forget, as a lost correction only skews the limit until its key expires.
void correct_shared_tokens(state::SharedState& shared, const AttemptRequest& attempt, std::int64_t delta);

}  // namespace sw::api
