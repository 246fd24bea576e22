// token_source.hpp — the token exchanges of one router generation, shared by its I/O threads.
//
// Each I/O thread keeps its own CredentialCache, so that a cached credential is read without a
// lock. A token store's exchange, though, must happen once however many threads want the token:
// the first thread to miss runs it on its own I/O thread, and every thread that misses meanwhile
// waits for that one answer, which reaches it on its own I/O thread.
#pragma once

#include <switch/config.hpp>
#include <switch/config_loader.hpp>
#include <switch/secret.hpp>

#include "transport/io.hpp"

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sw::credentials {

// One exchange's result: a token and when to stop using it, or why there is none.
struct TokenAnswer {
    Secret access_token;
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
