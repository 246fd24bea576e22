// client_gate.cpp — a count of calls in progress and a pointer cleared at close.
#include "cache/client_gate.hpp"

#include <thread>

namespace sw::cache {

void ClientGate::call(std::vector<std::string> args, redis::Connection::Callback done) {
    calls_.fetch_add(1);
    redis::Client* client = client_.load();
    if (!client) {
        calls_.fetch_sub(1);
        done(redis::Result{});  // unavailable
        return;
    }
    // `done` may run inside this call (no connection up): it runs while counted, which only
    // makes a concurrent close() wait for it; it never waits on the gate itself.
    client->call(std::move(args), std::move(done));
    calls_.fetch_sub(1);
}

void ClientGate::close() {
    client_.store(nullptr);
    while (calls_.load() != 0) std::this_thread::yield();
}

}  // namespace sw::cache
