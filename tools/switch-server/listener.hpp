// listener.hpp — the worker threads: each has its own event loop, and all accept from one
// listening socket (each loop holds a dup of it; the loop that wins an accept serves the
// connection, the others see EAGAIN).
#pragma once

#include "gateway.hpp"
#include "settings.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace server {

class Worker;

class Listener {
public:
    // Binds every worker's socket without starting the loops; nullptr and *error on failure.
    static std::unique_ptr<Listener> bind(Gateway& gateway, const Settings& settings, std::string* error);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    std::uint16_t port() const { return port_; }
    void start();
    // Closes every listening socket, from each worker's own thread; in-flight requests go on.
    void stop_accepting();
    // Stops the loops and joins their threads. The workers (and their connections) stay until
    // free_workers(), so that the router's last callbacks can still post to their mailboxes.
    void stop();
    void free_workers();

private:
    Listener() = default;

    std::uint16_t port_ = 0;
    std::vector<std::unique_ptr<Worker>> workers_;
    bool running_ = false;
};

}  // namespace server
