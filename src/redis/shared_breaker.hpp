// shared_breaker.hpp — one provider's breaker as every process sees it: opens published with
// their remaining time (never a local instant: clocks differ), the pessimistic side winning;
// closes accepted only from the process whose probe succeeded (or a manual reset); and the one
// half-open probe claimed on the server, so that exactly one process sends it. Each answer is
// the server's state, for the caller to apply to its local Breaker. Unavailable: the caller
// keeps its local breaker, as before sharing.
#pragma once

#include "redis/client.hpp"
#include "redis/limit_scripts.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace sw::redis {

// A breaker's state on the server.
struct SharedBreakerState {
    bool available = false;  // false: no answer (timeout, no connection, an error reply)
    bool open = false;
    std::chrono::microseconds open_left{0};  // open: until the probe is due; 0: due now
    int trips = 0;                           // permanent trips since the last close
    std::int64_t epoch = 0;                  // bumped by every transition that applied
};

enum class ProbeClaim : std::uint8_t {
    claimed,      // this process sends the one probe
    not_yet,      // still open, or another process holds the claim
    closed,       // the breaker is closed: no probe needed
    unavailable,  // no answer: decide locally (at most one probe per process, as before)
};

class SharedBreaker {
public:
    // `owner`: this process's id in probe claims (unique per process: host, pid and a random
    // part). The pool and provider name the breaker, as the limits' keys do.
    SharedBreaker(Client& client, std::string owner, std::string_view pool, std::string_view provider);

    // An open for `open_for` (resetTimeout, or a permanent trip's backoff) with `trips`.
    void publish_open(std::chrono::microseconds open_for, int trips, std::function<void(SharedBreakerState)> done);
    // A close: applied when this process holds the probe claim, or when `manual` (reset_breaker).
    void publish_close(bool manual, std::function<void(SharedBreakerState)> done);
    void read(std::function<void(SharedBreakerState)> done);
    // Claims the half-open probe for `timeout` (the probe's own timeout: a probe that never
    // reports frees the claim then).
    void claim_probe(std::chrono::milliseconds timeout, std::function<void(ProbeClaim)> done);

    const std::string& key() const noexcept { return key_; }

private:
    void state_call(const Script& script, std::vector<std::string> args, std::function<void(SharedBreakerState)> done);

    Client& client_;
    std::string owner_;
    std::string key_;
    std::string probe_key_;
};

}  // namespace sw::redis
