// redis_server.hpp — a throwaway redis-server for one test: Debian's `redis-server` started on a
// free loopback port with no persistence (no RDB, no AOF, its files in a temp dir), stopped and
// removed at the end. It can be stopped and started again on the same port (a restart, as a
// client sees one), and paused with SIGSTOP (a server that accepts nothing and answers nothing:
// slow, as far as a client can tell). tools/deps.sh installs the package.
//
// Where redis-server is absent, SWITCH_REDIS_OR_SKIP reports the test skipped with a
// message, locally; under CI=true it fails instead, so that CI never passes by skipping.
#pragma once

#include "loopback_port.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace sw::test {

// The redis-server binary, or nullopt when Debian's redis-server package is not installed.
inline std::optional<std::string> redis_server_path() {
    for (const char* p : {"/usr/bin/redis-server", "/usr/local/bin/redis-server"})
        if (::access(p, X_OK) == 0) return std::string(p);
    return std::nullopt;
}

class RedisServer {
public:
    // `password`: set as requirepass when not empty.
    explicit RedisServer(std::string binary, std::string password = {})
        : binary_(std::move(binary)), password_(std::move(password)) {
        std::random_device rd;
        dir_ = std::filesystem::temp_directory_path() / fmt::format("switch-redis-{}{}", rd(), rd());
        std::filesystem::create_directories(dir_);
        // A free port can be taken by another test's server between closed_port() and the bind
        // (ctest runs tests in parallel): a server that cannot bind exits, and gets another port.
        for (int attempt = 1;; ++attempt) {
            port_ = closed_port();
            try {
                start();
                return;
            } catch (const std::runtime_error&) {
                if (attempt == 3) throw;
            }
        }
    }
    ~RedisServer() {
        if (pid_ > 0) {
            ::kill(pid_, SIGCONT);  // a paused server must be able to die
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    // Starts the server on its port and waits until it accepts connections (5 s at most).
    void start() {
        std::vector<std::string> argv = {binary_, "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                         "--dir", dir_.string(), "--save", "", "--appendonly", "no",
                                         "--daemonize", "no", "--protected-mode", "yes",
                                         "--logfile", (dir_ / "server.log").string()};
        if (!password_.empty()) argv.insert(argv.end(), {"--requirepass", password_});
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error("cannot start redis-server");
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!accepting()) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = 0;
                throw std::runtime_error("redis-server exited at start: " + log());
            }
            if (std::chrono::steady_clock::now() > deadline) {
                kill();
                throw std::runtime_error("redis-server did not start: " + log());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    // Kills the server at once (SIGKILL): every connection ends without a goodbye, and what it
    // held is gone, as in a crash.
    void kill() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGCONT);
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = 0;
    }
    // A paused server keeps its connections and its port but answers nothing.
    void pause() { ::kill(pid_, SIGSTOP); }
    void resume() { ::kill(pid_, SIGCONT); }

    int port() const { return port_; }
    std::string url() const { return fmt::format("redis://127.0.0.1:{}/0", port_); }
    bool running() const { return pid_ > 0; }

private:
    bool accepting() const {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(port_));
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        ::close(fd);
        return ok;
    }
    std::string log() const {
        std::ifstream in(dir_ / "server.log");
        std::stringstream out;
        out << in.rdbuf();
        return out.str();
    }

    std::string binary_;
    std::string password_;
    std::filesystem::path dir_;
    int port_ = 0;
    pid_t pid_ = 0;
};

// Declares `var`, the redis-server binary; without one, reports the test skipped (locally) or
// failed (CI=true) and returns from the test.
// A macro, because FAIL, WARN and the return must be in the test body itself.
#define SWITCH_REDIS_OR_SKIP(var)                                                                  \
    const std::optional<std::string> var = ::sw::test::redis_server_path();                       \
    if (!var) {                                                                                    \
        const char* ci_ = std::getenv("CI");                                                       \
        if (ci_ && std::string(ci_) == "true") FAIL("redis-server is not installed; tools/deps.sh installs it"); \
        WARN("SKIPPED: Redis's server (Debian's redis-server package) is not installed");         \
        return;                                                                                    \
    }

}  // namespace sw::test
