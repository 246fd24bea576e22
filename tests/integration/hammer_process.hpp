// hammer_process.hpp — runs switch_redis_hammer (redis_hammer.cpp) as a process of its own and
// reads what it printed: the other processes of the cross-process tests.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace sw::test {

class HammerProcess {
public:
    explicit HammerProcess(std::vector<std::string> args) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
        posix_spawn_file_actions_addclose(&actions, fds[0]);
        args.insert(args.begin(), SWITCH_REDIS_HAMMER_PATH);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        const int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(fds[1]);
        if (rc != 0) {
            ::close(fds[0]);
            throw std::runtime_error("cannot start switch_redis_hammer");
        }
        out_ = fds[0];
    }
    ~HammerProcess() {
        if (out_ >= 0) ::close(out_);
        if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
    }
    HammerProcess(const HammerProcess&) = delete;
    HammerProcess& operator=(const HammerProcess&) = delete;

    // Waits for the end: what it printed, and whether it exited with 0.
    std::string finish(bool& ok) {
        std::string out;
        char buf[256];
        ssize_t n;
        while ((n = ::read(out_, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
        ::close(out_);
        out_ = -1;
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = 0;
        ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        return out;
    }

private:
    pid_t pid_ = 0;
    int out_ = -1;
};

}  // namespace sw::test
