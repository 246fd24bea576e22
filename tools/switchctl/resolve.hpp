// resolve.hpp — `switchctl validate --resolve`: each credential store resolved once, as a router
// would at first use (the same CredentialCache and TokenSource, on an HTTP engine of its own).
#pragma once

#include <switch/config.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace switchctl {

struct StoreCheck {
    std::string store;
    std::string error;  // empty when the store resolved; names what failed, never a value
};

// Every store of `config`, in its order. A store that has not answered within `limit` is
// reported as such.
std::vector<StoreCheck> resolve_credential_stores(const sw::Config& config,
                                                  std::chrono::milliseconds limit = std::chrono::seconds(40));

}  // namespace switchctl
