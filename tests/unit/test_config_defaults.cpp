// test_config_defaults.cpp — defaults, bounds and environment-supplied defaults.
#include "config_test_support.hpp"

#include <catch2/catch.hpp>

using sw::test::load;

namespace {
constexpr const char* kMinimal = R"({
  "pools": [{"id": "p", "providers": [{"name": "a", "provider": "custom", "apiBase": "http://127.0.0.1:9/v1",
                                        "modelName": "m"}]}],
  "models": {"m": {"primaryPoolId": "p"}}
})";
}

TEST_CASE("a minimal config gets every documented default") {
    auto r = load(kMinimal);
    REQUIRE(r.ok());
    const sw::PoolConfig& pool = r.config->pools.at(0);
    const sw::ProviderConfig& p = pool.providers.at(0);
    CHECK(p.priority == 1);
    CHECK(p.weight == 1);
    CHECK(p.timeout == sw::Millis(30000));
    CHECK(p.max_retries == 3);
    CHECK(p.retry_delay == sw::Millis(1000));
    CHECK(pool.strategy == sw::Strategy::fastest_response);
    const auto& cb = pool.circuit_breaker;
    CHECK(cb.enabled);
    CHECK(cb.failure_threshold == 5);
    CHECK(cb.reset_timeout == sw::Millis(60000));
    CHECK(cb.monitoring_window == sw::Millis(300000));
    CHECK(cb.min_requests_threshold == 10);
    CHECK(cb.error_threshold_percentage == 50);
    CHECK(cb.half_open_max_probes == 1);
    CHECK_FALSE(cb.permanent.enabled);
    CHECK(cb.permanent.timeout_multiplier == 5);
    CHECK(cb.permanent.base_timeout == sw::Millis(300000));
    CHECK(cb.permanent.max_backoff_multiplier == 4);
    CHECK(pool.health.error_rate == 20);
    CHECK(pool.health.response_time == sw::Millis(30000));
    CHECK(pool.health.consecutive_failures == 3);
    CHECK(pool.health.min_healthy_providers == 1);
    CHECK(r.config->deadlines.request == sw::Millis(60000));
    CHECK(r.config->deadlines.streaming == sw::Millis(300000));  // capped by MAX_TIMEOUT_MS's default
    CHECK(r.config->deadlines.max == sw::Millis(300000));
}

TEST_CASE("the guide's environment variables become defaults") {
    auto r = load(kMinimal, {{"DEFAULT_TIMEOUT_MS", "45000"},
                             {"STREAMING_TIMEOUT_MS", "900000"},
                             {"MAX_TIMEOUT_MS", "600000"},
                             {"PERMANENT_FAILURE_ENABLED", "true"},
                             {"PERMANENT_FAILURE_TIMEOUT_MULTIPLIER", "3"},
                             {"PERMANENT_FAILURE_BASE_TIMEOUT_MS", "120000"},
                             {"PERMANENT_FAILURE_ERROR_PATTERNS", "404.*not found,401.*unauthorized"}});
    REQUIRE(r.ok());
    CHECK(r.config->deadlines.request == sw::Millis(45000));
    CHECK(r.config->deadlines.streaming == sw::Millis(600000));
    const auto& pf = r.config->pools.at(0).circuit_breaker.permanent;
    CHECK(pf.enabled);
    CHECK(pf.timeout_multiplier == 3);
    CHECK(pf.base_timeout == sw::Millis(120000));
    CHECK(pf.error_patterns == std::vector<std::string>{"404.*not found", "401.*unauthorized"});
}

TEST_CASE("a pool's own permanentFailureHandling overrides the environment field by field") {
    auto r = load(R"({"pools": [{"id": "p", "providers": [{"name": "a", "provider": "ollama", "modelName": "m"}],
                     "circuitBreaker": {"permanentFailureHandling": {"timeoutMultiplier": 2}}}],
                     "models": {"m": {"primaryPoolId": "p"}}})",
                  {{"PERMANENT_FAILURE_ENABLED", "true"}, {"PERMANENT_FAILURE_BASE_TIMEOUT_MS", "90000"}});
    REQUIRE(r.ok());
    const auto& pf = r.config->pools.at(0).circuit_breaker.permanent;
    CHECK(pf.enabled);
    CHECK(pf.timeout_multiplier == 2);
    CHECK(pf.base_timeout == sw::Millis(90000));
}

TEST_CASE("a bad environment default is an error that names the variable") {
    auto r = load(kMinimal, {{"PERMANENT_FAILURE_TIMEOUT_MULTIPLIER", "lots"}, {"PERMANENT_FAILURE_ERROR_PATTERNS", "ok,(bad"}});
    REQUIRE_FALSE(r.ok());
    REQUIRE(sw::test::diagnostic_at(r, "env:PERMANENT_FAILURE_TIMEOUT_MULTIPLIER"));
    REQUIRE(sw::test::diagnostic_at(r, "env:PERMANENT_FAILURE_ERROR_PATTERNS[1]"));
}

