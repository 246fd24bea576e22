// budget_book.hpp — the budgets' arithmetic and this process's count of them (docs/budgets.md):
// which budgets an attempt counts against, the calendar window each one is in, and what has been
// spent in it. A cost is reserved, all or nothing, before an attempt is sent and reconciled when
// it ends. The shared count in Redis (redis/budget_scripts.hpp) mirrors this one.
#pragma once

#include <switch/config.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sw::routing {

// Money is counted in whole millionths of a dollar, so that sums are exact and the same in every
// process and in Redis. A cost is rounded up: a budget never counts less than was spent.
using MicroUsd = std::int64_t;
MicroUsd micro_usd_ceil(double usd) noexcept;
double usd_of(MicroUsd micro) noexcept;

// A window, in UTC seconds since 1970: [start, end).
struct WindowBounds {
    std::int64_t start = 0;
    std::int64_t end = 0;
};
// The calendar window of `window` kind that holds `now_s` (UTC seconds since 1970).
WindowBounds window_bounds(BudgetWindow window, std::int64_t now_s) noexcept;

// Who an attempt is for, as budgets see it: its client id (ChatOptions::client_id), its
// requested model, and the pool it is sent to.
struct BudgetSubject {
    std::string_view client;
    std::string_view model;
    std::string_view pool;
};

// One budget an attempt counts against, and the window its take landed in.
struct BudgetCharge {
    const BudgetConfig* budget = nullptr;
    std::string value;  // of the budget's scope: the client id, model or pool; "" for "all"
    MicroUsd limit = 0;
    std::int64_t window_start = 0;  // set by a take
};

// The budgets of `budgets` that `subject` counts against, in config order.
std::vector<BudgetCharge> charges_for(const std::vector<BudgetConfig>& budgets, const BudgetSubject& subject);

// What a take decided. Refused: nothing was taken; `refused_by` is the index of a budget with no
// room, `spent` what that budget has spent in its window, and its window ends in `resets_in_s`.
struct BudgetVerdict {
    bool admitted = true;
    std::size_t refused_by = 0;
    MicroUsd spent = 0;
    std::int64_t resets_in_s = 0;
};

// The reason a refused attempt gives, for the caller and the trace (it names the budget and the
// client id, never a key).
std::string budget_refusal(const BudgetCharge& charge, const BudgetVerdict& verdict, MicroUsd needed);

// This process's spending per budget and scope value, in each one's current window. Thread-safe:
// every I/O thread takes from one book. It outlives configuration reloads; a budget keeps its
// count by name.
class BudgetBook {
public:
    // Takes `cost` from every charge's budget in the window that holds `now_s`, or from none,
    // and sets each charge's window_start.
    BudgetVerdict take(std::vector<BudgetCharge>& charges, MicroUsd cost, std::int64_t now_s);
    // Corrects an earlier take by `delta` (negative gives back), in the windows it was taken in.
    // A window that has ended since is left alone, and no count goes below 0.
    void adjust(const std::vector<BudgetCharge>& charges, MicroUsd delta);
    // What `budget` has spent for `value` in the window that holds `now_s`.
    MicroUsd spent(const BudgetConfig& budget, std::string_view value, std::int64_t now_s) const;

private:
    struct Count {
        WindowBounds window;
        MicroUsd spent = 0;
    };
    static std::string key_of(std::string_view name, std::string_view value);
    // Drops the counts whose window ended before `now_s`, when the book has grown: a budget per
    // client meets many clients that never come back.
    void prune_locked(std::int64_t now_s);

    mutable std::mutex mu_;
    std::unordered_map<std::string, Count> counts_;  // by key_of(budget name, scope value)
    std::size_t prune_at_ = 4096;
};

}  // namespace sw::routing
