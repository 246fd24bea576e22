// test_config_load_order.cpp — definitions.json, then MODEL_DEFINITIONS, then provider keys.
#include "config_test_support.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

namespace fs = std::filesystem;

using swtest::TempDir;

namespace {

constexpr const char* kFileConfig = R"({"pools": [{"id": "from-file", "providers": [{"name": "a", "provider": "ollama",
                                         "modelName": "m"}]}], "models": {"m": {"primaryPoolId": "from-file"}}})";
constexpr const char* kEnvConfig = "pools:\n  - id: from-env\n    providers: [{name: a, provider: ollama, modelName: m}]\n"
                                   "models: {m: {primaryPoolId: from-env}}\n";

sw::LoadResult load_default(const TempDir& dir, std::map<std::string, std::string> env) {
    auto options = sw::test::options_with_env(std::move(env));
    options.working_dir = dir.path;
    return sw::load_config_default(options);
}

}  // namespace

TEST_CASE("./definitions.json comes first") {
    TempDir dir;
    dir.write("definitions.json", kFileConfig);
    auto r = load_default(dir, {{"MODEL_DEFINITIONS", kEnvConfig}, {"OPENAI_API_KEY", "x"}});
    REQUIRE(r.ok());
    CHECK(r.config->pools.at(0).id == "from-file");
    CHECK(r.origin == (dir.path / "definitions.json").string());
}

TEST_CASE("./definitions.yaml is read when there is no definitions.json") {
    TempDir dir;
    dir.write("definitions.yaml", kEnvConfig);
    auto r = load_default(dir, {});
    REQUIRE(r.ok());
    CHECK(r.config->pools.at(0).id == "from-env");
}

TEST_CASE("MODEL_DEFINITIONS comes next, in JSON or YAML") {
    TempDir dir;
    auto r = load_default(dir, {{"MODEL_DEFINITIONS", kEnvConfig}, {"OPENAI_API_KEY", "x"}});
    REQUIRE(r.ok());
    CHECK(r.origin == "MODEL_DEFINITIONS");
    CHECK(r.config->pools.at(0).id == "from-env");
}

TEST_CASE("an invalid source is reported, never skipped for the next one") {
    TempDir dir;
    dir.write("definitions.json", "{ not json");
    auto r = load_default(dir, {{"MODEL_DEFINITIONS", kEnvConfig}});
    CHECK_FALSE(r.ok());
    CHECK(r.origin == (dir.path / "definitions.json").string());

    TempDir empty;
    auto bad_env = load_default(empty, {{"MODEL_DEFINITIONS", "{\"pools\": 3}"}, {"OPENAI_API_KEY", "x"}});
    CHECK_FALSE(bad_env.ok());
    CHECK(bad_env.origin == "MODEL_DEFINITIONS");
}

TEST_CASE("provider keys in the environment generate a chained config") {
    TempDir dir;
    auto r = load_default(dir, {{"ANTHROPIC_API_KEY", "a"}, {"OPENAI_API_KEY", "o"}, {"MODEL_DEFINITIONS", ""}});
    REQUIRE(r.ok());
    CHECK(r.origin == "environment (provider keys)");
    const auto& c = *r.config;
    REQUIRE(c.pools.size() == 2);
    CHECK(c.pools[0].id == "openai");
    CHECK(c.pools[0].fallback_pool_ids == std::vector<std::string>{"anthropic"});
    CHECK(c.find_model("default")->primary_pool_id == "openai");
    CHECK(c.find_model("anthropic")->primary_pool_id == "anthropic");
    CHECK(std::get<sw::SimpleCredentials>(c.find_credential_store("openai")->details).api_key.env_var == "OPENAI_API_KEY");
}

TEST_CASE("with no source at all, the error says where it looked") {
    TempDir dir;
    auto r = load_default(dir, {});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.diagnostics.at(0).message, Catch::Contains("MODEL_DEFINITIONS") && Catch::Contains("OPENAI_API_KEY"));
}

TEST_CASE("a missing file is an error that names it") {
    auto r = sw::load_config_file("/nonexistent/definitions.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.origin == "/nonexistent/definitions.json");
    CHECK_THAT(r.diagnostics.at(0).message, Catch::Contains("does not exist"));
}
