// test_config_database.cpp — the `database` section and DATABASE_URL: the usage ledger's URL,
// the pool keys that have no effect, and the guide's "${DATABASE_URL}" when the variable is unset.
#include "config_test_support.hpp"

#include <catch2/catch.hpp>

using sw::test::diagnostic_at;
using sw::test::load;

namespace {
constexpr const char* kPools =
    R"("pools":[{"id":"p","providers":[{"name":"a","provider":"custom","modelName":"m","apiBase":"http://127.0.0.1:9/v1"}]}])";
std::string with_database(const std::string& database) {
    return std::string("{") + kPools + (database.empty() ? "" : ",\"database\":" + database) + "}";
}
}  // namespace

TEST_CASE("database: off unless a URL is given", "[config][ledger]") {
    auto r = load(with_database(""));
    REQUIRE(r.ok());
    CHECK(r.config->database.url.empty());
    for (const sw::Diagnostic& d : r.diagnostics) CHECK(d.path.rfind("database", 0) != 0);
}

TEST_CASE("database: DATABASE_URL is the default, and database.url overrides it", "[config][ledger]") {
    auto env = load(with_database(""), {{"DATABASE_URL", "sqlite:///var/ledger.db"}});
    REQUIRE(env.ok());
    CHECK(env.config->database.url.reveal() == "sqlite:///var/ledger.db");

    auto key = load(with_database(R"({"url":"postgresql://u@h/db"})"), {{"DATABASE_URL", "sqlite:///var/ledger.db"}});
    REQUIRE(key.ok());
    CHECK(key.config->database.url.reveal() == "postgresql://u@h/db");

    // An empty url turns the ledger off, whatever the environment says.
    auto off = load(with_database(R"({"url":""})"), {{"DATABASE_URL", "sqlite:///var/ledger.db"}});
    REQUIRE(off.ok());
    CHECK(off.config->database.url.empty());
}

TEST_CASE("database: the guide's \"${DATABASE_URL}\" unset is an error that says how to leave the ledger off",
          "[config][ledger]") {
    auto r = load(with_database(R"({"url":"${DATABASE_URL}"})"));
    CHECK_FALSE(r.ok());
    const sw::Diagnostic* d = diagnostic_at(r, "database.url");
    REQUIRE(d);
    CHECK(d->message == "environment variable DATABASE_URL is not set");
    CHECK(d->suggestion ==
          "set it to turn the usage ledger on, or write \"${DATABASE_URL:-}\" to leave the ledger off while it is unset");

    auto off = load(with_database(R"({"url":"${DATABASE_URL:-}"})"));
    REQUIRE(off.ok());
    CHECK(off.config->database.url.empty());
    auto on = load(with_database(R"({"url":"${DATABASE_URL:-}"})"), {{"DATABASE_URL", "sqlite://ledger.db"}});
    REQUIRE(on.ok());
    CHECK(on.config->database.url.reveal() == "sqlite://ledger.db");
}

TEST_CASE("database: a bad URL is an error at its path that never echoes it", "[config][ledger]") {
    auto r = load(with_database(R"({"url":"mysql://u:hunter2@h/db"})"));
    CHECK_FALSE(r.ok());
    const sw::Diagnostic* d = diagnostic_at(r, "database.url");
    REQUIRE(d);
    CHECK(d->message == "unsupported scheme \"mysql\"; expected sqlite or postgresql (or postgres)");
    CHECK(sw::format_diagnostics_text(r).find("hunter2") == std::string::npos);

    auto env = load(with_database(""), {{"DATABASE_URL", "postgresql+asyncpg://u:hunter2@h/db"}});
    CHECK_FALSE(env.ok());
    const sw::Diagnostic* e = diagnostic_at(env, "env:DATABASE_URL");
    REQUIRE(e);
    CHECK(e->message == "a driver suffix such as \"+asyncpg\" is not supported; write postgresql://...");
    CHECK(sw::format_diagnostics_text(env).find("hunter2") == std::string::npos);
}

TEST_CASE("database: the pool keys are checked, then said to have no effect", "[config][ledger]") {
    auto r = load(with_database(R"({"url":"sqlite:///l.db","pool_size":20,"max_overflow":30,"pool_timeout":30})"));
    REQUIRE(r.ok());
    for (const char* path : {"database.pool_size", "database.max_overflow", "database.pool_timeout"}) {
        const sw::Diagnostic* d = diagnostic_at(r, path);
        REQUIRE(d);
        CHECK(d->severity == sw::Severity::warning);
        CHECK(d->message ==
              "has no effect: the usage ledger writes through one connection, on a thread of its own (docs/ledger.md)");
        CHECK(d->suggestion == "remove it");
    }
    auto bad = load(with_database(R"({"pool_size":"many","pool_sise":3})"));
    CHECK_FALSE(bad.ok());
    REQUIRE(diagnostic_at(bad, "database.pool_size"));
    CHECK(diagnostic_at(bad, "database.pool_size")->severity == sw::Severity::error);
    const sw::Diagnostic* typo = diagnostic_at(bad, "database.pool_sise");
    REQUIRE(typo);
    CHECK(typo->suggestion == "did you mean \"pool_size\"?");
}
