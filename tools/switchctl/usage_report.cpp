// usage_report.cpp — grouping and percentiles for `switchctl usage`.
#include "usage_report.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

namespace switchctl {

namespace {

std::string key_of(const sw::ledger::Row& r, GroupBy by) {
    switch (by) {
        case GroupBy::model: return r.model;
        // A provider's name is unique within its pool only.
        case GroupBy::provider: return r.provider.empty() ? std::string() : r.pool + "/" + r.provider;
        case GroupBy::label: return r.label;
        case GroupBy::key: return r.client_id;
    }
    return {};
}

// The nearest-rank percentile: the smallest value with at least p% of the values at or below it.
double percentile(std::vector<std::int64_t>& sorted_us, double p) {
    if (sorted_us.empty()) return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted_us.size())));
    return static_cast<double>(sorted_us[std::max<std::size_t>(rank, 1) - 1]) / 1000.0;
}

struct Accumulator {
    UsageGroup group;
    std::vector<std::int64_t> latencies_us;
    void add(const sw::ledger::Row& r) {
        ++group.requests;
        if (r.status != 200) ++group.errors;
        group.input_tokens += r.input_tokens;
        group.output_tokens += r.output_tokens;
        if (r.cost_usd) group.cost_usd += *r.cost_usd;
        else if (r.status == 200) ++group.unpriced;
        latencies_us.push_back(r.latency_us);
    }
    UsageGroup finish() {
        std::sort(latencies_us.begin(), latencies_us.end());
        group.p50_latency_ms = percentile(latencies_us, 50);
        group.p99_latency_ms = percentile(latencies_us, 99);
        return group;
    }
};

}  // namespace

UsageReport summarize(const std::vector<sw::ledger::Row>& rows, GroupBy by) {
    std::map<std::string, Accumulator> groups;
    Accumulator total;
    for (const auto& r : rows) {
        Accumulator& a = groups[key_of(r, by)];
        a.group.key = key_of(r, by);
        a.add(r);
        total.add(r);
    }
    UsageReport report;
    for (auto& [key, a] : groups) report.groups.push_back(a.finish());
    std::stable_sort(report.groups.begin(), report.groups.end(),
                     [](const UsageGroup& a, const UsageGroup& b) { return a.requests > b.requests; });
    report.total = total.finish();
    return report;
}

std::optional<std::int64_t> parse_duration_us(std::string_view text) {
    if (text.size() < 2) return std::nullopt;
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
    if (ec != std::errc() || ptr != text.data() + text.size() - 1 || n < 0) return std::nullopt;
    std::int64_t unit = 0;
    switch (text.back()) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: return std::nullopt;
    }
    if (n > (std::int64_t{1} << 40) / unit) return std::nullopt;
    return n * unit * 1000000;
}

}  // namespace switchctl
