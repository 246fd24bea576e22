// shared_budget.hpp — budgets counted by every process that uses one Redis (docs/budgets.md): an
// attempt's worst-case cost is taken from all its budgets at once by the server's script, or
// from none, and corrected to its real cost when it ends. When Redis does not answer in time,
// the verdict is `unavailable` and the caller's local count decides.
#pragma once

#include "redis/client.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sw::redis {

// One budget's share of a call: its key (budget_key), its window ("minute", "hour", "day" or
// "month") and its limit in micro-USD; a correction names the window start its take answered.
struct BudgetUnits {
    std::string key;
    std::string window;
    std::int64_t limit = 0;
    std::int64_t window_start = 0;
};

struct BudgetDecision {
    enum class Verdict : std::uint8_t { admitted, refused, unavailable };
    Verdict verdict = Verdict::unavailable;
    std::vector<std::int64_t> window_starts;  // admitted: each budget's, in order
    std::size_t refused_by = 0;               // refused: the index of a budget without room,
    std::int64_t spent = 0;                   // what it had spent in its window,
    std::int64_t resets_in_s = 0;             // and when that window ends
};

class SharedBudget {
public:
    explicit SharedBudget(Client& client) : client_(client) {}

    // Takes `cost` micro-USD from every budget, or from none. `done` runs once, on an I/O
    // thread or, when no connection is up, at once on the calling thread.
    void take(const std::vector<BudgetUnits>& budgets, std::int64_t cost, std::function<void(BudgetDecision)> done);
    // Corrects an earlier take by `delta` micro-USD, in the windows it answered. `done` hears
    // whether the server applied it; a lost correction leaves the reservation counted until
    // its window ends (so a budget errs on the side of spending less).
    void adjust(const std::vector<BudgetUnits>& budgets, std::int64_t delta, std::function<void(CallStatus)> done);

private:
    Client& client_;
};

}  // namespace sw::redis
