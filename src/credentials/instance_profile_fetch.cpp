// instance_profile_fetch.cpp — an aws store's useInstanceProfile: the role credentials of the
// ECS task (when its container variables are set) or of the EC2 instance, through IMDSv2.
//
// IMDSv2 only: a session token is PUT for first, then sent with each GET. IMDSv1's plain GETs
// are what SSRF attacks use, and accounts increasingly turn them off.
#include "credentials/http_fetch.hpp"
#include "credentials/secret_answers.hpp"

#include "common/text.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace sw::credentials {

namespace {

constexpr const char* kImdsDefault = "http://169.254.169.254";
constexpr const char* kEcsHost = "http://169.254.170.2";

struct Target {
    std::string store;
    std::string region;
    std::string base;  // the metadata service, no trailing '/'
};

transport::HttpRequest metadata_request(std::string url, transport::HttpRequest::Method method) {
    transport::HttpRequest http;
    http.url = std::move(url);
    http.method = method;
    // A link-local service answers at once, or is not there (not on EC2): fail fast, as the AWS
    // SDKs do, so that the attempt fails over instead of waiting out its timeout.
    http.connect_timeout = Millis(1000);
    http.total_timeout = Millis(5000);
    return http;
}

void answer_with(const Target& target, const FetchReply& reply, std::string_view what, const FetchDone& done) {
    std::string error;
    auto credentials = instance_credentials(reply.body, target.region, error);
    if (!credentials)
        return done(fetch_failed(fmt::format("credential store \"{}\": {}: {}", target.store, what, error)));
    Fetched fetched;
    fetched.aws = std::move(credentials->keys);
    // The wall clock is what Expiration is written in.
    if (credentials->expiration)
        fetched.expires_in = std::chrono::duration_cast<std::chrono::seconds>(*credentials->expiration -
                                                                              std::chrono::system_clock::now());
    done(std::move(fetched));
}

std::string failure(const Target& target, const FetchReply& reply, std::string_view step) {
    return fmt::format("credential store \"{}\": the instance metadata service at {} ({}): {}", target.store,
                       target.base, step, reply_failure(reply, "it"));
}

// The role's name is the first line of the listing.
std::string first_line(std::string_view text) {
    const auto end = text.find_first_of("\r\n");
    std::string line(text.substr(0, end));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line;
}

void ecs_credentials(Target target, std::string url, const EnvLookup& env, transport::Io io, FetchDone done) {
    transport::HttpRequest http = metadata_request(std::move(url), transport::HttpRequest::Method::get);
    std::string authorization = env("AWS_CONTAINER_AUTHORIZATION_TOKEN").value_or("");
    if (auto file = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); file && !file->empty()) {
        std::ifstream in(*file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        authorization = text.str();
        while (!authorization.empty() && (authorization.back() == '\n' || authorization.back() == '\r'))
            authorization.pop_back();
    }
    if (has_line_break_or_nul(authorization))
        return done(fetch_failed(fmt::format("credential store \"{}\": the container authorization token contains "
                                             "CR, LF or NUL",
                                             target.store)));
    if (!authorization.empty()) http.headers.push_back("Authorization: " + authorization);
    http.headers.emplace_back("Accept: application/json");
    http_fetch(io, std::move(http), [target, done = std::move(done)](FetchReply reply) {
        if (!reply.ok())
            return done(fetch_failed(fmt::format("credential store \"{}\": the container credentials endpoint: {}",
                                                 target.store, reply_failure(reply, "it"))));
        answer_with(target, reply, "the container credentials", done);
    });
}

}  // namespace

void fetch_instance_profile(const std::string& store_name, std::string region, const EnvLookup& env,
                            transport::Io io, FetchDone done) {
    Target target;
    target.store = store_name;
    target.region = std::move(region);

    // ECS (and EKS Pod Identity) first, as the AWS SDKs' default chain has it.
    if (auto full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI"); full && !full->empty())
        return ecs_credentials(std::move(target), *full, env, io, std::move(done));
    if (auto relative = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); relative && !relative->empty())
        return ecs_credentials(std::move(target), kEcsHost + *relative, env, io, std::move(done));

    if (env("AWS_EC2_METADATA_DISABLED").value_or("") == "true")
        return done(fetch_failed(fmt::format("credential store \"{}\": useInstanceProfile, but "
                                             "AWS_EC2_METADATA_DISABLED is true",
                                             store_name)));
    target.base = env("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("");
    if (target.base.empty()) target.base = kImdsDefault;
    while (!target.base.empty() && target.base.back() == '/') target.base.pop_back();

    // 1. The session token.
    transport::HttpRequest put = metadata_request(target.base + "/latest/api/token", transport::HttpRequest::Method::put);
    put.headers = {"X-aws-ec2-metadata-token-ttl-seconds: 21600"};
    http_fetch(io, std::move(put), [target, io, done = std::move(done)](FetchReply reply) mutable {
        if (!reply.ok()) return done(fetch_failed(failure(target, reply, "IMDSv2 token")));
        const std::string token = first_line(reply.body);
        if (token.empty() || has_line_break_or_nul(token))
            return done(fetch_failed(fmt::format("credential store \"{}\": the instance metadata service gave no "
                                                 "usable IMDSv2 token",
                                                 target.store)));
        // 2. The role's name.
        const std::string header = "X-aws-ec2-metadata-token: " + token;
        transport::HttpRequest list = metadata_request(target.base + "/latest/meta-data/iam/security-credentials/",
                                                       transport::HttpRequest::Method::get);
        list.headers = {header};
        http_fetch(io, std::move(list), [target, io, header, done = std::move(done)](FetchReply listing) mutable {
            if (!listing.ok())
                return done(fetch_failed(failure(target, listing, "role name") +
                                         (listing.status == 404 ? " (no IAM role is attached to this instance)" : "")));
            const std::string role = first_line(listing.body);
            if (role.empty() || role.find('/') != std::string::npos || has_line_break_or_nul(role))
                return done(fetch_failed(
                    fmt::format("credential store \"{}\": the instance metadata service names no IAM role", target.store)));
            // 3. The role's credentials.
            transport::HttpRequest get = metadata_request(
                target.base + "/latest/meta-data/iam/security-credentials/" + role, transport::HttpRequest::Method::get);
            get.headers = {header};
            http_fetch(io, std::move(get), [target, done = std::move(done)](FetchReply answer) {
                if (!answer.ok()) return done(fetch_failed(failure(target, answer, "role credentials")));
                answer_with(target, answer, "the instance profile's credentials", done);
            });
        });
    });
}

}  // namespace sw::credentials
