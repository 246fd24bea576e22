// shared_budget.cpp — the arguments of the budget scripts and the reading of their answers.
#include "redis/shared_budget.hpp"

#include "redis/budget_scripts.hpp"
#include "redis/script_call.hpp"

namespace sw::redis {

namespace {

bool all_integers(const Reply& reply, std::size_t count) {
    if (reply.type != Reply::Type::array || reply.elements.size() != count) return false;
    for (const Reply& e : reply.elements)
        if (e.type != Reply::Type::integer) return false;
    return true;
}

}  // namespace

void SharedBudget::take(const std::vector<BudgetUnits>& budgets, std::int64_t cost,
                        std::function<void(BudgetDecision)> done) {
    std::vector<std::string> keys, args;
    for (const BudgetUnits& b : budgets) {
        keys.push_back(b.key);
        args.push_back(b.window);
        args.push_back(std::to_string(b.limit));
        args.push_back(std::to_string(cost));
    }
    const std::size_t n = budgets.size();
    run_script(client_, budget_take_script(), keys, args, [n, done = std::move(done)](Result r) {
        BudgetDecision d;
        const Reply& reply = r.reply;
        // Anything but the script's own answer (an error reply, a read-only replica) is no answer.
        if (!r.ok() || reply.type != Reply::Type::array || reply.elements.empty() ||
            reply.elements[0].type != Reply::Type::integer) {
            done(d);
            return;
        }
        if (reply.elements[0].integer == 1 && all_integers(reply, n + 1)) {
            d.verdict = BudgetDecision::Verdict::admitted;
            for (std::size_t i = 1; i <= n; ++i) d.window_starts.push_back(reply.elements[i].integer);
        } else if (reply.elements[0].integer == 0 && all_integers(reply, 4) && reply.elements[1].integer >= 1 &&
                   static_cast<std::size_t>(reply.elements[1].integer) <= n) {
            d.verdict = BudgetDecision::Verdict::refused;
            d.refused_by = static_cast<std::size_t>(reply.elements[1].integer - 1);
            d.spent = reply.elements[2].integer;
            d.resets_in_s = reply.elements[3].integer;
        }
        done(d);
    });
}

void SharedBudget::adjust(const std::vector<BudgetUnits>& budgets, std::int64_t delta,
                          std::function<void(CallStatus)> done) {
    if (budgets.empty() || delta == 0) {
        done(CallStatus::ok);
        return;
    }
    std::vector<std::string> keys, args;
    for (const BudgetUnits& b : budgets) {
        keys.push_back(b.key);
        args.push_back(std::to_string(b.window_start));
        args.push_back(std::to_string(delta));
    }
    run_script(client_, budget_adjust_script(), keys, args, [done = std::move(done)](Result r) {
        const bool applied = r.ok() && r.reply.type == Reply::Type::integer && r.reply.integer == 1;
        done(applied ? CallStatus::ok : (r.ok() ? CallStatus::unavailable : r.status));
    });
}

}  // namespace sw::redis
