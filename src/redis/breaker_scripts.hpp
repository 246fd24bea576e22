// breaker_scripts.hpp — the server side of shared breakers: one provider's breaker as a hash on
// the server, changed only by versioned Lua scripts on the server's clock, and the half-open
// probe as a claim that one process at a time can hold (docs/scaling.md).
//
//   switch:v1:breaker:{POOL/PROVIDER}  hash: state ("open" or absent: closed), until (server µs),
//                                      trips (permanent trips since the last close), epoch (the
//                                      server's µs at the last change: it never goes back, even
//                                      across a restart that lost the hash)
//   switch:v1:probe:{POOL/PROVIDER}    the half-open probe's claim: its owner, with a TTL
#pragma once

#include "redis/limit_scripts.hpp"

#include <string>
#include <string_view>

namespace sw::redis {

// Publishes one transition. KEYS: the breaker, the probe claim. ARGV: "open" or "close", the
// open duration in µs (open), the permanent trips (open), the publisher's id, and "manual" or
// "" (close).
//   open: always applies, the pessimistic side wins: until = max(stored, TIME + duration),
//         trips = max(stored, sent); the probe claim goes (a failed probe is over).
//   close: applies when the publisher holds the probe claim (its probe succeeded), when it is a
//         manual reset, or when the breaker is closed already; trips go back to 0. A close from
//         anyone else is refused: the process then follows the server's state instead.
// Both bump the epoch when they apply. Answers the state after it, as breaker_read's does.
const Script& breaker_publish_script();
// The state: {open (1 or 0), µs until the open ends (0 when closed or over), trips, epoch}.
const Script& breaker_read_script();
// Claims the one half-open probe. KEYS: the breaker, the probe claim. ARGV: the claimant's id,
// the claim's lifetime in ms (the probe's timeout: a probe that never reports frees it). Answers
// 1 (claimed: send the probe), 0 (not yet: still open, or another process holds the claim), or
// 2 (closed: no probe needed).
const Script& breaker_claim_probe_script();

std::string breaker_key(std::string_view pool, std::string_view provider);
std::string probe_key(std::string_view pool, std::string_view provider);

}  // namespace sw::redis
