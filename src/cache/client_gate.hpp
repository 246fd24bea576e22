// client_gate.hpp — the Redis client as the redis store calls it: closable, so that the client
// can be destroyed while stores and lookups may still come. The router must destroy its cache's
// client before its I/O threads stop (the client closes its connections on their loops), yet the
// requests those threads complete at shutdown still store their answers, through a cache they
// hold. Once closed, a call answers `unavailable` at once, as a client with nothing up does.
#pragma once

#include "redis/client.hpp"

#include <atomic>
#include <string>
#include <vector>

namespace sw::cache {

class ClientGate {
public:
    explicit ClientGate(redis::Client& client) : client_(&client) {}

    // From any thread. `done` runs once, as redis::Client::call says, perhaps before this returns.
    void call(std::vector<std::string> args, redis::Connection::Callback done);
    // After this returns, no call reaches the client, which may then be destroyed. Waits only for
    // calls already inside Client::call, which never blocks. Not from inside a call's `done`.
    void close();

private:
    // A call announces itself in `calls_` before it reads `client_`; close() clears `client_`
    // before it reads `calls_`. Both sequentially consistent: either the call sees null, or
    // close() sees the call and waits for it.
    std::atomic<redis::Client*> client_;
    std::atomic<int> calls_{0};
};

}  // namespace sw::cache
