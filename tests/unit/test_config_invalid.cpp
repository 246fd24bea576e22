// test_config_invalid.cpp — a table of invalid configs, each with the diagnostic it must give.
#include "config_test_support.hpp"

#include <catch2/catch.hpp>

namespace {

struct Row {
    const char* name;
    const char* config;
    const char* path;
    const char* message;          // a substring of the message
    const char* suggestion = "";  // a substring of the suggestion, if any
    sw::Severity severity = sw::Severity::error;
};

// Wraps one provider entry into a whole config, with a store "k" to refer to.
std::string with_provider(const std::string& provider) {
    return R"({"credentialStores": {"k": {"type": "simple", "source": "env", "config": {"apiKeyVar": "K"}}},
              "pools": [{"id": "p", "providers": [)" +
           provider + R"(]}], "models": {"m": {"primaryPoolId": "p"}}})";
}
const std::string kGood = R"({"name": "a", "provider": "openai", "credentialsRef": "k", "modelName": "gpt")";
std::string provider_with(const std::string& extra) { return with_provider(kGood + ", " + extra + "}"); }
std::string pool_with(const std::string& extra) {
    return R"({"credentialStores": {"k": {"type": "simple", "config": {"apiKeyVar": "K"}}},
              "pools": [{"id": "p", "providers": [)" + kGood + "}], " + extra + R"(}], "models": {"m": {"primaryPoolId": "p"}}})";
}

