// token_endpoint.cpp — issues mock access tokens after checking the grant, and scripts token
// endpoint failures with the same SPEC grammar as the API paths.
#include "token_endpoint.hpp"

#include "bodies.hpp"
#include "form.hpp"
#include "pending.hpp"
#include "scenario.hpp"
#include "worker.hpp"

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

namespace mock {

namespace {

constexpr std::string_view kTokenPath = "/token";
constexpr std::string_view kJwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr std::string_view kCloudPlatform = "https://www.googleapis.com/auth/cloud-platform";
// How far an assertion's iat may be from the mock's clock.
constexpr std::int64_t kClockSkewSeconds = 300;

// Every token issued, shared by all server threads.
struct Ledger {
    std::mutex mutex;
    std::unordered_set<std::string> tokens;
    std::atomic<std::uint64_t> next{1};
};
Ledger& ledger() {
    static Ledger instance;
    return instance;
}

struct PkeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
std::unique_ptr<EVP_PKEY, PkeyFree>& public_key() {
    static std::unique_ptr<EVP_PKEY, PkeyFree> key;  // set once by main(), before the threads start
    return key;
}

std::string issue_token() {
    Ledger& l = ledger();
    std::string token = "mock-token-" + std::to_string(l.next.fetch_add(1));
    std::lock_guard lock(l.mutex);
    l.tokens.insert(token);
    return token;
}

bool base64url_decode(std::string_view in, std::string& out) {
    out.clear();
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : in) {
        int v = c >= 'A' && c <= 'Z'   ? c - 'A'
                : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52
                : c == '-'             ? 62
                : c == '_'             ? 63
                                       : -1;
        if (v < 0) return false;  // padding and the standard alphabet are not base64url
        buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return true;
}

bool verify_signature(std::string_view signing_input, const std::string& signature) {
    EVP_PKEY* key = public_key().get();
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
              EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                               reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

// "" when the assertion is a well-formed, correctly signed service-account JWT for `audience`;
// otherwise what is wrong with it.
std::string check_assertion(std::string_view jwt, std::string_view audience) {
    const std::size_t dot1 = jwt.find('.');
    const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : jwt.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || jwt.find('.', dot2 + 1) != std::string_view::npos)
        return "the assertion is not three base64url parts joined by '.'";
    std::string header, claims, signature;
    if (!base64url_decode(jwt.substr(0, dot1), header) || !base64url_decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1), claims) ||
        !base64url_decode(jwt.substr(dot2 + 1), signature) || signature.empty())
        return "a part of the assertion is not unpadded base64url";
    simdjson::dom::parser parser;
    simdjson::dom::element h;
    std::string_view alg, typ;
    if (parser.parse(header).get(h) || h["alg"].get(alg) || h["typ"].get(typ)) return "the JWT header lacks alg or typ";
    if (alg != "RS256" || typ != "JWT") return "the JWT header is not {\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    simdjson::dom::parser claims_parser;
    simdjson::dom::element c;
    std::string_view iss, scope, aud;
    std::int64_t iat = 0, exp = 0;
    if (claims_parser.parse(claims).get(c) || c["iss"].get(iss) || c["scope"].get(scope) || c["aud"].get(aud) ||
        c["iat"].get(iat) || c["exp"].get(exp))
        return "the JWT claims lack iss, scope, aud, iat or exp";
    if (iss.empty()) return "the iss claim is empty";
    if (scope.find(kCloudPlatform) == std::string_view::npos) return "the scope claim lacks cloud-platform";
    if (aud != audience) return "the aud claim is not this token endpoint's URL";
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (std::llabs(now - iat) > kClockSkewSeconds) return "the iat claim is not now";
    if (exp != iat + 3600) return "the exp claim is not iat + 3600";
    if (public_key() && !verify_signature(jwt.substr(0, dot2), signature)) return "the RS256 signature does not verify";
    return {};
}

std::string oauth_error(std::string_view error, std::string_view description) {
    std::string body = R"({"error":)";
    append_json_string(body, error);
    body += R"(,"error_description":)";
    append_json_string(body, description);
    body += '}';
    return body;
}

