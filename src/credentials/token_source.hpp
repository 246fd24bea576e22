// token_source.hpp — the credential fetches of one router generation, shared by its I/O threads:
// token exchanges (oauth, google), Vault and Secrets Manager reads (the vault and aws-secrets
// sources) and instance-profile credentials (an aws store's useInstanceProfile).
//
// Each I/O thread keeps its own CredentialCache, so that a cached credential is read without a
// lock. A store's fetch, though, must happen once however many threads want its credentials:
// the first thread to miss runs it on its own I/O thread, and every thread that misses meanwhile
// waits for that one answer, which reaches it on its own I/O thread.
#pragma once

#include <switch/config.hpp>
#include <switch/config_loader.hpp>
#include <switch/secret.hpp>

#include "credentials/resolver.hpp"
#include "transport/io.hpp"

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sw::credentials {

// Whether a store's credentials come over the network (through a TokenSource), not from the
// environment, a file or the config.
bool fetched_remotely(const CredentialStoreConfig& store);

// One fetch's result: a token (or an API key, for the vault and aws-secrets sources), or AWS
// keys, and when to stop using it; or why there is none.
struct TokenAnswer {
    Secret access_token;
    std::optional<AwsKeys> aws;  // instance-profile stores
    TimePoint expires{};  // cacheTtl or the token's life, less the refresh margin
    std::string project, location;  // what a google store says besides its token
    std::string error;  // names the store, never a value
    bool ok() const { return error.empty(); }
};

class TokenSource {
public:
    using Done = std::function<void(const TokenAnswer&)>;

    // `config` must outlive the source.
    TokenSource(const Config& config, EnvLookup env);

    // From `io`'s thread. Calls `done` exactly once, on that thread: at once when an earlier
    // exchange's token is still good, otherwise when the store's exchange ends (one exchange,
    // on the I/O thread that started it, serves every thread waiting).
    // The lock is held only to look up and update the store's slot, never across a callback.
    void fetch(const CredentialStoreConfig& store, transport::Io io, Done done);

private:
    struct Waiter {
        transport::EventLoop* loop;  // whose thread `done` runs on
        Done done;
    };
    struct Slot {
        TokenAnswer last;  // the latest good token; `expires` is {} before the first
        bool fetching = false;
        std::vector<Waiter> waiting;
    };
    void start_exchange(const CredentialStoreConfig& store, transport::Io io);
    void finish(const std::string& store_name, const TokenAnswer& answer);

    const Config& config_;
    EnvLookup env_;
    std::mutex mutex_;  // guards slots_
    std::unordered_map<std::string, Slot> slots_;
};

}  // namespace sw::credentials
