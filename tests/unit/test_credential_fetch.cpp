// test_credential_fetch.cpp — Vault, Secrets Manager and instance-profile fetches through the
// router's real request path on simulated time (sim_scenario.hpp): the exchanges each source
// makes, what is cached for how long, refresh before expiry, and failures that fail over.
// The same sources against real servers: tests/integration/test_credential_sources.cpp.
#include "sim_scenario.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>

using namespace swtest;

namespace {

bool has_header(const sw::transport::HttpRequest& r, const std::string& line) {
    return std::find(r.headers.begin(), r.headers.end(), line) != r.headers.end();
}

std::string header_value(const sw::transport::HttpRequest& r, const std::string& name) {
    for (const auto& h : r.headers)
        if (h.rfind(name + ": ", 0) == 0) return h.substr(name.size() + 2);
    return {};
}

// The requests sent to one host, in order.
std::vector<sw::transport::HttpRequest> sent_to(const Scenario& s, const std::string& host) {
    std::vector<sw::transport::HttpRequest> out;
    for (const auto& sent : s.io.sent)
        if (host_label(sent.request.url) == host) out.push_back(sent.request);
    return out;
}

SimAnswer kv(const std::string& key) { return answer(200, R"({"data":{"data":{"api_key":")" + key + R"("}}})"); }

const std::string kVaultStore = R"("v":{"type":"simple","source":"vault","cacheTtl":30,)"
                                R"("config":{"path":"secret/openai","key":"api_key"}})";
const std::map<std::string, std::string> kVaultEnv = {{"VAULT_ADDR", "https://vault.example.invalid:8200"},
                                                      {"VAULT_TOKEN", "vault-token-canary"},
                                                      {"VAULT_NAMESPACE", "team-a"}};

std::string uses(const std::string& store) { return "\"" + store + "\""; }

// "2026-12-07T13:45:00Z", `ahead` from the wall clock's now.
std::string utc_in(std::chrono::seconds ahead) {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + ahead);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

}  // namespace

TEST_CASE("fetch: a vault secret is read with the token, kept for cacheTtl, then read again") {
    Scenario s({pool("primary", {provider("o", {{"credentialsRef", uses("v")}})})}, kVaultStore, kVaultEnv);
    s.scripts["vault"] = {kv("sk-one"), kv("sk-two")};
    REQUIRE(s.chat(kChat).response.ok());
    auto reads = sent_to(s, "vault");
    REQUIRE(reads.size() == 1);
    CHECK(reads[0].url == "https://vault.example.invalid:8200/v1/secret/data/openai");
    CHECK(reads[0].method == sw::transport::HttpRequest::Method::get);
    CHECK(has_header(reads[0], "X-Vault-Token: vault-token-canary"));
    CHECK(has_header(reads[0], "X-Vault-Namespace: team-a"));
    CHECK(reads[0].verify_tls);
    CHECK(has_header(s.io.sent.back().request, "Authorization: Bearer sk-one"));

    // The first request left the clock at 2 s (its credential wait's timer ran out, unused).
    s.clock.advance(25s);  // still within cacheTtl: no read
    REQUIRE(s.chat(kChat).response.ok());
    CHECK(s.attempts("vault") == 1);
    s.clock.advance(10s);  // past it: read again, and the rotated value is used at once
    SimResult later = s.chat(kChat);
    REQUIRE(later.response.ok());
    CHECK(later.response.trace.attempts.size() == 1);
    CHECK(s.attempts("vault") == 2);
    CHECK(has_header(s.io.sent.back().request, "Authorization: Bearer sk-two"));
}

