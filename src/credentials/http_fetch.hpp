// http_fetch.hpp — one small HTTP exchange of a credential fetch (a token endpoint, Vault, AWS
// Secrets Manager, the instance metadata service), on the caller's I/O thread, its answer
// collected whole. Every fetch in credentials/ goes through here, so none ever blocks a thread.
#pragma once

#include <switch/secret.hpp>

#include "credentials/resolver.hpp"
#include "transport/io.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace sw::credentials {

struct FetchReply {
    int status = 0;
    transport::HttpResult result;
    std::string body;  // at most 64 KiB; may hold secrets: never logged or quoted
    // True when the exchange reached the server and it answered 2xx.
    bool ok() const { return result.error == TransportError::none && !result.cancelled && status >= 200 && status < 300; }
};

// Submits `request` on `io` and calls `done` once, on `io`'s thread.
void http_fetch(transport::Io io, transport::HttpRequest request, std::function<void(FetchReply)> done);

// Why a reply is not ok, for an error that names `what` (e.g. "Vault"): unreachable, with the
// transport's reason, or the HTTP status. Never the body.
std::string reply_failure(const FetchReply& reply, std::string_view what);

// What a credential fetch gives: one secret value (an API key or an access token) or AWS keys,
// and, when the source says so, how long from now they stay valid.
struct Fetched {
    Secret value;
    std::optional<AwsKeys> aws;
    std::optional<std::chrono::seconds> expires_in;
    std::string project, location;  // google stores
    std::string error;  // names the store and what failed, never a value
    bool ok() const { return error.empty(); }
};
using FetchDone = std::function<void(Fetched)>;

inline Fetched fetch_failed(std::string error) {
    Fetched f;
    f.error = std::move(error);
    return f;
}

// The fetchers, one per remote source. Each calls `done` exactly once, on `io`'s thread (or at
// once, when the store's settings already fail locally). `store` and `env` outlive the fetch.
void fetch_vault(const CredentialStoreConfig& store, const EnvLookup& env, transport::Io io, FetchDone done);
void fetch_aws_secret(const CredentialStoreConfig& store, const EnvLookup& env, transport::Io io, FetchDone done);
// The instance profile of an aws store: ECS container credentials when the container variables
// are set, otherwise EC2's IMDSv2. `region` is the store's resolved region (may be empty).
void fetch_instance_profile(const std::string& store_name, std::string region, const EnvLookup& env,
                            transport::Io io, FetchDone done);

}  // namespace sw::credentials
