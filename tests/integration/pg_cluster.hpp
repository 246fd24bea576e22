// pg_cluster.hpp — a throwaway PostgreSQL cluster for one test: initdb into a temp dir, started
// with pg_ctl on a free loopback port (TCP on 127.0.0.1 only, its socket in the temp dir, trust
// authentication for the one user "switch"), stopped and removed at the end. Needs Debian's
// `postgresql` package (tools/deps.sh installs it). initdb refuses to run as root: as root, the
// server's commands run as the `postgres` user the package creates, through runuser.
#pragma once

#include "loopback_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fmt/format.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pwd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace sw::test {


// The directory of initdb and pg_ctl, or nullopt when the server is not installed.
inline std::optional<std::string> postgres_bindir() {
    namespace fs = std::filesystem;
    std::vector<fs::path> candidates;
    if (FILE* p = ::popen("pg_config --bindir 2>/dev/null", "r")) {
        char buf[512] = {};
        if (std::fgets(buf, sizeof buf, p)) {
            std::string dir(buf);
            while (!dir.empty() && (dir.back() == '\n' || dir.back() == ' ')) dir.pop_back();
            candidates.emplace_back(dir);
        }
        ::pclose(p);
    }
    std::error_code ec;
    // pg_config comes with libpq-dev and may name a directory without the server: look for it.
    for (const auto& version : fs::directory_iterator("/usr/lib/postgresql", ec))
        candidates.push_back(version.path() / "bin");
    for (const fs::path& dir : candidates)
        if (fs::exists(dir / "initdb") && fs::exists(dir / "pg_ctl")) return dir.string();
    return std::nullopt;
}

class PgCluster {
public:
    explicit PgCluster(std::string bindir) : bindir_(std::move(bindir)) {
        std::random_device rd;
        dir_ = std::filesystem::temp_directory_path() / fmt::format("switch-pg-{}{}", rd(), rd());
        std::filesystem::create_directories(dir_);
        if (::geteuid() == 0) {
            const passwd* pw = ::getpwnam("postgres");
            if (!pw) throw std::runtime_error("running as root, and there is no postgres user to run initdb as");
            if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown of the temp dir");
            as_postgres_ = true;
        }
        port_ = closed_port();
        run({bindir_ + "/initdb", "-D", data(), "-U", "switch", "--auth=trust", "-E", "UTF8", "--no-sync"},
            "initdb");
        start();
    }
    ~PgCluster() {
        try {
            if (running_) run({bindir_ + "/pg_ctl", "-D", data(), "-m", "immediate", "-w", "stop"}, "pg_ctl stop");
        } catch (...) {
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    void start() {
        const std::string options =
            fmt::format("-k {} -p {} -c listen_addresses=127.0.0.1 -c fsync=off", dir_.string(), port_);
        run({bindir_ + "/pg_ctl", "-D", data(), "-l", (dir_ / "server.log").string(), "-o", options, "-w", "start"},
            "pg_ctl start");
        running_ = true;
    }
    // A fast stop: the server ends every connection, as a crash or a restart would for a client.
    void stop() {
        run({bindir_ + "/pg_ctl", "-D", data(), "-m", "fast", "-w", "stop"}, "pg_ctl stop");
        running_ = false;
    }

    std::string url() const { return fmt::format("postgresql://switch@127.0.0.1:{}/postgres", port_); }
    int port() const { return port_; }

private:
    std::string data() const { return (dir_ / "data").string(); }

    // Runs a server command to its end (as postgres when root); throws with its output on failure.
    void run(std::vector<std::string> argv, const char* what) const {
        if (as_postgres_) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
        const std::string log = (dir_ / "command.log").string();
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        pid_t pid = 0;
        const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error(fmt::format("{}: cannot start {}", what, argv[0]));
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::ifstream in(log);
            std::stringstream out;
            out << in.rdbuf();
            throw std::runtime_error(fmt::format("{} failed: {}", what, out.str()));
        }
    }

    std::string bindir_;
    std::filesystem::path dir_;
    int port_ = 0;
    bool as_postgres_ = false;
    bool running_ = false;
};

}  // namespace sw::test
