// test_budget_book.cpp — budgets over calendar windows (docs/budgets.md): the windows on the UTC
// calendar, which budgets an attempt counts against, this process's count (all or nothing,
// reconciled, a window's end), many threads against one budget, and the config's `budgets`.
#include "config_test_support.hpp"

#include "routing/budget_book.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

using sw::BudgetConfig;
using sw::BudgetScope;
using sw::BudgetWindow;
using sw::routing::BudgetBook;
using sw::routing::BudgetCharge;
using sw::routing::charges_for;
using sw::routing::micro_usd_ceil;
using sw::routing::window_bounds;

namespace {

// 2028-02-29T11:45:30Z: a leap day, and 1,835,437,530 s since 1970.
constexpr std::int64_t kLeapDay = 1835437530;

BudgetConfig budget(std::string name, BudgetScope per, BudgetWindow window, double usd, std::string match = {}) {
    BudgetConfig b;
    b.name = std::move(name);
    b.per = per;
    b.window = window;
    b.limit_usd = usd;
    b.match = std::move(match);
    return b;
}

}  // namespace

TEST_CASE("budget windows: minute, hour, day and month on the UTC calendar") {
    CHECK(window_bounds(BudgetWindow::minute, kLeapDay).start == kLeapDay - 30);
    CHECK(window_bounds(BudgetWindow::minute, kLeapDay).end == kLeapDay + 30);
    CHECK(window_bounds(BudgetWindow::hour, kLeapDay).start == kLeapDay - (45 * 60 + 30));
    const std::int64_t midnight = kLeapDay - (11 * 3600 + 45 * 60 + 30);
    CHECK(window_bounds(BudgetWindow::day, kLeapDay).start == midnight);
    CHECK(window_bounds(BudgetWindow::day, kLeapDay).end == midnight + 86400);
    // February 2028 has 29 days: from 2028-02-01 to 2028-03-01.
    const auto feb = window_bounds(BudgetWindow::month, kLeapDay);
    CHECK(feb.start == midnight - 28 * 86400);
    CHECK(feb.end == midnight + 86400);
    // December rolls into the next year: 2026-12-31T23:59:59Z is in [2026-12-01, 2027-01-01).
    const auto dec = window_bounds(BudgetWindow::month, 1798761599);
    CHECK(dec.start == 1796083200);
    CHECK(dec.end == 1798761600);
    // The window's last second is in it, and the next one starts the next window.
    CHECK(window_bounds(BudgetWindow::month, 1798761600).start == 1798761600);
}

TEST_CASE("budget money: costs are whole micro-USD rounded up, so a budget never counts less") {
    CHECK(micro_usd_ceil(0) == 0);
    CHECK(micro_usd_ceil(0.1) == 100000);  // not 100001 from 0.1's binary error
    CHECK(micro_usd_ceil(0.0000001) == 1);
    CHECK(micro_usd_ceil(1.5e-6) == 2);
    CHECK(micro_usd_ceil(-1) == 0);
}

TEST_CASE("budget charges: by client, model, pool or all, and only the matched value when match is set") {
    const std::vector<BudgetConfig> budgets = {
        budget("per-key", BudgetScope::client, BudgetWindow::day, 5),
        budget("gpt4o", BudgetScope::model, BudgetWindow::month, 100, "gpt-4o"),
        budget("pool", BudgetScope::pool, BudgetWindow::hour, 2),
        budget("everything", BudgetScope::all, BudgetWindow::month, 1000),
    };
    auto charges = charges_for(budgets, {"key-1", "gpt-4o", "openai"});
    REQUIRE(charges.size() == 4);
    CHECK(charges[0].value == "key-1");
    CHECK(charges[0].limit == 5'000'000);
    CHECK(charges[1].value == "gpt-4o");
    CHECK(charges[2].value == "openai");
    CHECK(charges[3].value.empty());
    charges = charges_for(budgets, {"", "claude", "anthropic"});
    REQUIRE(charges.size() == 3);  // the gpt-4o budget does not count claude
    CHECK(charges[0].value.empty());  // no client id: the client ""
    CHECK(charges[1].budget->name == "pool");
}