TEST_CASE("providers without apiBase get their kind's endpoint") {
    auto r = load(R"({"credentialStores": {"k": {"type": "simple", "config": {"apiKeyVar": "K"}}},
                     "pools": [{"id": "p", "providers": [
                        {"name": "o", "provider": "openai", "credentialsRef": "k", "modelName": "gpt-4o"},
                        {"name": "a", "provider": "anthropic", "credentialsRef": "k", "modelName": "claude"}]}],
                     "models": {"m": {"primaryPoolId": "p"}}})");
    REQUIRE(r.ok());
    CHECK(r.config->pools[0].providers[0].api_base == "https://api.openai.com/v1");
    CHECK(r.config->pools[0].providers[1].api_base == "https://api.anthropic.com");
}

TEST_CASE("defaultParameters use the wire names and keep their JSON") {
    auto r = load(R"({"pools": [{"id": "p", "providers": [{"name": "a", "provider": "ollama", "modelName": "m"}]}],
                     "models": {"m": {"primaryPoolId": "p",
                                      "defaultParameters": {"temperature": 0.7, "maxTokens": 4096, "stop": ["x"]}}}})");
    REQUIRE(r.ok());
    const auto& params = r.config->models.at(0).default_parameters;
    REQUIRE(params.size() == 3);
    CHECK(params[0].key == "temperature");
    CHECK(params[0].json == "0.7");
    CHECK(params[1].key == "max_tokens");
    CHECK(params[1].json == "4096");
    CHECK(params[2].json == R"(["x"])");
}

TEST_CASE("strings expand ${VAR} and ${VAR:-default}, numbers too") {
    auto r = load(R"({"pools": [{"id": "${POOL_ID}", "providers": [{"name": "a", "provider": "custom",
                       "apiBase": "${BASE:-http://127.0.0.1:8080}/v1", "modelName": "m", "timeout": "${T:-1500}",
                       "providerParams": {"user": "${USER_TAG:-anon}"}}]}],
                     "models": {"m": {"primaryPoolId": "main"}}})",
                  {{"POOL_ID", "main"}});
    REQUIRE(r.ok());
    const auto& p = r.config->pools.at(0).providers.at(0);
    CHECK(r.config->pools[0].id == "main");
    CHECK(p.api_base == "http://127.0.0.1:8080/v1");
    CHECK(p.timeout == sw::Millis(1500));
    CHECK(p.provider_params.at(0).json == R"("anon")");
}

TEST_CASE("YAML and JSON read into the same config") {
    auto yaml = load(R"(
pools:
  - id: p
    routingStrategy: round_robin
    providers:
      - {name: a, provider: custom, apiBase: "http://127.0.0.1:1/v1", modelName: m, weight: 2.5, priority: 2}
models:
  m: {primaryPoolId: p}
)");
    REQUIRE(yaml.ok());
    const auto& p = yaml.config->pools.at(0);
    CHECK(p.strategy == sw::Strategy::round_robin);
    CHECK(p.providers.at(0).weight == 2.5);
    CHECK(p.providers.at(0).priority == 2);
}

TEST_CASE("credential stores read in object and array form alike") {
    const char* object_form = R"({"credentialStores": {"k": {"type": "simple", "source": "env",
                                   "config": {"apiKeyVar": "OPENAI_API_KEY"}, "cacheTtl": 60}}})";
    const char* array_form = R"({"credentialStores": [{"name": "k", "type": "simple", "source": "env",
                                  "config": {"apiKeyVar": "OPENAI_API_KEY"}, "cacheTtl": 60}]})";
    for (const char* text : {object_form, array_form}) {
        auto r = load(text);
        REQUIRE(r.ok());
        const auto* store = r.config->find_credential_store("k");
        REQUIRE(store);
        CHECK(store->cache_ttl == std::chrono::seconds(60));
        CHECK(std::get<sw::SimpleCredentials>(store->details).api_key.env_var == "OPENAI_API_KEY");
    }
}

TEST_CASE("the pricing catalog prices providers that have no costPerToken") {
    auto r = load(R"(
models:
  openai:
    gpt-4o: {pricing: {input: 0.005, output: 0.015}}
  m: {primaryPoolId: p}
pools:
  - id: p
    providers:
      - {name: a, provider: openai, modelName: gpt-4o, credentialsRef: k}
      - {name: b, provider: openai, modelName: gpt-4o, credentialsRef: k, costPerToken: 0.000001}
credentialStores:
  k: {type: simple, config: {apiKeyVar: K}}
)");
    REQUIRE(r.ok());
    const auto& providers = r.config->pools.at(0).providers;
    REQUIRE(providers[0].pricing);
    CHECK(providers[0].pricing->input_per_1k == 0.005);
    CHECK(providers[0].pricing->output_per_1k == 0.015);
    CHECK_FALSE(providers[1].pricing);
    CHECK(providers[1].cost_per_token == 0.000001);
}
