// test_secret.cpp — redaction of secrets.
#include <switch/secret.hpp>

#include <catch2/catch.hpp>

TEST_CASE("a long secret shows only a short prefix and the last four characters") {
    sw::Secret secret("sk-canary-0123456789abcdef");
    CHECK(secret.redacted() == "sk-…cdef");
    CHECK(secret.reveal() == "sk-canary-0123456789abcdef");
}

TEST_CASE("a short secret is fully hidden") {
    CHECK(sw::Secret("short-key").redacted() == "…");
    CHECK(sw::Secret().redacted().empty());
}

TEST_CASE("a moved-from secret is empty") {
    sw::Secret a("sk-canary-0123456789abcdef");
    sw::Secret b(std::move(a));
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move): the wipe is what is tested
    CHECK(b.size() == 26);
}