TEST_CASE("budget book: a take is all or nothing, and the refusal says who and until when") {
    const std::vector<BudgetConfig> budgets = {budget("small", BudgetScope::client, BudgetWindow::hour, 1),
                                               budget("big", BudgetScope::all, BudgetWindow::day, 10)};
    BudgetBook book;
    auto charges = charges_for(budgets, {"k", "m", "p"});
    REQUIRE(book.take(charges, 600'000, kLeapDay).admitted);
    auto again = charges_for(budgets, {"k", "m", "p"});
    const auto refused = book.take(again, 600'000, kLeapDay);
    REQUIRE_FALSE(refused.admitted);
    CHECK(refused.refused_by == 0);
    CHECK(refused.spent == 600'000);
    CHECK(refused.resets_in_s == 14 * 60 + 30);  // to 12:00
    // Nothing was taken from "big" by the refused take.
    CHECK(book.spent(budgets[1], "", kLeapDay) == 600'000);
    const std::string why = sw::routing::budget_refusal(again[0], refused, 600'000);
    CHECK(why == "budget \"small\" (client \"k\") has spent 0.6 of its 1 USD this hour, and the attempt may cost up "
                 "to 0.6 USD; it starts again in 870 s");
    // Another client has a budget of its own.
    auto other = charges_for(budgets, {"k2", "m", "p"});
    CHECK(book.take(other, 600'000, kLeapDay).admitted);
    CHECK(book.spent(budgets[1], "", kLeapDay) == 1'200'000);
}

TEST_CASE("budget book: a hold is reconciled to the real cost, never below 0, and a new window starts from 0") {
    const std::vector<BudgetConfig> budgets = {budget("b", BudgetScope::all, BudgetWindow::minute, 1)};
    BudgetBook book;
    auto charges = charges_for(budgets, {});
    REQUIRE(book.take(charges, 900'000, kLeapDay).admitted);
    book.adjust(charges, 100'000 - 900'000);  // it cost 0.1 USD
    CHECK(book.spent(budgets[0], "", kLeapDay) == 100'000);
    auto more = charges_for(budgets, {});
    CHECK(book.take(more, 900'000, kLeapDay).admitted);  // the refund made room
    book.adjust(charges, -5'000'000);
    CHECK(book.spent(budgets[0], "", kLeapDay) == 0);
    // The next minute starts from 0; a correction of a take in the last minute leaves it alone.
    const std::int64_t next = kLeapDay + 30;
    auto fresh = charges_for(budgets, {});
    REQUIRE(book.take(fresh, 1'000'000, next).admitted);
    book.adjust(more, -900'000);
    CHECK(book.spent(budgets[0], "", next) == 1'000'000);
}

TEST_CASE("budget book: 50 threads at once against 10 requests' worth take exactly 10") {
    const std::vector<BudgetConfig> budgets = {budget("ten", BudgetScope::model, BudgetWindow::day, 10 * 0.0125)};
    BudgetBook book;
    std::atomic<int> admitted{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i)
        threads.emplace_back([&] {
            auto charges = charges_for(budgets, {"", "m", ""});
            if (book.take(charges, micro_usd_ceil(0.0125), kLeapDay).admitted) ++admitted;
        });
    for (auto& t : threads) t.join();
    CHECK(admitted == 10);
    CHECK(book.spent(budgets[0], "m", kLeapDay) == 125'000);
}

TEST_CASE("budget config: the budgets list, and what is wrong with one, at its path") {
    const std::string pools = R"("pools": [{"id": "p", "providers": [{"name": "a", "provider": "custom",
        "apiBase": "http://127.0.0.1:9/v1", "modelName": "x", "costPerToken": 0.000001}]}],
        "models": {"m": {"primaryPoolId": "p"}})";
    auto good = sw::test::load("{" + pools + R"(, "budgets": [
        {"name": "per-key", "per": "client", "window": "day", "limit_usd": 5},
        {"name": "m-month", "per": "model", "match": "m", "window": "month", "limit_usd": 100}]})");
    INFO(sw::format_diagnostics_text(good));
    REQUIRE(good.ok());
    REQUIRE(good.config->budgets.size() == 2);
    CHECK(good.config->budgets[0].per == BudgetScope::client);
    CHECK(good.config->budgets[1].match == "m");
    CHECK(good.config->budgets[1].window == BudgetWindow::month);

    struct Row {
        const char* budgets;
        const char* path;
        const char* message;
        const char* suggestion;
    };
    const Row rows[] = {
        {R"({"budgets": {}})", "budgets", "expected an array of budgets", "name, per, window, limit_usd"},
        {R"({"budgets": [{"name": "b", "per": "clients", "window": "day", "limit_usd": 1}]})", "budgets[0].per",
         "unknown value \"clients\"", "did you mean \"client\""},
        {R"({"budgets": [{"name": "b", "per": "all", "window": "week", "limit_usd": 1}]})", "budgets[0].window",
         "unknown value \"week\"", ""},
        {R"({"budgets": [{"name": "b", "per": "all", "window": "day", "limit_usd": 0}]})", "budgets[0].limit_usd",
         "admits nothing", "positive number"},
        {R"({"budgets": [{"name": "b", "per": "all", "window": "day"}]})", "budgets[0].limit_usd", "required", ""},
        {R"({"budgets": [{"name": "b", "per": "pool", "match": "q", "window": "day", "limit_usd": 1}]})",
         "budgets[0].match", "no pool \"q\"", "did you mean \"p\""},
        {R"({"budgets": [{"name": "b", "per": "all", "match": "m", "window": "day", "limit_usd": 1}]})",
         "budgets[0].match", "nothing to match", "remove"},
        {R"({"budgets": [{"name": "b", "per": "all", "window": "day", "limit_usd": 1},
                         {"name": "b", "per": "all", "window": "hour", "limit_usd": 1}]})",
         "budgets[1].name", "duplicate budget \"b\"", "a name of its own"},
    };
    for (const Row& row : rows) {
        std::string text = row.budgets;
        text.insert(1, pools + ", ");
        auto result = sw::test::load(text);
        INFO(text << "\n" << sw::format_diagnostics_text(result));
        CHECK_FALSE(result.ok());
        const sw::Diagnostic* d = sw::test::diagnostic_at(result, row.path);
        REQUIRE(d != nullptr);
        CHECK(d->message.find(row.message) != std::string::npos);
        CHECK(d->suggestion.find(row.suggestion) != std::string::npos);
    }
}
