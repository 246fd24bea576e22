// budget_book.cpp — windows on the UTC calendar, the charges of an attempt, and the local count.
#include "routing/budget_book.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace sw::routing {

MicroUsd micro_usd_ceil(double usd) noexcept {
    if (!(usd > 0)) return 0;
    return static_cast<MicroUsd>(std::ceil(usd * 1e6 - 1e-6));  // 0.1 USD is 100000, not 100001
}

double usd_of(MicroUsd micro) noexcept { return static_cast<double>(micro) / 1e6; }

WindowBounds window_bounds(BudgetWindow window, std::int64_t now_s) noexcept {
    using namespace std::chrono;
    auto fixed = [now_s](std::int64_t length) {
        const std::int64_t start = now_s - (now_s % length + length) % length;
        return WindowBounds{start, start + length};
    };
    switch (window) {
        case BudgetWindow::minute: return fixed(60);
        case BudgetWindow::hour: return fixed(3600);
        case BudgetWindow::day: return fixed(86400);
        case BudgetWindow::month: {
            const year_month_day today{floor<days>(sys_seconds{seconds{now_s}})};
            const year_month first = today.year() / today.month();
            const sys_days start{first / 1};
            const sys_days end{(first + months{1}) / 1};
            return {duration_cast<seconds>(start.time_since_epoch()).count(),
                    duration_cast<seconds>(end.time_since_epoch()).count()};
        }
    }
    return fixed(86400);
}

std::vector<BudgetCharge> charges_for(const std::vector<BudgetConfig>& budgets, const BudgetSubject& subject) {
    std::vector<BudgetCharge> out;
    for (const BudgetConfig& b : budgets) {
        std::string_view value;
        switch (b.per) {
            case BudgetScope::client: value = subject.client; break;
            case BudgetScope::model: value = subject.model; break;
            case BudgetScope::pool: value = subject.pool; break;
            case BudgetScope::all: break;
        }
        if (!b.match.empty() && value != b.match) continue;
        out.push_back({&b, std::string(value), micro_usd_ceil(b.limit_usd), 0});
    }
    return out;
}

std::string budget_refusal(const BudgetCharge& charge, const BudgetVerdict& verdict, MicroUsd needed) {
    const BudgetConfig& b = *charge.budget;
    const std::string whose =
        b.per == BudgetScope::all ? std::string() : fmt::format(" ({} \"{}\")", to_string(b.per), charge.value);
    return fmt::format("budget \"{}\"{} has spent {:.6g} of its {:.6g} USD this {}, and the attempt may cost up to "
                       "{:.6g} USD; it starts again in {} s",
                       b.name, whose, usd_of(verdict.spent), b.limit_usd, to_string(b.window), usd_of(needed),
                       verdict.resets_in_s);
}

std::string BudgetBook::key_of(std::string_view name, std::string_view value) {
    std::string key(name);
    key += '\x1f';  // a separator no budget name holds in practice, and both parts are kept whole
    key += value;
    return key;
}

BudgetVerdict BudgetBook::take(std::vector<BudgetCharge>& charges, MicroUsd cost, std::int64_t now_s) {
    std::lock_guard lock(mu_);
    prune_locked(now_s);
    std::vector<Count*> counts;
    counts.reserve(charges.size());
    for (std::size_t i = 0; i < charges.size(); ++i) {
        BudgetCharge& c = charges[i];
        Count& count = counts_[key_of(c.budget->name, c.value)];
        const WindowBounds window = window_bounds(c.budget->window, now_s);
        if (count.window.start != window.start) count = Count{window, 0};
        c.window_start = window.start;
        if (count.spent + cost > c.limit) return {false, i, count.spent, window.end - now_s};
        counts.push_back(&count);
    }
    for (Count* count : counts) count->spent += cost;
    return {};
}

void BudgetBook::adjust(const std::vector<BudgetCharge>& charges, MicroUsd delta) {
    std::lock_guard lock(mu_);
    for (const BudgetCharge& c : charges) {
        auto it = counts_.find(key_of(c.budget->name, c.value));
        if (it == counts_.end() || it->second.window.start != c.window_start) continue;
        it->second.spent = std::max<MicroUsd>(0, it->second.spent + delta);
    }
}

MicroUsd BudgetBook::spent(const BudgetConfig& budget, std::string_view value, std::int64_t now_s) const {
    std::lock_guard lock(mu_);
    auto it = counts_.find(key_of(budget.name, value));
    if (it == counts_.end() || it->second.window.start != window_bounds(budget.window, now_s).start) return 0;
    return it->second.spent;
}

void BudgetBook::prune_locked(std::int64_t now_s) {
    if (counts_.size() < prune_at_) return;
    std::erase_if(counts_, [now_s](const auto& entry) { return entry.second.window.end <= now_s; });
    prune_at_ = std::max<std::size_t>(4096, 2 * counts_.size());
}

}  // namespace sw::routing
