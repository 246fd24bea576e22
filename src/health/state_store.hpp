// state_store.hpp — where provider state is kept beyond one process: the seam for a shared store.
#pragma once

#include <switch/clock.hpp>
#include <switch/trace.hpp>

#include <cstdint>
#include <string_view>

namespace sw::health {

// Provider state is keyed by (pool id, provider name), never by position in a configuration, so
// that the same provider in the same pool is the same entry across reloads and processes.
struct StateKey {
    std::string_view pool;
    std::string_view provider;
};

// A breaker that changed state, after the change was made in the local view.
struct BreakerTransition {
    BreakerState from = BreakerState::closed;
    BreakerState to = BreakerState::closed;
    TimePoint at{};
    TimePoint open_until{};  // when `to` is open
    int permanent_trips = 0;
    bool manual = false;     // reset_breaker
};

// Units taken from (positive) or given back to (negative) a provider's per-minute limits.
struct LimitUse {
    TimePoint at{};
    std::int64_t requests = 0;
    std::int64_t tokens = 0;
};

// A breaker as a shared store holds it, to be applied to the local view
// (ProviderState::apply_shared). `epoch` orders the store's changes: an older or equal one than
// the last applied is stale. Durations, never instants: processes' clocks differ.
struct SharedBreakerView {
    bool open = false;
    Nanos open_left{0};  // open: until a probe is due; 0: due now
    int trips = 0;       // permanent trips since the last close
    std::int64_t epoch = 0;
};

// The state-store interface. Every ProviderState answers from its local view: the Breaker, the
// Admission limiters and the rest live in the process, and selection and admission read only
// them, so no decision waits for a round trip. The store is *told* what the local view did,
// after it did it:
//   - `publish_transition`: every breaker transition (open, half-open, close, a manual reset);
//   - `record_limit_use`: every admission against a per-minute limit, and every correction of
//     a token estimate by the real usage.
// Calls come from request threads, some under the provider's lock, so an implementation must
// not block: a store shared across processes (Redis, a later issue) queues them and makes its
// round trips asynchronously, and feeds what other processes did back into the local views
// (that direction is for the issue that builds it). A provider may overshoot a shared limit by
// what other processes admitted since the last sync; breakers converge within one round trip.
//
// The in-process store is the default. It is the local view itself and needs telling nothing:
// `shared()` is false, and ProviderState then keeps no pointer to it, so the default path makes
// no virtual call; a closed breaker's admission without limits does not even branch on it.
class StateStore {
public:
    virtual ~StateStore();
    // False when the local view is all there is (the in-process store): nothing is published.
    virtual bool shared() const noexcept = 0;
    virtual void publish_transition(const StateKey& key, const BreakerTransition& transition) noexcept = 0;
    virtual void record_limit_use(const StateKey& key, const LimitUse& use) noexcept = 0;
};

// The default: state lives in this process only.
class InProcessStateStore final : public StateStore {
public:
    bool shared() const noexcept override { return false; }
    void publish_transition(const StateKey&, const BreakerTransition&) noexcept override {}
    void record_limit_use(const StateKey&, const LimitUse&) noexcept override {}
};

// The one in-process store, shared by every RouterCore that is given no other.
StateStore& in_process_store() noexcept;

}  // namespace sw::health