TEST_CASE("fetch: an AppRole login comes before the read, and its client token is what reads") {
    const std::string store = R"("v":{"type":"simple","source":"vault","config":{"path":"kv/openai","key":"api_key",)"
                              R"("address":"http://vault.example.invalid","roleId":"role-1","secretIdVar":"SID",)"
                              R"("caFile":"/etc/ca.pem"}})";
    Scenario s({pool("primary", {provider("o", {{"credentialsRef", uses("v")}})})}, store,
               {{"SID", "secret-id-canary"}});
    s.scripts["vault"] = {answer(200, R"({"auth":{"client_token":"client-token-1"}})"), kv("sk-approle")};
    SimResult r = s.chat(kChat);
    REQUIRE(r.response.ok());
    auto sent = sent_to(s, "vault");
    REQUIRE(sent.size() == 2);
    CHECK(sent[0].url == "http://vault.example.invalid/v1/auth/approle/login");
    CHECK(sent[0].method == sw::transport::HttpRequest::Method::post);
    CHECK(sent[0].body == R"({"role_id":"role-1","secret_id":"secret-id-canary"})");
    CHECK(header_value(sent[0], "X-Vault-Token").empty());
    CHECK(sent[1].url == "http://vault.example.invalid/v1/kv/data/openai");
    CHECK(has_header(sent[1], "X-Vault-Token: client-token-1"));
    CHECK(sent[1].ca_file == "/etc/ca.pem");
    CHECK(has_header(s.io.sent.back().request, "Authorization: Bearer sk-approle"));
    CHECK(r.response.trace_json().find("secret-id-canary") == std::string::npos);
}

TEST_CASE("fetch: a vault failure fails over, and the next request fetches again") {
    Scenario s({pool("primary", {provider("o", {{"credentialsRef", uses("v")}})}, {"backup"}),
                pool("backup", {provider("b")})},
               kVaultStore, kVaultEnv);
    s.scripts["vault"] = {answer(503, R"({"errors":["Vault is sealed"]})"), kv("sk-back")};
    SimResult sealed = s.chat(kChat);
    REQUIRE(sealed.response.ok());
    CHECK(sealed.response.trace.provider == "b");
    CHECK(sealed.response.trace.attempts.at(0).error_code == "credentials_unavailable");
    CHECK(s.attempts("o") == 0);
    // A failure is not cached: the next request reads again, and is served by "o".
    SimResult next = s.chat(kChat);
    REQUIRE(next.response.ok());
    CHECK(next.response.trace.provider == "o");
    CHECK(s.attempts("vault") == 2);
}

TEST_CASE("fetch: settings that fail locally are reported without a request") {
    Scenario no_token({pool("primary", {provider("o", {{"credentialsRef", uses("v")}})})}, kVaultStore,
                      {{"VAULT_ADDR", "https://vault.example.invalid"}});
    SimResult r = no_token.chat(kChat);
    CHECK_FALSE(r.response.ok());
    CHECK_THAT(r.response.error, Catch::Contains("no Vault token: set VAULT_TOKEN"));
    CHECK(no_token.io.sent.empty());
    // OpenBao's own variables work as well as Vault's.
    Scenario bao({pool("primary", {provider("o", {{"credentialsRef", uses("v")}})})}, kVaultStore,
                 {{"BAO_ADDR", "https://bao.example.invalid"}, {"BAO_TOKEN", "t"}});
    bao.scripts["bao"] = {kv("sk-bao")};
    REQUIRE(bao.chat(kChat).response.ok());
    CHECK(bao.attempts("bao") == 1);
}

TEST_CASE("fetch: aws-secrets is one signed GetSecretValue, with the key picked from its JSON") {
    const std::string store = R"("s":{"type":"simple","source":"aws-secrets","config":{"secretId":"prod/openai",)"
                              R"("key":"api_key","region":"eu-west-1"}})";
    Scenario s({pool("primary", {provider("o", {{"credentialsRef", uses("s")}})})}, store,
               {{"AWS_ACCESS_KEY_ID", "AKIDSIGNER"}, {"AWS_SECRET_ACCESS_KEY", "signer-secret-canary"},
                {"AWS_SESSION_TOKEN", "signer-session"}});
    s.scripts["secretsmanager"] = {answer(200, R"({"Name":"prod/openai","SecretString":"{\"api_key\":\"sk-sm\"}"})")};
    REQUIRE(s.chat(kChat).response.ok());
    auto sent = sent_to(s, "secretsmanager");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].url == "https://secretsmanager.eu-west-1.amazonaws.com/");
    CHECK(sent[0].body == R"({"SecretId":"prod/openai"})");
    CHECK(has_header(sent[0], "X-Amz-Target: secretsmanager.GetSecretValue"));
    CHECK(has_header(sent[0], "X-Amz-Security-Token: signer-session"));
    CHECK_THAT(header_value(sent[0], "Authorization"),
               Catch::StartsWith("AWS4-HMAC-SHA256 Credential=AKIDSIGNER/") &&
                   Catch::Contains("/eu-west-1/secretsmanager/aws4_request"));
    for (const auto& h : sent[0].headers) CHECK(h.find("signer-secret-canary") == std::string::npos);
    CHECK(has_header(s.io.sent.back().request, "Authorization: Bearer sk-sm"));
}

