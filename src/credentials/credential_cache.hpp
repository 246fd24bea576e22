// credential_cache.hpp — each credential store's secret, resolved at first use and kept for the
// store's cacheTtl. Stores whose credentials come over the network (fetched_remotely: oauth and
// google token exchanges, the vault and aws-secrets sources, an aws store's instance profile)
// fetch them over the I/O thread's own HTTP client, without blocking an I/O thread, and keep them
// for cacheTtl or until shortly before they expire. A router keeps one cache per I/O thread, read without a lock;
// their shared TokenSource makes one exchange serve them all.
#pragma once

#include <switch/config.hpp>
#include <switch/config_loader.hpp>

#include "credentials/credential_view.hpp"
#include "credentials/token_source.hpp"
#include "transport/io.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sw::credentials {

struct CredentialResult {
    CredentialView view;  // valid only during the callback
    // Non-empty when the store cannot give credentials now. Names the store and where it
    // looked, never a value.
    std::string error;
    bool ok() const { return error.empty(); }
};

// A POST to a token endpoint (application/x-www-form-urlencoded).
struct TokenRequest {
    std::string url;
    std::string form_body;  // holds secrets: never logged
    // What a google store says besides its token: the Vertex AI project and location.
    std::string project, location;
};

// The token request of an oauth store (client-credentials grant) or a google store (a
// service-account JWT, RS256, for the jwt-bearer grant), or nullopt with `error` set.
std::optional<TokenRequest> token_request(const CredentialStoreConfig& store, const EnvLookup& env,
                                          std::chrono::system_clock::time_point now, std::string& error);

// An access token from a token endpoint's JSON answer ({"access_token","expires_in",...}).
struct Token {
    Secret access_token;
    std::chrono::seconds expires_in{3600};
};
std::optional<Token> parse_token_response(std::string_view body, std::string& error);

class CredentialCache {
public:
    using Ready = std::function<void(const CredentialResult&)>;

    // `config`, `io` and `tokens` must outlive the cache.
    CredentialCache(const Config& config, EnvLookup env, transport::Io io, TokenSource& tokens);

    // `io`'s thread only. Calls `ready` exactly once, on that thread: at once when the
    // store's credentials are cached or resolve locally, or when its token exchange ends (one
    // exchange serves every request waiting for it, on every thread).
    void acquire(const std::string& store_name, Ready ready);

    // A token is refreshed this long before it expires, so no request carries a token that
    // expires in flight.
    static constexpr std::chrono::seconds refresh_margin{60};

private:
    struct Entry {
        CredentialView::Kind kind = CredentialView::Kind::none;
        Secret secret;
        std::optional<AwsKeys> aws;
        std::string project, location;  // google stores
        TimePoint expires{};
        bool valid = false;
        bool fetching = false;
        std::vector<Ready> waiting;
    };
    void start_exchange(const CredentialStoreConfig& store, Entry& entry);
    void exchange_done(const std::string& store_name, const TokenAnswer& answer);
    static CredentialResult view_of(const Entry& entry);

    const Config& config_;
    EnvLookup env_;
    transport::Io io_;
    TokenSource& tokens_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace sw::credentials
