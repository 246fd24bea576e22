// aws_secret_fetch.cpp — an aws-secrets store's value: Secrets Manager's GetSecretValue, signed
// with SigV4 (common/sigv4.hpp), with the process's AWS keys or, without them, the
// instance profile.
#include "credentials/http_fetch.hpp"
#include "credentials/secret_answers.hpp"

#include "common/json_writer.hpp"
#include "common/text.hpp"
#include "common/sigv4.hpp"

#include <fmt/format.h>

namespace sw::credentials {

namespace {

struct SecretTarget {
    std::string store;
    std::string region;
    std::string endpoint;  // scheme://authority[/path]
    std::string secret_id;
    std::string key;
};

std::string first_set(const EnvLookup& env, std::initializer_list<const char*> names) {
    for (const char* name : names)
        if (auto v = env(name); v && !v->empty()) return *v;
    return {};
}

void get_secret_value(const SecretTarget& target, const AwsKeys& keys, transport::Io io, FetchDone done) {
    // scheme://authority/path: the authority is the signed Host, the path the signed URI.
    const auto scheme_end = target.endpoint.find("://");
    const std::string rest = target.endpoint.substr(scheme_end == std::string::npos ? 0 : scheme_end + 3);
    const auto slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    const std::string path = slash == std::string::npos ? "/" : rest.substr(slash);

    std::string body = "{\"SecretId\":";
    append_json_string(body, target.secret_id);
    body += '}';
    aws::RequestToSign request{"POST",
                               path,
                               {},
                               {{"Host", authority},
                                {"Content-Type", "application/x-amz-json-1.1"},
                                {"X-Amz-Target", "secretsmanager.GetSecretValue"}},
                               body};
    const aws::SigningParams params{target.region, "secretsmanager", std::chrono::system_clock::now()};
    const aws::HeaderSignature signature = aws::sign_headers(
        request, {keys.access_key_id.reveal(), keys.secret_access_key.reveal(), keys.session_token.reveal()}, params);
    transport::HttpRequest http;
    http.url = target.endpoint.back() == '/' || slash != std::string::npos ? target.endpoint : target.endpoint + "/";
    for (const auto& [name, value] : request.headers) http.headers.push_back(name + ": " + value);
    for (const auto& [name, value] : signature.headers_to_add) http.headers.push_back(name + ": " + value);
    http.body = std::move(body);
    http.connect_timeout = Millis(5000);
    http.total_timeout = Millis(30000);
    http_fetch(io, std::move(http), [target, done = std::move(done)](FetchReply reply) {
        if (!reply.ok()) {
            std::string why = reply_failure(reply, "Secrets Manager");
            // The error's type ("ResourceNotFoundException") says what went wrong; its message is
            // not repeated.
            if (std::string type = aws_error_type(reply.body); !type.empty()) why += " (" + type + ")";
            return done(fetch_failed(fmt::format("credential store \"{}\": GetSecretValue of \"{}\" at {}: {}",
                                                 target.store, target.secret_id, target.endpoint, why)));
        }
        std::string error;
        auto value = aws_secret_value(reply.body, target.key, error);
        if (!value)
            return done(fetch_failed(
                fmt::format("credential store \"{}\": secret \"{}\": {}", target.store, target.secret_id, error)));
        Fetched fetched;
        fetched.value = std::move(*value);
        done(std::move(fetched));
    });
}

}  // namespace

void fetch_aws_secret(const CredentialStoreConfig& store, const EnvLookup& env, transport::Io io, FetchDone done) {
    const ExternalSecretRef& ref = store.external;
    SecretTarget target;
    target.store = store.name;
    target.secret_id = ref.path;
    target.key = ref.key;
    target.region = !ref.region.empty() ? ref.region : first_set(env, {"AWS_REGION", "AWS_DEFAULT_REGION"});
    if (target.region.empty())
        return done(fetch_failed(fmt::format(
            "credential store \"{}\": no AWS region for Secrets Manager: set config.region or AWS_REGION", store.name)));
    // The AWS SDKs' service-specific endpoint variable, then the general one.
    target.endpoint = !ref.endpoint.empty() ? ref.endpoint
                                            : first_set(env, {"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"});
    if (target.endpoint.empty()) target.endpoint = fmt::format("https://secretsmanager.{}.amazonaws.com", target.region);

    // The process's keys, as the AWS SDKs' default chain reads them first.
    const std::string id = first_set(env, {"AWS_ACCESS_KEY_ID"}), secret = first_set(env, {"AWS_SECRET_ACCESS_KEY"});
    if (!id.empty() && !secret.empty()) {
        // They travel in headers, as the Authorization's credential and the security token.
        if (has_line_break_or_nul(id) || has_line_break_or_nul(first_set(env, {"AWS_SESSION_TOKEN"})))
            return done(fetch_failed(fmt::format("credential store \"{}\": AWS_ACCESS_KEY_ID or AWS_SESSION_TOKEN "
                                                 "contains CR, LF or NUL",
                                                 store.name)));
        AwsKeys keys;
        keys.region = target.region;
        keys.access_key_id = Secret(id);
        keys.secret_access_key = Secret(secret);
        keys.session_token = Secret(first_set(env, {"AWS_SESSION_TOKEN"}));
        return get_secret_value(target, keys, io, std::move(done));
    }
    // Otherwise the instance profile (or the container's credentials), then the read.
    fetch_instance_profile(store.name, target.region, env, io, [target, io, done = std::move(done)](Fetched keys) mutable {
        if (!keys.ok() || !keys.aws)
            return done(fetch_failed(keys.error + " (no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY either, to sign "
                                                  "the Secrets Manager request with)"));
        get_secret_value(target, *keys.aws, io, std::move(done));
    });
}

}  // namespace sw::credentials
