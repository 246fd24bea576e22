// test_credential_sources.cpp — the vault and aws-secrets sources and the aws instance profile,
// against real servers on loopback (credential_servers.hpp): an OpenBao dev server, moto, and a
// strict IMDSv2. Requests go through a Router to the mock provider, which records the headers it
// was sent, so each test sees the fetched credential in use. Secrets are canaries, looked for in
// every error, trace, log line, metric and event afterwards.
#include "credential_servers.hpp"
#include "mock_process.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

using sw::test::BaoServer;
using sw::test::MockProcess;
using sw::test::MotoServer;
using sw::test::StrictImds;

namespace {

MockProcess& mock() {
    static MockProcess instance;
    return instance;
}

// The servers' bin directory, or nullopt after saying why the test cannot run: skipped locally
// (ctest reports the mark as a skip), a failure under CI=true.
std::optional<std::string> servers() {
    auto bin = sw::test::credential_servers_bin();
    if (bin) return bin;
    const std::string why = fmt::format("{}: OpenBao (bao) and moto_server are not installed in {} "
                                        "(tools/credential_servers.sh installs them from PyPI)",
                                        sw::test::kCredentialServersSkip, SWITCH_CRED_SERVERS_BIN);
    if (sw::test::running_in_ci()) FAIL(why);
    WARN(why);
    return std::nullopt;
}

using Env = std::map<std::string, std::string>;

sw::EnvLookup lookup(Env env) {
    return [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

// One store "s" (a JSON object body) behind provider "p" of `kind` on the mock, serving `model`;
// with `fallback`, pool "backup" with a keyless provider "b" serves when "p" cannot.
// With `database`, the router writes its usage ledger there.
std::shared_ptr<const sw::Config> config(const std::string& store, const std::string& kind, const std::string& model,
                                         bool fallback = false, const std::string& database = "") {
    const std::string base = kind == "bedrock" ? mock().base() : mock().base() + "/v1";
    std::string pools = fmt::format(
        R"([{{"id":"primary","providers":[{{"name":"p","provider":"{}","credentialsRef":"s","apiBase":"{}",)"
        R"("modelName":"{}","timeout":3000,"maxRetries":0}}],"fallbackPoolIds":[{}]}})",
        kind, base, model, fallback ? R"("backup")" : "");
    if (fallback)
        pools += fmt::format(R"(,{{"id":"backup","providers":[{{"name":"b","provider":"custom","apiBase":"{}/v1",)"
                             R"("modelName":"{}-backup"}}]}})",
                             mock().base(), model);
    const std::string text = fmt::format(
        R"({{"credentialStores":{{"s":{}}},"pools":{}],"models":{{"chat":{{"primaryPoolId":"primary"}}}}{}}})", store,
        pools, database.empty() ? "" : fmt::format(R"(,"database":{{"url":"{}"}})", database));
    sw::LoadOptions options;
    options.env = lookup({});
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

// Everything a router lets out besides the answer: its log lines, kept here, and its metrics.
struct Watched {
    std::mutex mutex;
    std::string logs;
    sw::RouterOptions options(Env env) {
        sw::RouterOptions o;
        o.env = lookup(std::move(env));
        o.log_sink = [this](sw::LogLevel, std::string_view line) {
            std::lock_guard<std::mutex> lock(mutex);
            logs += line;
            logs += '\n';
        };
        return o;
    }
};

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";

// A header the mock last saw for a scenario key (the model it was sent).
std::string last_header(const std::string& key, const std::string& header) {
    simdjson::dom::parser parser;
    simdjson::dom::element stats = parser.parse(mock().last_headers_json());
    std::string_view value;
    if (stats["last_headers"][key][header].get(value)) return {};
    return std::string(value);
}

// Everything observable about a request and its router, for the canary checks.
std::string everything(sw::Router& router, const sw::ChatResponse& r, Watched& watched) {
    std::lock_guard<std::mutex> lock(watched.mutex);
    return r.error + r.trace_json() + r.trace.message + watched.logs + router.metrics_text() + router.metrics_json();
}

std::string vault_store(const std::string& extra, int cache_ttl = 3600) {
    return fmt::format(R"({{"type":"simple","source":"vault","cacheTtl":{},"config":{{"path":"secret/openai","key":"api_key"{}}}}})",
                       cache_ttl, extra.empty() ? "" : "," + extra);
}

const std::string kVaultKey1 = "sk-canary-vault-one-1a2b3c";
const std::string kVaultKey2 = "sk-canary-vault-two-4d5e6f";

}  // namespace

TEST_CASE("vault: a KV v2 secret read with VAULT_TOKEN is the provider's API key", "[vault]") {
    auto bin = servers();
    if (!bin) return;
    BaoServer bao(*bin);
    bao.put_secret("openai", fmt::format(R"("api_key":"{}","other":"x")", kVaultKey1));
    Watched watched;
    sw::Router router(config(vault_store(""), "openai", "vault-token"),
                      watched.options({{"VAULT_ADDR", bao.address()}, {"VAULT_TOKEN", BaoServer::kRootToken}}));
    sw::ChatResponse r = router.chat(kChat);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(last_header("vault-token", "authorization") == "Bearer " + kVaultKey1);
    // Cached: a second request reads nothing new, and still sends the key.
    REQUIRE(router.chat(kChat).ok());
    const std::string seen = everything(router, r, watched);
    CHECK(seen.find(kVaultKey1) == std::string::npos);
    CHECK(seen.find(BaoServer::kRootToken) == std::string::npos);
}

TEST_CASE("vault: AppRole login instead of a token, with the secret_id from a variable", "[vault]") {
    auto bin = servers();
    if (!bin) return;
    BaoServer bao(*bin);
    bao.put_secret("openai", fmt::format(R"("api_key":"{}")", kVaultKey1));
    const auto [role_id, secret_id] = bao.approle();
    Watched watched;
    // No VAULT_TOKEN at all: only the AppRole can read.
    sw::Router router(config(vault_store(fmt::format(R"("roleId":"{}","secretIdVar":"ROUTER_SECRET_ID")", role_id)),
                             "openai", "vault-approle"),
                      watched.options({{"VAULT_ADDR", bao.address()}, {"ROUTER_SECRET_ID", secret_id}}));
    sw::ChatResponse r = router.chat(kChat);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK(last_header("vault-approle", "authorization") == "Bearer " + kVaultKey1);

    // A wrong secret_id: the login is refused, the store is unavailable, and the secret_id that
    // was tried is nowhere.
    const std::string wrong = "00000000-canary-secret-id-0000";
    Watched watched2;
    sw::Router refused(config(vault_store(fmt::format(R"("roleId":"{}","secretIdVar":"ROUTER_SECRET_ID")", role_id)),
                              "openai", "vault-approle-refused"),
                       watched2.options({{"VAULT_ADDR", bao.address()}, {"ROUTER_SECRET_ID", wrong}}));
    sw::ChatResponse failed = refused.chat(kChat);
    CHECK_FALSE(failed.ok());
    CHECK_THAT(failed.error, Catch::Contains("AppRole login") && Catch::Contains("credential store \"s\""));
    const std::string seen = everything(refused, failed, watched2) + everything(router, r, watched);
    CHECK(seen.find(wrong) == std::string::npos);
    CHECK(seen.find(secret_id) == std::string::npos);
    CHECK(seen.find(role_id) == std::string::npos);  // not a secret, but never printed either
    CHECK(mock().attempts("vault-approle-refused") == 0);
}

TEST_CASE("vault: a rotated secret is picked up at the next refresh with no failed request", "[vault]") {
    auto bin = servers();
    if (!bin) return;
    BaoServer bao(*bin);
    bao.put_secret("openai", fmt::format(R"("api_key":"{}")", kVaultKey1));
    Watched watched;
    sw::Router router(config(vault_store("", 1), "openai", "vault-rotate"),
                      watched.options({{"VAULT_ADDR", bao.address()}, {"VAULT_TOKEN", BaoServer::kRootToken}}));
    REQUIRE(router.chat(kChat).ok());
    CHECK(last_header("vault-rotate", "authorization") == "Bearer " + kVaultKey1);
    bao.put_secret("openai", fmt::format(R"("api_key":"{}")", kVaultKey2));
    // Requests keep flowing across the refresh (cacheTtl 1 s); every one succeeds on its first
    // attempt, and the new version is in use once the old one's time is up.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    bool rotated = false;
    while (!rotated && std::chrono::steady_clock::now() < deadline) {
        sw::ChatResponse r = router.chat(kChat);
        INFO(r.error);
        REQUIRE(r.ok());
        CHECK(r.trace.attempts.size() == 1);
        rotated = last_header("vault-rotate", "authorization") == "Bearer " + kVaultKey2;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(rotated);
}

TEST_CASE("vault: a sealed or unreachable server is credentials_unavailable, and the request fails over", "[vault]") {
    auto bin = servers();
    if (!bin) return;
    BaoServer bao(*bin);
    bao.put_secret("openai", fmt::format(R"("api_key":"{}")", kVaultKey1));
    bao.seal();
    for (const auto& [address, expected] : std::vector<std::pair<std::string, std::string>>{
             {bao.address(), "HTTP 503 (sealed"},
             {fmt::format("http://127.0.0.1:{}", sw::test::closed_port()), "could not be reached"}}) {
        INFO(address);
        Watched watched;
        const Env env = {{"VAULT_ADDR", address}, {"VAULT_TOKEN", BaoServer::kRootToken}};
        const auto ledger = std::filesystem::temp_directory_path() / fmt::format("switch-cred-ledger-{}.db", ::getpid());
        std::filesystem::remove(ledger);
        {
            sw::Router router(config(vault_store(""), "openai", "vault-down", true, "sqlite://" + ledger.string()),
                              watched.options(env));
            sw::ChatResponse r = router.chat(kChat);
            INFO(r.error);
            REQUIRE(r.ok());
            CHECK(r.trace.provider == "b");
            REQUIRE_FALSE(r.trace.attempts.empty());
            CHECK(r.trace.attempts.at(0).error_code == "credentials_unavailable");
            CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::auth);
            const std::string seen = everything(router, r, watched);
            CHECK(seen.find(BaoServer::kRootToken) == std::string::npos);
        }  // ~Router writes the ledger's queued rows
        const std::string rows = sw::test::ChildServer::file_text(ledger);
        CHECK_FALSE(rows.empty());
        CHECK(rows.find(BaoServer::kRootToken) == std::string::npos);
        CHECK(rows.find(kVaultKey1) == std::string::npos);
        std::filesystem::remove(ledger);

        sw::Router alone(config(vault_store(""), "openai", "vault-down"), watched.options(env));
        sw::ChatResponse failed = alone.chat(kChat);
        CHECK_FALSE(failed.ok());
        CHECK_THAT(failed.error, Catch::Contains("credential store \"s\"") && Catch::Contains(expected));
        const std::string seen = everything(alone, failed, watched);
        CHECK(seen.find(BaoServer::kRootToken) == std::string::npos);
        CHECK(seen.find(kVaultKey1) == std::string::npos);
        CHECK(mock().attempts("vault-down") == 0);
    }
}

TEST_CASE("vault: TLS is verified, against the CA file the store names", "[vault]") {
    auto bin = servers();
    if (!bin) return;
    BaoServer bao(*bin, true);
    bao.put_secret("openai", fmt::format(R"("api_key":"{}")", kVaultKey1));
    const Env env = {{"VAULT_ADDR", bao.address()}, {"VAULT_TOKEN", BaoServer::kRootToken}};
    Watched watched;
    sw::Router trusted(config(vault_store(fmt::format(R"("caFile":"{}")", bao.ca_file())), "openai", "vault-tls"),
                       watched.options(env));
    sw::ChatResponse ok = trusted.chat(kChat);
    INFO(ok.error);
    REQUIRE(ok.ok());
    CHECK(last_header("vault-tls", "authorization") == "Bearer " + kVaultKey1);

    // Without the CA, the dev server's certificate does not verify, and nothing is sent.
    sw::Router untrusted(config(vault_store(""), "openai", "vault-tls-untrusted"), watched.options(env));
    sw::ChatResponse failed = untrusted.chat(kChat);
    CHECK_FALSE(failed.ok());
    CHECK_THAT(failed.error, Catch::Contains("could not be reached"));
    CHECK(mock().attempts("vault-tls-untrusted") == 0);
}

namespace {

std::string secrets_store(const std::string& endpoint, const std::string& secret_id, const std::string& key,
                          int cache_ttl = 3600) {
    return fmt::format(R"({{"type":"simple","source":"aws-secrets","cacheTtl":{},"config":{{"secretId":"{}",)"
                       R"("region":"us-east-1","endpoint":"{}"{}}}}})",
                       cache_ttl, secret_id, endpoint, key.empty() ? "" : fmt::format(R"(,"key":"{}")", key));
}

const Env kSigningKeys = {{"AWS_ACCESS_KEY_ID", "AKIDSECRETSREADER"},
                          {"AWS_SECRET_ACCESS_KEY", "signing-canary-secret-key-9z8y"}};

}  // namespace

TEST_CASE("aws-secrets: a JSON secret's key, or a plain string, from Secrets Manager", "[aws-secrets]") {
    auto bin = servers();
    if (!bin) return;
    MotoServer moto(*bin);
    const std::string json_key = "sk-canary-sm-json-7g8h9i", plain_key = "sk-canary-sm-plain-0j1k2l";
    moto.create_secret("prod/openai", fmt::format(R"({{"api_key":"{}","org":"o"}})", json_key));
    moto.create_secret("prod/plain", plain_key);
    Watched watched;
    sw::Router from_json(config(secrets_store(moto.endpoint(), "prod/openai", "api_key"), "openai", "sm-json"),
                         watched.options(kSigningKeys));
    sw::ChatResponse a = from_json.chat(kChat);
    INFO(a.error);
    REQUIRE(a.ok());
    CHECK(last_header("sm-json", "authorization") == "Bearer " + json_key);

    sw::Router plain(config(secrets_store(moto.endpoint(), "prod/plain", ""), "openai", "sm-plain"),
                     watched.options(kSigningKeys));
    sw::ChatResponse b = plain.chat(kChat);
    INFO(b.error);
    REQUIRE(b.ok());
    CHECK(last_header("sm-plain", "authorization") == "Bearer " + plain_key);

    // A secret that does not exist: Secrets Manager's error type, and a failover.
    sw::Router missing(config(secrets_store(moto.endpoint(), "prod/none", ""), "openai", "sm-missing", true),
                       watched.options(kSigningKeys));
    sw::ChatResponse c = missing.chat(kChat);
    REQUIRE(c.ok());
    CHECK(c.trace.provider == "b");
    CHECK(c.trace.attempts.at(0).error_code == "credentials_unavailable");
    sw::Router missing_alone(config(secrets_store(moto.endpoint(), "prod/none", ""), "openai", "sm-missing"),
                             watched.options(kSigningKeys));
    sw::ChatResponse c2 = missing_alone.chat(kChat);
    CHECK_FALSE(c2.ok());
    CHECK_THAT(c2.error, Catch::Contains("ResourceNotFoundException") && Catch::Contains("prod/none"));

    // A key the secret does not have.
    sw::Router no_key(config(secrets_store(moto.endpoint(), "prod/openai", "nope"), "openai", "sm-no-key"),
                      watched.options(kSigningKeys));
    sw::ChatResponse d = no_key.chat(kChat);
    CHECK_FALSE(d.ok());
    CHECK_THAT(d.error, Catch::Contains("no field \"nope\""));

    const std::string seen = everything(from_json, a, watched) + everything(plain, b, watched) +
                             everything(missing, c, watched) + everything(missing_alone, c2, watched) +
                             everything(no_key, d, watched);
    for (const std::string& canary : {json_key, plain_key, kSigningKeys.at("AWS_SECRET_ACCESS_KEY")})
        CHECK(seen.find(canary) == std::string::npos);
}

TEST_CASE("aws-secrets: a new secret version is picked up at the next refresh with no failed request",
          "[aws-secrets]") {
    auto bin = servers();
    if (!bin) return;
    MotoServer moto(*bin);
    moto.create_secret("prod/rotating", "sk-canary-sm-v1");
    Watched watched;
    sw::Router router(config(secrets_store(moto.endpoint(), "prod/rotating", "", 1), "openai", "sm-rotate"),
                      watched.options(kSigningKeys));
    REQUIRE(router.chat(kChat).ok());
    CHECK(last_header("sm-rotate", "authorization") == "Bearer sk-canary-sm-v1");
    moto.put_value("prod/rotating", "sk-canary-sm-v2");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    bool rotated = false;
    while (!rotated && std::chrono::steady_clock::now() < deadline) {
        sw::ChatResponse r = router.chat(kChat);
        INFO(r.error);
        REQUIRE(r.ok());
        CHECK(r.trace.attempts.size() == 1);
        rotated = last_header("sm-rotate", "authorization") == "Bearer sk-canary-sm-v2";
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(rotated);
}

namespace {

const std::string kInstanceStore = R"({"type":"aws","config":{"region":"us-east-1","useInstanceProfile":true}})";

}  // namespace

TEST_CASE("instance profile: moto's metadata service signs Bedrock requests, session token included",
          "[instance-profile]") {
    auto bin = servers();
    if (!bin) return;
    MotoServer moto(*bin);
    Watched watched;
    sw::Router router(config(kInstanceStore, "bedrock", "imds-moto"),
                      watched.options({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", moto.endpoint()}}));
    sw::ChatResponse r = router.chat(kChat);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK_THAT(last_header("imds-moto", "authorization"), Catch::Contains("Credential=test-key/"));
    CHECK(last_header("imds-moto", "x-amz-security-token") == "test-session-token");
}

TEST_CASE("instance profile: IMDSv2 only, and an expiring credential is refreshed before it expires",
          "[instance-profile]") {
    // Each credential lives 62 s: 2 s of use before the 60 s refresh margin.
    StrictImds imds(62);
    Watched watched;
    sw::Router router(config(kInstanceStore, "bedrock", "imds-strict"),
                      watched.options({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.base()}}));
    sw::ChatResponse first = router.chat(kChat);
    INFO(first.error);
    REQUIRE(first.ok());
    CHECK_THAT(last_header("imds-strict", "authorization"), Catch::Contains("Credential=AKIDIMDS1/"));
    CHECK(last_header("imds-strict", "x-amz-security-token") == "imds-canary-token-1");
    REQUIRE(router.chat(kChat).ok());
    CHECK(imds.stat("credential_gets") == 1);  // cached
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    sw::ChatResponse later = router.chat(kChat);
    INFO(later.error);
    REQUIRE(later.ok());
    CHECK(later.trace.attempts.size() == 1);
    CHECK_THAT(last_header("imds-strict", "authorization"), Catch::Contains("Credential=AKIDIMDS2/"));
    CHECK(last_header("imds-strict", "x-amz-security-token") == "imds-canary-token-2");
    CHECK(imds.stat("refused") == 0);  // every GET carried the IMDSv2 token
    CHECK(imds.stat("token_puts") >= 1);
    const std::string seen = everything(router, later, watched) + everything(router, first, watched);
    CHECK(seen.find("imds-canary-token") == std::string::npos);
    CHECK(seen.find("mock-bedrock-secret-access-key") == std::string::npos);
}

TEST_CASE("instance profile: ECS container credentials, and a metadata service that is not there",
          "[instance-profile]") {
    StrictImds imds(3600);
    Watched ecs_watched;
    sw::Router ecs(config(kInstanceStore, "bedrock", "imds-ecs"),
                   ecs_watched.options({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", imds.base() + "/ecs/credentials"},
                                      {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecs-auth-canary"}}));
    sw::ChatResponse r = ecs.chat(kChat);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK_THAT(last_header("imds-ecs", "authorization"), Catch::Contains("Credential=AKIDIMDS1/"));
    CHECK_THAT(r.trace_json(), !Catch::Contains("ecs-auth-canary"));

    Watched watched;
    sw::Router absent(config(kInstanceStore, "bedrock", "imds-absent", true),
                      watched.options({{"AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                        fmt::format("http://127.0.0.1:{}", sw::test::closed_port())}}));
    sw::ChatResponse failed_over = absent.chat(kChat);
    REQUIRE(failed_over.ok());
    CHECK(failed_over.trace.provider == "b");
    CHECK(failed_over.trace.attempts.at(0).error_code == "credentials_unavailable");
    sw::Router absent_alone(config(kInstanceStore, "bedrock", "imds-absent"),
                            watched.options({{"AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                              fmt::format("http://127.0.0.1:{}", sw::test::closed_port())}}));
    sw::ChatResponse failed = absent_alone.chat(kChat);
    CHECK_FALSE(failed.ok());
    CHECK_THAT(failed.error, Catch::Contains("instance metadata service") && Catch::Contains("could not be reached"));
    CHECK(mock().attempts("imds-absent") == 0);
}
