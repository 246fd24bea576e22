// shared_limiter.cpp — the arguments of the limit scripts and the reading of their answers.
#include "redis/shared_limiter.hpp"

#include "redis/limit_scripts.hpp"
#include "redis/script_call.hpp"

#include <memory>

namespace sw::redis {

namespace {

constexpr std::int64_t kPeriodMicros = 60'000'000;  // a minute: the limits are per minute

void split(const std::vector<LimitUnits>& limits, std::vector<std::string>& keys, std::vector<std::string>& args) {
    args.push_back(std::to_string(kPeriodMicros));
    for (const LimitUnits& l : limits) {
        keys.push_back(l.key);
        args.push_back(std::to_string(l.per_minute));
        args.push_back(std::to_string(l.units));
    }
}

}  // namespace

void SharedLimiter::run(const Script& script, const std::vector<LimitUnits>& limits,
                        std::function<void(Result)> done) {
    std::vector<std::string> keys, args;
    split(limits, keys, args);
    run_script(client_, script, keys, args, std::move(done));
}

void SharedLimiter::take(const std::vector<LimitUnits>& limits, std::function<void(LimitDecision)> done) {
    if (limits.empty()) {
        done(LimitDecision{LimitDecision::Verdict::admitted, std::chrono::microseconds{0}, CallStatus::ok});
        return;
    }
    run(limit_take_script(), limits, [done = std::move(done)](Result r) {
        LimitDecision d;
        d.status = r.status;
        const Reply& reply = r.reply;
        // Anything but the script's own answer (an error reply: out of memory, a script killed,
        // a read-only replica) is treated as no answer: the local limiter decides.
        if (!r.ok() || reply.type != Reply::Type::array || reply.elements.size() != 2 ||
            reply.elements[0].type != Reply::Type::integer || reply.elements[1].type != Reply::Type::integer) {
            if (r.ok()) d.status = CallStatus::unavailable;
            d.verdict = LimitDecision::Verdict::unavailable;
        } else if (reply.elements[0].integer == 1) {
            d.verdict = LimitDecision::Verdict::admitted;
        } else {
            d.verdict = LimitDecision::Verdict::refused;
            d.wait = std::chrono::microseconds{reply.elements[1].integer};
        }
        done(d);
    });
}

void SharedLimiter::adjust(const std::vector<LimitUnits>& limits, std::function<void(CallStatus)> done) {
    if (limits.empty()) {
        done(CallStatus::ok);
        return;
    }
    run(limit_adjust_script(), limits, [done = std::move(done)](Result r) {
        const bool applied = r.ok() && r.reply.type == Reply::Type::integer && r.reply.integer == 1;
        done(applied ? CallStatus::ok : (r.ok() ? CallStatus::unavailable : r.status));
    });
}

}  // namespace sw::redis
