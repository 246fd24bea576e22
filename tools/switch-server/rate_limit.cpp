// rate_limit.cpp — token buckets, one set per client.
#include "rate_limit.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace server {

namespace {

// A client map this large is trimmed of clients whose buckets are full again: they have been
// idle long enough that forgetting them changes nothing.
constexpr std::size_t kTrimAt = 100000;

bool parse_count(const std::string& text, std::int64_t* out) {
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v < 0) return false;
    *out = v;
    return true;
}

std::int64_t ceil_seconds(double s) { return static_cast<std::int64_t>(std::ceil(std::max(0.0, s) - 1e-9)); }

}  // namespace

std::optional<RateLimits> read_rate_limits(const EnvGetter& env, std::string& error) {
    RateLimits limits;
    if (auto v = env("RATE_LIMIT_ENABLED")) {
        std::string lower = *v;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "true" || lower == "1" || lower == "yes") limits.enabled = true;
        else if (lower == "false" || lower == "0" || lower == "no" || lower.empty()) limits.enabled = false;
        else {
            error = "RATE_LIMIT_ENABLED: expected true or false";
            return std::nullopt;
        }
    }
    const std::pair<const char*, std::int64_t*> counts[] = {{"RATE_LIMIT_REQUESTS_PER_MINUTE", &limits.per_minute},
                                                             {"RATE_LIMIT_REQUESTS_PER_HOUR", &limits.per_hour},
                                                             {"RATE_LIMIT_REQUESTS_PER_DAY", &limits.per_day},
                                                             {"RATE_LIMIT_BURST_SIZE", &limits.burst}};
    for (const auto& [name, out] : counts)
        if (auto v = env(name); v && !parse_count(*v, out)) {
            error = std::string(name) + ": expected a whole number, 0 or more (0: no limit)";
            return std::nullopt;
        }
    return limits;
}

RateLimiter::RateLimiter(const RateLimits& limits) { set_limits(limits); }

void RateLimiter::set_limits(const RateLimits& limits) {
    std::vector<Bucket> buckets;
    if (limits.per_minute > 0) {
        const double size = static_cast<double>(limits.burst > 0 ? limits.burst : limits.per_minute);
        buckets.push_back({size, static_cast<double>(limits.per_minute) / 60.0});
    }
    if (limits.per_hour > 0)
        buckets.push_back({static_cast<double>(limits.per_hour), static_cast<double>(limits.per_hour) / 3600.0});
    if (limits.per_day > 0)
        buckets.push_back({static_cast<double>(limits.per_day), static_cast<double>(limits.per_day) / 86400.0});
    std::lock_guard lock(mutex_);
    buckets_ = std::move(buckets);
    limits_ = limits;
    // A client's tokens are counted against the old buckets' sizes: every client starts afresh.
    clients_.clear();
    enabled_.store(limits.enabled);
}

RateDecision RateLimiter::admit(const std::string& client, Clock::time_point now) {
    RateDecision d;
    std::lock_guard lock(mutex_);
    if (buckets_.empty()) return d;
    if (clients_.size() >= kTrimAt) {
        std::erase_if(clients_, [&](const auto& entry) {
            const double idle = std::chrono::duration<double>(now - entry.second.last).count();
            for (std::size_t i = 0; i < buckets_.size(); ++i)
                if (entry.second.tokens[i] + idle * buckets_[i].per_second < buckets_[i].capacity) return false;
            return true;
        });
    }
    auto [it, fresh] = clients_.try_emplace(client);
    Client& c = it->second;
    if (fresh) {
        for (const Bucket& b : buckets_) c.tokens.push_back(b.capacity);
        c.last = now;
    }
    const double elapsed = std::max(0.0, std::chrono::duration<double>(now - c.last).count());
    c.last = std::max(c.last, now);
    bool room = true;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        c.tokens[i] = std::min(buckets_[i].capacity, c.tokens[i] + elapsed * buckets_[i].per_second);
        if (c.tokens[i] < 1.0) {
            room = false;
            d.retry_after_seconds =
                std::max(d.retry_after_seconds, ceil_seconds((1.0 - c.tokens[i]) / buckets_[i].per_second));
        }
    }
    d.allowed = room;
    if (room)
        for (double& t : c.tokens) t -= 1.0;
    // The headers describe the bucket with the fewest requests left.
    std::size_t tightest = 0;
    for (std::size_t i = 1; i < buckets_.size(); ++i)
        if (c.tokens[i] < c.tokens[tightest]) tightest = i;
    const Bucket& b = buckets_[tightest];
    d.limit = static_cast<std::int64_t>(b.capacity);
    d.remaining = static_cast<std::int64_t>(std::floor(std::max(0.0, c.tokens[tightest])));
    d.reset_seconds = ceil_seconds((b.capacity - c.tokens[tightest]) / b.per_second);
    return d;
}

}  // namespace server