const std::string kUnknownFallback = pool_with(R"("fallbackPoolIds": ["backup"])");
const std::string kBadStrategy = pool_with(R"("routingStrategy": "fastest")");
const std::string kBadRegex = pool_with(R"("circuitBreaker": {"permanentFailureHandling": {"errorPatterns": ["ok", "(unclosed"]}})");
const std::string kBadBreaker = pool_with(R"("circuitBreaker": {"failureThreshold": 0})");
const std::string kBadMultiplier = pool_with(R"("circuitBreaker": {"permanentFailureHandling": {"timeoutMultiplier": 21}})");
const std::string kBadBase = pool_with(R"("circuitBreaker": {"permanentFailureHandling": {"baseTimeoutMs": 59999}})");
const std::string kBadBackoff = pool_with(R"("circuitBreaker": {"permanentFailureHandling": {"maxBackoffMultiplier": 11}})");
const std::string kBadWeights = pool_with(R"("weightedRouting": {"minWeight": 50, "maxWeight": 10})");
const std::string kPriority = provider_with(R"("priority": 0)");
const std::string kRetries = provider_with(R"("maxRetries": 11)");
const std::string kNegativeWeight = provider_with(R"("weight": -1)");
const std::string kFractionalRetries = provider_with(R"("maxRetries": 2.5)");
const std::string kQuoted = provider_with(R"("timeout": "30000")");
const std::string kFtp = provider_with(R"("apiBase": "ftp://example.com")");
const std::string kUserInfo = provider_with(R"("apiBase": "https://user:pw@example.com/v1")");
const std::string kCrlfUrl = provider_with(R"("apiBase": "https://example.com/v1\r\nX: y")");
const std::string kHeaderCrlf = provider_with(R"("headers": {"X-A": "ok\r\nInjected: 1"})");
const std::string kHeaderNul = provider_with(R"("headers": {"X-A": "a\u0000b"})");
const std::string kHeaderName = provider_with(R"("headers": {"Bad Name": "v"})");
const std::string kHeaderManaged = provider_with(R"("headers": {"Content-Length": "1"})");
const std::string kInsecure = provider_with(R"("insecureSkipTlsVerifyForLoopbackTests": true)");
const std::string kTypo = provider_with(R"("timout": 5)");
const std::string kSnake = provider_with(R"("max_retries": 5)");
const std::string kUnknownRef = with_provider(R"({"name": "a", "provider": "openai", "credentialsRef": "kk", "modelName": "g"})");
const std::string kWrongStoreType = with_provider(R"({"name": "a", "provider": "bedrock", "credentialsRef": "k", "modelName": "g", "apiBase": "https://bedrock-runtime.us-east-1.amazonaws.com"})");
const std::string kNoApiBase = with_provider(R"({"name": "a", "provider": "custom", "modelName": "g"})");
const std::string kDuplicateProvider = with_provider(kGood + "}, " + kGood + "}");
const std::string kMissingName = with_provider(R"({"provider": "openai", "credentialsRef": "k", "modelName": "g"})");

const Row kRows[] = {
    {"unknown fallback pool", kUnknownFallback.c_str(), "pools[0].fallbackPoolIds[0]", "unknown pool \"backup\""},
    {"unknown strategy", kBadStrategy.c_str(), "pools[0].routingStrategy", "unknown value \"fastest\"", "fastest_response"},
    {"bad regular expression", kBadRegex.c_str(), "pools[0].circuitBreaker.permanentFailureHandling.errorPatterns[1]",
     "invalid regular expression"},
    {"breaker threshold below 1", kBadBreaker.c_str(), "pools[0].circuitBreaker.failureThreshold", "between 1 and 1000"},
    {"timeoutMultiplier above 20", kBadMultiplier.c_str(),
     "pools[0].circuitBreaker.permanentFailureHandling.timeoutMultiplier", "between 1 and 20"},
    {"baseTimeoutMs below a minute", kBadBase.c_str(), "pools[0].circuitBreaker.permanentFailureHandling.baseTimeoutMs",
     "between 60000"},
    {"maxBackoffMultiplier above 10", kBadBackoff.c_str(),
     "pools[0].circuitBreaker.permanentFailureHandling.maxBackoffMultiplier", "between 1 and 10"},
    {"minWeight above maxWeight", kBadWeights.c_str(), "pools[0].weightedRouting.maxWeight", "at least minWeight"},
    {"priority 0", kPriority.c_str(), "pools[0].providers[0].priority", "between 1 and 10, got 0"},
    {"maxRetries 11", kRetries.c_str(), "pools[0].providers[0].maxRetries", "between 0 and 10"},
    {"negative weight", kNegativeWeight.c_str(), "pools[0].providers[0].weight", "between 0 and"},
    {"fractional retries", kFractionalRetries.c_str(), "pools[0].providers[0].maxRetries", "whole number"},
    {"quoted number", kQuoted.c_str(), "pools[0].providers[0].timeout", "expected a number, got a string",
     "remove the quotes"},
    {"ftp scheme", kFtp.c_str(), "pools[0].providers[0].apiBase", "scheme \"ftp\" is not allowed"},
    {"credentials in URL", kUserInfo.c_str(), "pools[0].providers[0].apiBase", "user name or password"},
    {"CR LF in URL", kCrlfUrl.c_str(), "pools[0].providers[0].apiBase", "CR, LF or NUL"},
    {"CR LF in header value", kHeaderCrlf.c_str(), "pools[0].providers[0].headers.X-A", "CR, LF or NUL"},
    {"NUL in header value", kHeaderNul.c_str(), "pools[0].providers[0].headers.X-A", "CR, LF or NUL"},
    {"bad header name", kHeaderName.c_str(), "pools[0].providers[0].headers[\"Bad Name\"]", "invalid header name"},
    {"managed header", kHeaderManaged.c_str(), "pools[0].providers[0].headers.Content-Length", "set by libswitch"},
    {"TLS opt-out off loopback", kInsecure.c_str(), "pools[0].providers[0].insecureSkipTlsVerifyForLoopbackTests",
     "only allowed for an apiBase on 127.0.0.1"},
    {"misspelt key", kTypo.c_str(), "pools[0].providers[0].timout", "unknown key", "did you mean \"timeout\"",
     sw::Severity::warning},
    {"snake_case key", kSnake.c_str(), "pools[0].providers[0].max_retries", "unknown key", "did you mean \"maxRetries\"",
     sw::Severity::warning},
    {"unknown credentialsRef", kUnknownRef.c_str(), "pools[0].providers[0].credentialsRef",
     "unknown credential store \"kk\"", "did you mean \"k\""},
    {"wrong store type", kWrongStoreType.c_str(), "pools[0].providers[0].credentialsRef", "needs a credential store of type aws"},
    {"apiBase required", kNoApiBase.c_str(), "pools[0].providers[0].apiBase", "required for provider \"custom\""},
    {"duplicate provider name", kDuplicateProvider.c_str(), "pools[0].providers[1].name", "duplicate provider name"},
    {"missing provider name", kMissingName.c_str(), "pools[0].providers[0].name", "required, but missing"},
    {"duplicate pool id",
     R"({"pools": [{"id": "p", "providers": [{"name": "a", "provider": "ollama", "modelName": "m"}]},
                   {"id": "p", "providers": [{"name": "a", "provider": "ollama", "modelName": "m"}]}]})",
     "pools[1].id", "duplicate pool id \"p\"; first defined at pools[0]"},
    {"duplicate JSON key", R"({"pools": [], "pools": []})", "pools", "duplicate key"},
    {"unknown primary pool",
     R"({"pools": [{"id": "main", "providers": [{"name": "a", "provider": "ollama", "modelName": "m"}]}],
        "models": {"m": {"primaryPoolId": "mian"}}})",
     "models.m.primaryPoolId", "unknown pool \"mian\"", "did you mean \"main\""},
    {"model without primaryPoolId", R"({"models": {"m": {"defaultParameters": {}}}})", "models.m.primaryPoolId",
     "required, but missing"},
    {"pool without providers", R"({"pools": [{"id": "p", "providers": []}]})", "pools[0].providers",
     "at least one provider"},
    {"pools not an array", R"({"pools": {"id": "p"}})", "pools", "expected an array of pools, got an object"},
    {"fallback cycle", R"({"pools": [
        {"id": "a", "providers": [{"name": "x", "provider": "ollama", "modelName": "m"}], "fallbackPoolIds": ["b"]},
        {"id": "b", "providers": [{"name": "x", "provider": "ollama", "modelName": "m"}], "fallbackPoolIds": ["a"]}],
        "models": {"m": {"primaryPoolId": "a"}}})",
     "pools[0].fallbackPoolIds", "fallback cycle a -> b -> a", "", sw::Severity::warning},
    {"unset variable", R"({"pools": [{"id": "${NOPE}", "providers": [{"name": "a", "provider": "ollama", "modelName": "m"}]}]})",
     "pools[0].id", "environment variable NOPE is not set", "${NAME:-default}"},
    {"unknown store type", R"({"credentialStores": {"k": {"type": "simpel", "config": {"apiKeyVar": "K"}}}})",
     "credentialStores.k.type", "unknown value \"simpel\"", "did you mean \"simple\""},
    {"env store with inline key", R"({"credentialStores": {"k": {"type": "simple", "source": "env", "config": {"apiKey": "x"}}}})",
     "credentialStores.k.config.apiKey", "must be given as apiKeyVar"},
    {"bad env var name", R"({"credentialStores": {"k": {"type": "simple", "config": {"apiKeyVar": "1BAD"}}}})",
     "credentialStores.k.config.apiKeyVar", "not a valid environment variable name"},
    {"aws keys missing", R"({"credentialStores": {"a": {"type": "aws", "source": "env", "config": {"regionVar": "R"}}}})",
     "credentialStores.a.config.accessKeyIdVar", "required, but missing"},
    {"oauth token URL", R"({"credentialStores": {"o": {"type": "oauth", "source": "env", "config": {"tokenUrl": "file:///etc/passwd",
        "clientIdVar": "I", "clientSecretVar": "S"}}}})",
     "credentialStores.o.config.tokenUrl", "scheme \"file\" is not allowed"},
    {"vault without path", R"({"credentialStores": {"v": {"type": "simple", "source": "vault", "config": {}}}})",
     "credentialStores.v.config.path", "required, but missing"},
    {"array store without name", R"({"credentialStores": [{"type": "simple", "config": {"apiKeyVar": "K"}}]})",
     "credentialStores[0].name", "required, but missing"},
    {"unknown top-level key", R"({"pool": []})", "pool", "unknown key", "did you mean \"pools\"", sw::Severity::warning},
    {"root not an object", R"([1, 2])", "", "expected an object, got an array"},
    {"bad muxer strategy", "routing:\n  default_strategy: cascde\n", "routing.default_strategy", "unknown strategy",
     "did you mean \"cascade\""},
    {"unsupported muxer provider", "providers:\n  cohere:\n    api_key: x\n    models: [command-r]\n", "providers.cohere",
     "not supported"},
    {"routing target unknown pool", "routing_preferences:\n  code:\n    - pool: nowhere\n",
     "routing_preferences.code[0].pool", "unknown pool \"nowhere\""},
    {"catalog entry without pricing", "models:\n  openai:\n    gpt-4o: {max_tokens: 10}\n", "models.openai.gpt-4o.pricing",
     "required, but missing"},
};

}  // namespace

