// usage_report.hpp — the ledger's rows summed per group, for `switchctl usage`.
#pragma once

#include "ledger/row.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchctl {

enum class GroupBy { model, provider, label, key };

struct UsageGroup {
    std::string key;  // the model, "pool/provider", label or client id; "" when the row had none
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;  // status other than 200
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    double cost_usd = 0;          // of the rows whose price was known
    std::uint64_t unpriced = 0;   // served rows whose price was unknown
    double p50_latency_ms = 0;    // nearest rank
    double p99_latency_ms = 0;
};

struct UsageReport {
    std::vector<UsageGroup> groups;  // by requests, most first; then by key
    UsageGroup total;
};

UsageReport summarize(const std::vector<sw::ledger::Row>& rows, GroupBy by);

// "30s", "15m", "24h", "7d" as microseconds; nullopt for anything else.
std::optional<std::int64_t> parse_duration_us(std::string_view text);

}  // namespace switchctl
