// router_core.hpp — the routing core (C++ API, UNSTABLE TIER: it may change in any release):
// runtime state built from a Config, the per-request attempt state machine and operator actions.
// sw::Router drives it; an embedder that drives AttemptLoop itself accepts that its layout and
// protocol follow the library's needs. The stable types it reports are in <switch/trace.hpp>.
//
// Threading: a RouterCore is safe to use from any number of threads at once. An AttemptLoop
// belongs to one request and is used by one thread at a time (it may move between threads).
#pragma once

#include <switch/clock.hpp>
#include <switch/config.hpp>
#include <switch/outcome.hpp>
#include <switch/switch.h>
#include <switch/trace.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sw {

// ---- Per-request inputs and outputs ---------------------------------------------------------

struct RequestOptions {
    // Whole-request deadline, including every wait. Default: Config::deadlines.request (or
    // .streaming), always capped at Config::deadlines.max.
    std::optional<Millis> deadline;
    bool streaming = false;
    // Prompt plus max_tokens, charged to `tokensPerMinute` before the call and corrected from
    // the reported usage afterwards.
    std::uint64_t estimated_tokens = 0;
    // Upper bound on attempts across the whole chain, whatever the retry settings say.
    int max_attempts = 16;
    // The Router's id of the request, reported in its events (events.hpp); 0 outside a Router.
    std::uint64_t request_id = 0;
    // A budget in USD: providers whose estimated cost for `estimated_usage` exceeds it, or whose
    // price is unknown, are not tried (ChatOptions::max_cost_usd).
    std::optional<double> max_cost_usd;
    TokenUsage estimated_usage;  // the prompt estimate, and the answer's (max_tokens, or 1,000)
};

// What the driver must send next.
struct AttemptRequest {
    const PoolConfig* pool = nullptr;          // borrowed from the Config the core holds
    const ProviderConfig* provider = nullptr;  // borrowed from the Config the core holds
    int attempt_number = 0;    // 1-based, across the whole request
    int provider_attempt = 0;  // 1-based, on this provider in this pool
    Millis timeout{0};         // provider timeout clipped to the request deadline
    TimePoint deadline{};      // the whole request's deadline
    std::uint64_t estimated_tokens = 0;  // charged to the provider's tokensPerMinute
    bool probe = false;                  // a half-open breaker's probe
};

namespace detail {
// A claim on one provider's capacity, held while an attempt is in flight.
struct ProviderTicket {
    std::uint32_t provider = UINT32_MAX;  // global provider index; UINT32_MAX: none
    std::uint32_t epoch = 0;
    bool probe = false;         // a half-open breaker's probe
    bool health_probe = false;  // the recovery probe of an unhealthy provider
    bool measuring = false;
    bool half_opened = false;  // this acquisition moved the breaker from open to half-open
    std::uint32_t health_epoch = 0;
    std::uint64_t estimated_tokens = 0;
};
}  // namespace detail

class RouterCore;
class RouterObserver;
namespace health {
struct RecordEffects;
struct SharedBreakerView;
class StateStore;
}

// The per-request state machine. It never blocks and never reads a clock: the driver passes
// `now` in. Protocol: call next(); on `attempt` send it and call report() exactly once; on
// `wait` call next() again at or after `wait_until`; on `done` read result().
// Destroying a loop with an attempt still in flight returns that attempt's slot.
class SW_API AttemptLoop {
public:
    struct Action {
        enum class Kind { attempt, wait, done };
        Kind kind = Kind::done;
        AttemptRequest attempt;  // for `attempt`
        TimePoint wait_until{};  // for `wait`
    };

    AttemptLoop(AttemptLoop&&) noexcept;
    AttemptLoop& operator=(AttemptLoop&&) noexcept;
    AttemptLoop(const AttemptLoop&) = delete;
    AttemptLoop& operator=(const AttemptLoop&) = delete;
    ~AttemptLoop();

    Action next(TimePoint now);
    void report(const Outcome& outcome, TimePoint now);
    // Instead of report(), for a breaker probe (AttemptRequest::probe) that was not sent because
    // another process holds the shared probe claim (docs/scaling.md): the provider's breaker is
    // open again for `hold` in this process, nothing is recorded against it, and the request
    // goes on without it. The trace lists the attempt with error code "probe_elsewhere".
    void yield_probe(TimePoint now, Nanos hold);
    // Instead of report(), for an attempt that was not sent because a budget has no room for it
    // (docs/budgets.md): its capacity comes back, nothing is recorded against the provider, and
    // the request goes on without it (a cheaper provider may still fit). The trace lists the
    // attempt with status 429 and error code "budget_exceeded"; a request that ends without an
    // answer after it fails as rate limited (429).
    void refuse_over_budget(TimePoint now);
    bool done() const noexcept { return done_; }
    const RouteResult& result() const noexcept { return result_; }
    // The result moved out, for an owner that has finished with the loop: result() is empty after.
    RouteResult take_result() noexcept { return std::move(result_); }
    TimePoint deadline() const noexcept { return deadline_; }

    struct Impl;  // the RouterCore's shared state (internal)

private:
    friend class RouterCore;
    static constexpr std::uint32_t kNoChain = UINT32_MAX;  // an unknown model or pool
    // `chain_of`: the pool whose planned chain the request follows, or kNoChain.
    AttemptLoop(std::shared_ptr<Impl> core, std::string model, std::uint32_t chain_of,
                const RequestOptions& options, TimePoint now);

