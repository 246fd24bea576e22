// budget_admission.cpp — an attempt's budgets: the local take, then the shared one.
#include "api/budget_admission.hpp"

#include "redis/budget_scripts.hpp"
#include "routing/cost.hpp"

#include <fmt/format.h>

namespace sw::api {

namespace {

std::vector<redis::BudgetUnits> units_of(const std::vector<routing::BudgetCharge>& charges) {
    std::vector<redis::BudgetUnits> out;
    for (const routing::BudgetCharge& c : charges)
        out.push_back({redis::budget_key(c.budget->name, c.value), std::string(to_string(c.budget->window)), c.limit, 0});
    return out;
}

}  // namespace

void reserve_budget(const BudgetRequest& request, std::function<void(BudgetReservation)> done) {
    BudgetReservation r;
    std::vector<routing::BudgetCharge> charges = routing::charges_for(*request.budgets, request.subject);
    if (charges.empty()) {
        done(std::move(r));
        return;
    }
    const std::optional<double> cost = routing::cost_of(*request.provider, request.estimate);
    if (!cost) {
        // Its spending could not be counted, so no budget could bound it.
        r.verdict = BudgetReservation::Verdict::refused;
        r.reason = fmt::format("budget \"{}\" counts this request, and the provider has no price "
                               "(set costPerToken or a catalog price)",
                               charges.front().budget->name);
        done(std::move(r));
        return;
    }
    const routing::MicroUsd reserved = routing::micro_usd_ceil(*cost);
    const routing::BudgetVerdict local = request.book->take(charges, reserved, request.now_s);
    if (!local.admitted) {
        r.verdict = BudgetReservation::Verdict::refused;
        r.reason = routing::budget_refusal(charges[local.refused_by], local, reserved);
        done(std::move(r));
        return;
    }
    r.verdict = BudgetReservation::Verdict::held;
    r.hold.charges = std::move(charges);
    r.hold.reserved = reserved;
    if (!request.shared) {
        done(std::move(r));
        return;
    }
    std::vector<redis::BudgetUnits> units = units_of(r.hold.charges);
    routing::BudgetBook* book = request.book;
    auto answer = [book, r = std::move(r), units, done](redis::BudgetDecision d) mutable {
        using V = redis::BudgetDecision::Verdict;
        if (d.verdict == V::admitted) {
            for (std::size_t i = 0; i < units.size() && i < d.window_starts.size(); ++i)
                units[i].window_start = d.window_starts[i];
            r.hold.shared = std::move(units);
        } else if (d.verdict == V::refused) {
            book->adjust(r.hold.charges, -r.hold.reserved);
            routing::BudgetVerdict shared{false, d.refused_by, d.spent, d.resets_in_s};
            r.reason = routing::budget_refusal(r.hold.charges[d.refused_by], shared, r.hold.reserved) +
                       " (counted with other processes through Redis)";
            r.verdict = BudgetReservation::Verdict::refused;
            r.hold = {};
        }
        done(std::move(r));  // unavailable: the local take stands
    };
    const bool asked_redis = request.shared->with_client([&](redis::Client& client) {
        redis::SharedBudget(client).take(units, reserved, answer);  // `answer` holds its own copy
    });
    if (!asked_redis) answer(redis::BudgetDecision{});
}

void settle_budget(routing::BudgetBook& book, state::SharedState* shared, const BudgetHold& hold,
                   routing::MicroUsd real) {
    const routing::MicroUsd delta = real - hold.reserved;
    if (delta == 0) return;
    book.adjust(hold.charges, delta);
    if (shared && !hold.shared.empty())
        shared->with_client([&](redis::Client& client) {
            redis::SharedBudget(client).adjust(hold.shared, delta, [](redis::CallStatus) {});
        });
}

}  // namespace sw::api