TEST_CASE("every invalid config gives its precise diagnostic") {
    for (const Row& row : kRows) {
        DYNAMIC_SECTION(row.name) {
            auto result = sw::test::load(row.config);
            const sw::Diagnostic* d = sw::test::diagnostic_at(result, row.path);
            INFO("diagnostics:\n" << sw::format_diagnostics_text(result));
            REQUIRE(d != nullptr);
            CHECK(d->severity == row.severity);
            CHECK_THAT(d->message, Catch::Contains(row.message));
            CHECK_THAT(d->suggestion, Catch::Contains(row.suggestion));
            if (row.severity == sw::Severity::error) CHECK_FALSE(result.ok());
        }
    }
}

TEST_CASE("every problem is reported at once") {
    auto result = sw::test::load(R"({
      "credentialStores": {"k": {"type": "simpel"}},
      "pools": [{"id": "p", "routingStrategy": "nope", "providers": [
         {"name": "a", "provider": "opneai", "modelName": "m", "priority": 99, "apiBase": "ftp://x"}],
         "fallbackPoolIds": ["ghost"]}],
      "models": {"m": {"primaryPoolId": "q"}}})");
    CHECK_FALSE(result.ok());
    CHECK(result.error_count() == 7);
    for (const char* path : {"credentialStores.k.type", "pools[0].routingStrategy", "pools[0].providers[0].provider",
                             "pools[0].providers[0].priority", "pools[0].providers[0].apiBase",
                             "pools[0].fallbackPoolIds[0]", "models.m.primaryPoolId"})
        CHECK(sw::test::diagnostic_at(result, path) != nullptr);
}