// The answer to a grant that passed the scenario's faults.
void answer_grant(const std::string& form, std::string_view audience, const Scenario& s, Reply& r) {
    const std::string grant = form_field(form, "grant_type").value_or("");
    if (grant == "client_credentials") {
        if (form_field(form, "client_id").value_or("").empty() || form_field(form, "client_secret").value_or("").empty()) {
            r.status = 401;
            r.body = oauth_error("invalid_client", "client_id and client_secret are required (mock)");
            return;
        }
    } else if (grant == kJwtBearer) {
        if (std::string problem = check_assertion(form_field(form, "assertion").value_or(""), audience); !problem.empty()) {
            r.status = 400;
            r.body = oauth_error("invalid_grant", problem + " (mock)");
            return;
        }
    } else {
        r.status = 400;
        r.body = oauth_error("unsupported_grant_type", "use client_credentials or jwt-bearer (mock)");
        return;
    }
    r.status = 200;
    r.body = R"({"access_token":)";
    append_json_string(r.body, issue_token());
    r.body += R"(,"expires_in":)" + std::to_string(s.expires_in) + R"(,"token_type":"Bearer"})";
}

}  // namespace

bool is_token_path(std::string_view path) {
    return path == kTokenPath || (path.starts_with(kTokenPath) && path.size() > kTokenPath.size() + 1 &&
                                  path[kTokenPath.size()] == '/');
}

bool token_issued(std::string_view token) {
    Ledger& l = ledger();
    std::lock_guard lock(l.mutex);
    return l.tokens.count(std::string(token)) > 0;
}

bool set_jwt_public_key(std::string_view pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* key = bio ? PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    ERR_clear_error();
    public_key().reset(key);
    return key != nullptr;
}

void handle_token(Worker& worker, evhttp_request* req, std::string_view path) {
    // /token/NAME@SPEC is counted as "token/NAME@SPEC", like a model NAME@SPEC on the API paths.
    const std::string name = path.size() > kTokenPath.size() ? percent_decode(path.substr(kTokenPath.size() + 1), false) : "";
    const std::size_t at = name.find('@');
    const std::string spec = at == std::string::npos ? std::string() : name.substr(at + 1);
    evkeyvalq* headers = evhttp_request_get_input_headers(req);
    HeaderView seen;
    for (evkeyval* h = headers->tqh_first; h != nullptr; h = h->next.tqe_next) seen.emplace_back(h->key, h->value);
    const Stats::Attempt attempt = worker.stats.record_attempt(name.empty() ? "token" : "token/" + name, seen);

    Reply r;
    std::string spec_error;
    std::optional<Scenario> scenario = parse_scenario(spec, &spec_error);
    if (!scenario) {
        r.status = 400;
        r.body = oauth_error("invalid_request", spec_error);
        return send_reply(req, r);
    }
    Scenario& s = *scenario;
    s.filter_faults(attempt.number, attempt.ms_since_first);
    if (s.hang) return Pending::hang(worker, req);
    if (s.reset) return Pending::reset_later(worker, req, s.latency_ms);

    if (s.status != 0) {
        r.status = s.status;
        r.body = oauth_error(s.error_code.empty() ? (s.status >= 500 ? "server_error" : "invalid_client") : s.error_code,
                             s.error_message.empty() ? "scripted failure (mock)" : s.error_message);
    } else if (s.garbage) {
        r.status = 200;
        r.body = "<html>this is not a token response (mock)</html>";
    } else {
        evbuffer* in = evhttp_request_get_input_buffer(req);
        std::string form(evbuffer_get_length(in), '\0');
        evbuffer_copyout(in, form.data(), form.size());
        const char* host = evhttp_find_header(headers, "Host");
        const std::string audience = "http://" + std::string(host ? host : "") + std::string(path);
        answer_grant(form, audience, s, r);
    }
    if (s.latency_ms > 0) return Pending::reply_later(worker, req, r, s.latency_ms);
    send_reply(req, r);
}

}  // namespace mock
