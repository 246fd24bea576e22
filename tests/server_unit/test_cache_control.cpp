// test_cache_control.cpp — switch-server's Cache-Control request header as the response cache's
// per-request controls (docs/cache.md, "In switch-server").
#include "cache_control.hpp"

#include <catch2/catch.hpp>

using server::read_cache_control;
using namespace std::chrono_literals;

TEST_CASE("cache-control: no-cache, no-store and max-age, in any case and order, others ignored") {
    sw::CacheOptions o;
    CHECK(read_cache_control("No-Cache, max-age=120 ,no-transform", o).empty());
    CHECK(o.no_cache);
    CHECK_FALSE(o.no_store);
    CHECK(o.ttl == std::optional<std::chrono::seconds>(120s));

    sw::CacheOptions s;
    CHECK(read_cache_control("no-store", s).empty());
    CHECK(s.no_store);
    CHECK_FALSE(s.no_cache);
    CHECK_FALSE(s.ttl);

    sw::CacheOptions zero;
    CHECK(read_cache_control("max-age=\"0\"", zero).empty());
    CHECK(zero.ttl == std::optional<std::chrono::seconds>(0s));

    sw::CacheOptions none;
    CHECK(read_cache_control("private, must-revalidate", none).empty());
    CHECK_FALSE(none.no_cache);
    CHECK_FALSE(none.no_store);
    CHECK_FALSE(none.ttl);
}

TEST_CASE("cache-control: a max-age that is not whole seconds up to 30 days is refused") {
    for (const char* bad : {"max-age", "max-age=", "max-age=-1", "max-age=1.5", "max-age=abc", "max-age=2592001"}) {
        sw::CacheOptions o;
        INFO(bad);
        CHECK_THAT(read_cache_control(bad, o), Catch::Contains("max-age"));
    }
    sw::CacheOptions o;
    CHECK(read_cache_control("max-age=2592000", o).empty());
}