    bool select_in_chain(TimePoint now, Action& out, bool health_gate);
    bool start_attempt(std::size_t pos, std::uint32_t local, TimePoint now, Action& out,
                       bool health_probe = false);
    bool plan_wait(TimePoint now, Action& out);
    void exclude(std::size_t pos, std::uint32_t local) noexcept;
    // Excludes every provider the request's budget cannot pay for; ends the request when that is
    // all of them.
    void apply_budget(double max_cost_usd);
    // Reports an attempt's end, and what it did to its provider, to the observer.
    // Ends the attempt in flight unsent: excluded for this request, and listed in the trace as
    // `record` says, with no verdict against the provider.
    void pass_over(TimePoint now, AttemptRecord record);
    void notify_report(const AttemptRecord& record, const Outcome& outcome,
                       const health::RecordEffects& effects, TimePoint now) const;
    void finish(RouteError error, ErrorClass cls, std::string reason);
    void release_in_flight() noexcept;

    // The per-request flags, in one allocation: for each (chain position, provider) slot, whether
    // it gets no more attempts and how many it has had; for each position, whether it was skipped
    // for health and whether selection ran there.
    std::uint8_t* excluded(std::size_t pos) noexcept { return flags_.data() + offset_[pos]; }
    std::uint8_t& tries_at(std::size_t pos, std::uint32_t local) noexcept {
        return flags_[slots_ + offset_[pos] + local];
    }
    std::uint8_t& skipped(std::size_t pos) noexcept { return flags_[2 * slots_ + pos]; }
    std::uint8_t& entered(std::size_t pos) noexcept { return flags_[2 * slots_ + chain_.size() + pos]; }

    std::shared_ptr<Impl> core_;
    // The planned chain, owned by the core (which core_ keeps alive).
    std::span<const std::uint32_t> chain_;   // pool indices, in chain order
    std::span<const std::uint32_t> offset_;  // chain position -> its first slot
    std::size_t slots_ = 0;
    std::vector<std::uint8_t> flags_;
    std::size_t pos_ = 0;
    TimePoint deadline_{};
    RequestOptions options_;
    int attempts_ = 0;
    // A planned retry of one provider (after backoff, Retry-After or a cooldown).
    bool retry_planned_ = false;
    std::size_t retry_pos_ = 0;
    std::uint32_t retry_local_ = 0;
    TimePoint retry_at_{};
    // The attempt in flight.
    bool in_flight_ = false;
    detail::ProviderTicket ticket_;
    std::size_t cur_pos_ = 0;
    std::uint32_t cur_local_ = 0;
    TimePoint last_report_{};
    bool waited_ = false;
    Millis pending_backoff_{0};
    bool done_ = false;
    RouteResult result_;
    std::string over_budget_;  // the providers the budget excluded, for the final message
};

// ---- The core --------------------------------------------------------------------------------

// Runtime routing state for one Config: a fixed array of per-provider state (breaker, health,
// load, rate limits), built once. Routing decisions take no global lock and allocate nothing.
class SW_API RouterCore {
public:
    // Throws std::invalid_argument on a null argument or a pool with more than
    // kMaxProvidersPerPool providers. `observer` (may be null) hears the routing events of
    // events.hpp: route decisions, attempts, breaker transitions and cooldowns.
    // `store` (may be null: the in-process store) is told of breaker transitions, to share them
    // with other processes (docs/scaling.md); it must outlive the core.
    RouterCore(std::shared_ptr<const Config> config, std::shared_ptr<Clock> clock,
               std::shared_ptr<Random> random, std::shared_ptr<RouterObserver> observer = nullptr,
               health::StateStore* store = nullptr);
    ~RouterCore();
    RouterCore(const RouterCore&) = delete;
    RouterCore& operator=(const RouterCore&) = delete;

    static constexpr std::size_t kMaxProvidersPerPool = 256;

    // Starts a request for a model from `models` (its primary pool, then the fallback chain).
    // An unknown model gives a loop whose first action is `done` with RouteError::unknown_model.
    AttemptLoop begin(std::string_view model, const RequestOptions& options = {}) const;
    // Starts a request on a pool and its fallback chain directly. `model` names the request in
    // its trace and events (a prompt-routed model); empty: the pool id.
    AttemptLoop begin_pool(std::string_view pool_id, const RequestOptions& options = {},
                           std::string_view model = {}) const;

    // The pool ids a request starting at `pool_id` may visit, in order (depth-first over
    // fallbackPoolIds, each pool once). Empty for an unknown pool.
    std::vector<std::string> pool_chain(std::string_view pool_id) const;

    RouterStatus status() const;
    // Closes the breaker of one provider in one pool and forgets its window, consecutive
    // failures and permanent trips. The 429 cooldown stays. False if no such provider.
    bool reset_breaker(std::string_view pool_id, std::string_view provider_name);

    // Applies what a shared store says another process did to one provider's breaker
    // (ProviderState::apply_shared), and reports the change to the observer as a transition.
    // False if no such provider.
    bool apply_shared(std::string_view pool_id, std::string_view provider_name, const health::SharedBreakerView& view);

    // For a reload: each provider of this core that `previous` also has, by pool id and
    // provider name, takes what it learned there (breaker, health, cooldown, rate-limit use).
    // Call before this core routes any request. Returns how many providers carried state.
    std::size_t carry_state_from(const RouterCore& previous);

    const Config& config() const noexcept;
    Clock& clock() const noexcept;

    // Internal state, for tests and benchmarks in this repository.
    AttemptLoop::Impl& impl() const noexcept { return *impl_; }

private:
    std::shared_ptr<AttemptLoop::Impl> impl_;
};

// Full-jitter exponential backoff before retry number n+1 (n = 0 for the first retry):
// uniform in [0, min(kMaxBackoff, retry_delay * 2^n)].
inline constexpr Millis kMaxBackoff{30000};
SW_API Nanos full_jitter_backoff(Millis retry_delay, int n, Random& random) noexcept;

}  // namespace sw
