// test_capi_config.cpp — the C entry points for versions, errors and validation.
#include <switch/switch.h>

#include <catch2/catch.hpp>

#include <cstring>
#include <string>

TEST_CASE("versions agree between header and library") {
    CHECK(std::string(sw_version()) == SW_VERSION_STRING);
    CHECK(sw_version_num() == SW_VERSION_NUM);
    CHECK(SW_AT_LEAST_VERSION(0, 1, 0));
    CHECK_FALSE(SW_AT_LEAST_VERSION(99, 0, 0));
}

TEST_CASE("sw_strerror covers every code and unknown ones") {
    for (int code : {SW_OK, SW_ERR_INVALID_ARGUMENT, SW_ERR_CONFIG, SW_ERR_NOT_FOUND, SW_ERR_NOT_SUPPORTED,
                     SW_ERR_OUT_OF_MEMORY, SW_ERR_IO, SW_ERR_INTERNAL})
        CHECK(std::string(sw_strerror(code)) != "unknown status");
    CHECK(std::string(sw_strerror(-9999)) == "unknown status");
}

TEST_CASE("sw_config_validate reports validity and diagnostics") {
    const char* bad = R"({"pools": [{"id": "p", "providers": [{"name": "a", "provider": "opneai", "modelName": "m"}]}]})";
    int valid = -1;
    char* report = nullptr;
    REQUIRE(sw_config_validate(&valid, &report, bad, std::strlen(bad), "bad.json", SW_DIAG_TEXT) == SW_OK);
    CHECK(valid == 0);
    REQUIRE(report != nullptr);
    CHECK_THAT(std::string(report), Catch::StartsWith("bad.json: pools[0].providers[0].provider: error:"));
    sw_free(report);

    const char* good = "models: {}\n";
    REQUIRE(sw_config_validate(&valid, &report, good, std::strlen(good), nullptr, SW_DIAG_JSON) == SW_OK);
    CHECK(valid == 1);
    CHECK_THAT(std::string(report), Catch::Contains(R"("valid":true)"));
    sw_free(report);
}

TEST_CASE("sw_config_validate checks its arguments") {
    char* report = nullptr;
    CHECK(sw_config_validate(nullptr, &report, "{}", 2, nullptr, SW_DIAG_TEXT) == SW_ERR_INVALID_ARGUMENT);
    CHECK_THAT(std::string(sw_last_error()), Catch::Contains("out_valid"));
    int valid = 0;
    CHECK(sw_config_validate(&valid, &report, nullptr, 5, nullptr, SW_DIAG_TEXT) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_config_validate(&valid, nullptr, "{}", 2, nullptr, 7) == SW_ERR_INVALID_ARGUMENT);
    CHECK(sw_config_validate(&valid, nullptr, "{}", 2, nullptr, SW_DIAG_TEXT) == SW_OK);
    CHECK(std::string(sw_last_error()).empty());
    sw_free(nullptr);
}
