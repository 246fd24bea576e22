// budget_admission.hpp — an attempt's reservation against the budgets it counts against
// (docs/budgets.md). Its worst-case cost (its provider's price for the prompt estimate and
// max_tokens) is taken from this process's count, all or nothing, and then, when the router
// shares state, from the count in Redis. When the attempt ends the hold is settled to its real
// cost. When Redis does not answer in time the local take stands.
#pragma once

#include "redis/shared_budget.hpp"
#include "routing/budget_book.hpp"
#include "state/shared_state.hpp"

#include <switch/outcome.hpp>
#include <switch/sys/router_core.hpp>

#include <functional>
#include <string>
#include <vector>

namespace sw::api {

// What an attempt holds of its budgets until it is settled.
struct BudgetHold {
    std::vector<routing::BudgetCharge> charges;  // taken locally, with their windows
    routing::MicroUsd reserved = 0;
    std::vector<redis::BudgetUnits> shared;  // taken in Redis too, with its windows; else empty
    bool sent = false;  // the attempt went to the provider, which may bill for it
};

struct BudgetReservation {
    enum class Verdict : std::uint8_t {
        none,     // no budget counts this attempt
        held,     // every budget had room; `hold` is to be settled when the attempt ends
        refused,  // a budget has no room, or the provider has no price: `reason` says which
    };
    Verdict verdict = Verdict::none;
    BudgetHold hold;
    std::string reason;
};

// Everything a reservation reads, from the request's driver.
struct BudgetRequest {
    const std::vector<BudgetConfig>* budgets = nullptr;
    routing::BudgetBook* book = nullptr;
    state::SharedState* shared = nullptr;  // null: this process's count alone
    const ProviderConfig* provider = nullptr;
    routing::BudgetSubject subject;
    TokenUsage estimate;  // the prompt estimate and max_tokens (or 1,000)
    std::int64_t now_s = 0;  // UTC seconds since 1970
};

// Reserves the attempt's worst case. `done` runs once: at once when Redis is not asked, else
// within the Redis call timeout on any thread. The local take happens before this returns.
void reserve_budget(const BudgetRequest& request, std::function<void(BudgetReservation)> done);

// Settles a hold to the attempt's real cost (0 gives it all back), locally and in Redis (fire
// and forget: a lost correction leaves the reservation counted, so the budget errs on spending
// less).
void settle_budget(routing::BudgetBook& book, state::SharedState* shared, const BudgetHold& hold,
                   routing::MicroUsd real);

}  // namespace sw::api
