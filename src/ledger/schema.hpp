// schema.hpp — the ledger's tables in each dialect, and the migrations that create them
// (docs/ledger.md, "Schema"). A database records its version in switch_ledger_schema; a store
// opening it applies the migrations above that version, in one transaction, and refuses a
// version newer than it knows rather than write rows a newer libswitch would misread.
#pragma once

#include <string_view>
#include <vector>

namespace sw::ledger {

inline constexpr int kSchemaVersion = 1;
inline constexpr std::string_view kTable = "switch_usage";
inline constexpr std::string_view kVersionTable = "switch_ledger_schema";

// The columns a row fills, in the order every store binds them.
inline constexpr std::string_view kColumns =
    "time, request_id, correlation_id, client_id, operation, streaming, model, label, provider, pool, "
    "input_tokens, output_tokens, cost_usd, latency_us, ttft_us, status, error_class, attempts, "
    "used_fallback, cache_hit";
inline constexpr int kColumnCount = 20;

enum class Dialect { sqlite, postgres };

// The statements that take a database from version `to - 1` to `to` (1 ≤ to ≤ kSchemaVersion).
const std::vector<std::string_view>& migration(Dialect dialect, int to);

}  // namespace sw::ledger