TEST_CASE("fetch: the instance profile is IMDSv2, and its keys are refreshed 60 s before they expire") {
    const std::string store = R"("aws":{"type":"aws","config":{"region":"us-east-1","useInstanceProfile":true}})";
    const std::string bedrock = R"({"name":"o","provider":"bedrock","modelName":"o-model","credentialsRef":"aws",)"
                                R"("apiBase":"https://o.example.invalid","timeout":2000,"maxRetries":0})";
    Scenario s({pool("primary", {bedrock})}, store, {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://imds.example.invalid"}});
    // Keys valid for 10 minutes of wall time: kept for 9 (cacheTtl is an hour).
    auto keys = [](int n) {
        return answer(200, fmt::format(R"({{"Code":"Success","AccessKeyId":"AKIDROLE{}","SecretAccessKey":"s{}",)"
                                       R"("Token":"session-{}","Expiration":"{}"}})",
                                       n, n, n, utc_in(std::chrono::seconds(600))));
    };
    s.scripts["imds"] = {answer(200, "imds-token"), answer(200, "the-role\n"), keys(1),
                         answer(200, "imds-token"), answer(200, "the-role\n"), keys(2)};
    s.scripts["o"] = {answer(200, R"({"output":{"message":{"role":"assistant","content":[{"text":"hi"}]}},)"
                                  R"("stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1}})")};
    SimResult first = s.chat(kChat);
    INFO(first.response.error);
    REQUIRE(first.response.ok());
    auto sent = sent_to(s, "imds");
    REQUIRE(sent.size() == 3);
    CHECK(sent[0].method == sw::transport::HttpRequest::Method::put);
    CHECK(sent[0].url == "http://imds.example.invalid/latest/api/token");
    CHECK(has_header(sent[0], "X-aws-ec2-metadata-token-ttl-seconds: 21600"));
    CHECK(sent[1].url == "http://imds.example.invalid/latest/meta-data/iam/security-credentials/");
    CHECK(sent[2].url == "http://imds.example.invalid/latest/meta-data/iam/security-credentials/the-role");
    for (int i : {1, 2}) {
        CHECK(sent[static_cast<std::size_t>(i)].method == sw::transport::HttpRequest::Method::get);
        CHECK(has_header(sent[static_cast<std::size_t>(i)], "X-aws-ec2-metadata-token: imds-token"));
    }
    CHECK_THAT(header_value(s.io.sent.back().request, "Authorization"), Catch::Contains("Credential=AKIDROLE1/"));
    CHECK(has_header(s.io.sent.back().request, "X-Amz-Security-Token: session-1"));

    // The first request left the clock at 2 s; the keys are kept until 8 min 59 s or so.
    s.clock.advance(8min + 50s);  // before Expiration less the margin: cached
    REQUIRE(s.chat(kChat).response.ok());
    CHECK(s.attempts("imds") == 3);
    s.clock.advance(20s);  // 9 min 10 s: past it, so fetched again before the keys expire
    SimResult refreshed = s.chat(kChat);
    REQUIRE(refreshed.response.ok());
    CHECK(s.attempts("imds") == 6);
    CHECK_THAT(header_value(s.io.sent.back().request, "Authorization"), Catch::Contains("Credential=AKIDROLE2/"));
    CHECK(has_header(s.io.sent.back().request, "X-Amz-Security-Token: session-2"));
}
