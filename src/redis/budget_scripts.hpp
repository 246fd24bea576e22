// budget_scripts.hpp — the server side of the shared budgets (docs/budgets.md): two Lua scripts,
// run atomically by Redis (or Valkey) on its own clock, in the shape of the limit scripts
// (limit_scripts.hpp: versioned names and keys, EVALSHA with EVAL as the fallback).
//
// Each budget and scope value is one hash: `w`, the start of the window its count is for (UTC
// seconds), and `s`, what was spent in it (micro-USD). A count from an earlier window reads as 0.
// The key expires a minute after its window ends.
#pragma once

#include "redis/limit_scripts.hpp"

#include <string>
#include <string_view>

namespace sw::redis {

// Takes a cost from several budgets at once, or from none. KEYS: one per budget. ARGV: per key
// its window ("minute", "hour", "day" or "month", on the UTC calendar), its limit and the cost,
// in micro-USD. Answers {1, start_1, ..., start_n}, each key's window start, when every budget
// had room; else {0, i, spent, resets_in}: nothing was taken, key i (from 1) had spent `spent` in
// its window, which ends in `resets_in` seconds.
const Script& budget_take_script();
// Corrects earlier takes. ARGV: per key the window start its take answered and a delta
// (negative gives back). A key whose window has moved on is left alone; no count goes below 0.
// Answers 1.
const Script& budget_adjust_script();

// The key of one budget's count for one scope value ("" for a budget of the whole router).
// Every budget key carries the hash tag {budget}, so that one script's keys share a Redis
// Cluster slot.
std::string budget_key(std::string_view budget, std::string_view value);

// The prefix every budget key starts with; apart from the limiter's and the cache's.
inline constexpr std::string_view kBudgetKeyPrefix = "switch:v1:budget:";

}  // namespace sw::redis
