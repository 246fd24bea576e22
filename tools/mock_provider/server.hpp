// server.hpp — the mock provider's HTTP server: N threads, each its own loop, all on one port.
#pragma once

#include "stats.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mock {

class Worker;

struct ServerOptions {
    std::string host = "127.0.0.1";  // must be a loopback address; main() checks
    std::uint16_t port = 0;          // 0: the kernel picks one
    int threads = 2;
};

class Server {
public:
    // Binds every thread's listener (SO_REUSEPORT) without starting them; nullptr and *error on failure.
    static std::unique_ptr<Server> bind(const ServerOptions& options, std::string* error);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    std::uint16_t port() const { return port_; }
    void start();
    // Stops every loop, joins the threads and frees the connections; safe to call twice.
    void stop();

private:
    Server() = default;

    Stats stats_;
    std::uint16_t port_ = 0;
    std::vector<std::unique_ptr<Worker>> workers_;
    bool running_ = false;
};

}  // namespace mock
