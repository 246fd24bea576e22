// test_config_robustness.cpp — hostile input never crashes or hangs the loader; it is reported.
#include "config_test_support.hpp"

#include <catch2/catch.hpp>

#include <random>

using sw::test::load;

namespace {
void require_single_document_error(const sw::LoadResult& r, const char* fragment) {
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].path.empty());
    CHECK_THAT(r.diagnostics[0].message, Catch::Contains(fragment));
}
}  // namespace

TEST_CASE("truncated JSON is reported, at every cut point") {
    const std::string full = R"({"pools": [{"id": "p", "providers": [{"name": "a", "provider": "ollama", "modelName": "m"}]}]})";
    for (std::size_t cut = 1; cut < full.size(); ++cut) {
        auto r = load(full.substr(0, cut));
        INFO("cut at " << cut);
        CHECK_FALSE(r.ok());
        CHECK_FALSE(r.diagnostics.empty());
    }
}

TEST_CASE("deep nesting is rejected, not recursed into") {
    const std::size_t depth = 100000;
    SECTION("JSON arrays") { require_single_document_error(load(std::string(depth, '[') + std::string(depth, ']')), "nested deeper"); }
    SECTION("JSON objects") {
        std::string text;
        for (std::size_t i = 0; i < depth; ++i) text += "{\"a\":";
        text += "1" + std::string(depth, '}');
        require_single_document_error(load(text), "nested deeper");
    }
    SECTION("YAML flow") { require_single_document_error(load("x: " + std::string(depth, '[')), "nested deeper"); }
    SECTION("YAML blocks") {
        std::string text;
        for (int i = 0; i < 200; ++i) text += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
        auto r = load(text);
        CHECK_FALSE(r.ok());
    }
}

TEST_CASE("YAML aliases cannot expand into a billion values") {
    std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; ++c, ++prev)
        text += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
                ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
    require_single_document_error(load(text), "check its aliases");
}

TEST_CASE("huge numbers are range errors, not crashes") {
    auto r = load(R"({"pools": [{"id": "p", "providers": [{"name": "a", "provider": "ollama", "modelName": "m",
                      "timeout": 1e308, "priority": 18446744073709551615, "weight": -1e300}]}]})");
    CHECK_FALSE(r.ok());
    CHECK(sw::test::diagnostic_at(r, "pools[0].providers[0].timeout"));
    CHECK(sw::test::diagnostic_at(r, "pools[0].providers[0].priority"));
    CHECK(sw::test::diagnostic_at(r, "pools[0].providers[0].weight"));
    auto overflow = load(R"({"pools": [1e999]})");
    CHECK_FALSE(overflow.ok());
    auto yaml = load("pools:\n  - id: p\n    providers:\n      - {name: a, provider: ollama, modelName: m, timeout: 99999999999999999999999}\n");
    CHECK(sw::test::diagnostic_at(yaml, "pools[0].providers[0].timeout"));
}

TEST_CASE("wrong types everywhere are each reported") {
    auto r = load(R"({"credentialStores": 5, "pools": [{"id": 1, "name": [], "providers": [{"name": {}, "provider": true,
       "modelName": null, "priority": "x", "weight": [], "headers": [], "rateLimits": 3, "providerParams": "p",
       "timeout": false}], "fallbackPoolIds": "b", "circuitBreaker": [], "healthThresholds": "h",
       "weightedRouting": 1, "costOptimization": null}], "models": []})");
    CHECK_FALSE(r.ok());
    for (const char* path : {"credentialStores", "pools[0].id", "pools[0].name", "pools[0].providers[0].name",
                             "pools[0].providers[0].provider", "pools[0].providers[0].modelName",
                             "pools[0].providers[0].priority", "pools[0].providers[0].weight",
                             "pools[0].providers[0].headers", "pools[0].providers[0].rateLimits",
                             "pools[0].providers[0].providerParams", "pools[0].providers[0].timeout",
                             "pools[0].fallbackPoolIds", "pools[0].circuitBreaker", "pools[0].healthThresholds",
                             "pools[0].weightedRouting", "pools[0].costOptimization", "models"}) {
        INFO(path);
        CHECK(sw::test::diagnostic_at(r, path) != nullptr);
    }
}

TEST_CASE("binary garbage is reported as unreadable") {
    std::mt19937 rng(1234);
    for (int round = 0; round < 200; ++round) {
        std::string garbage(static_cast<std::size_t>(rng() % 4096 + 1), '\0');
        for (char& c : garbage) c = static_cast<char>(rng() & 0xff);
        auto r = load(garbage);
        // Random bytes are occasionally a valid YAML scalar; a scalar is not a config either.
        CHECK_FALSE(r.ok());
        CHECK_FALSE(r.diagnostics.empty());
    }
}

TEST_CASE("an oversized config is refused before parsing") {
    std::string big(50u * 1024u * 1024u, ' ');
    big.front() = '{';
    big.back() = '}';
    require_single_document_error(load(big), "limit is 32.0 MiB");
}

TEST_CASE("an empty config is reported") {
    require_single_document_error(load("  \n\t "), "empty");
}
