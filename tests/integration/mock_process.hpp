// mock_process.hpp — runs switch-mock-provider as a child process on a free loopback port, and
// reads its attempt counters, for integration tests over real HTTP.
#pragma once

#include "loopback_port.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <simdjson.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace sw::test {

class MockProcess {
public:
    // `extra_args` are more command-line options, e.g. {"--jwt-public-key", path}.
    explicit MockProcess(const std::vector<std::string>& extra_args = {}) {
        int in[2], out[2];
        if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], 0);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_addclose(&actions, in[1]);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        std::vector<const char*> argv = {SWITCH_MOCK_PROVIDER_PATH, "--port", "0", "--exit-on-stdin-eof"};
        for (const std::string& arg : extra_args) argv.push_back(arg.c_str());
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, argv[0], &actions, nullptr, const_cast<char**>(argv.data()), environ) != 0)
            throw std::runtime_error("cannot start the mock provider");
        posix_spawn_file_actions_destroy(&actions);
        ::close(in[0]);
        ::close(out[1]);
        stdin_ = in[1];  // closing it stops the mock, even if this process dies
        std::string line;
        char c;
        while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
        ::close(out[0]);
        const std::string prefix = "listening on ";
        if (line.rfind(prefix, 0) != 0) throw std::runtime_error("mock provider did not start: " + line);
        base_ = line.substr(prefix.size());
    }
    ~MockProcess() {
        ::close(stdin_);
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    MockProcess(const MockProcess&) = delete;
    MockProcess& operator=(const MockProcess&) = delete;

    // http://127.0.0.1:PORT
    const std::string& base() const { return base_; }
    int port() const { return std::stoi(base_.substr(base_.rfind(':') + 1)); }

    // Attempts the mock received for a scenario key (the model string it was sent).
    std::int64_t attempts(const std::string& key) const {
        std::string stats = get("/__stats");
        simdjson::dom::parser parser;
        simdjson::dom::element root = parser.parse(stats);
        std::int64_t n = 0;
        if (root["attempts"][key].get(n)) return 0;
        return n;
    }
    // Waits until the mock has received `n` attempts for `key`, or `timeout` has passed; true if
    // it has. For tests that need a request to be in flight at the provider.
    bool wait_for_attempts(const std::string& key, std::int64_t n,
                           std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (attempts(key) < n) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return true;
    }
    std::int64_t total() const {
        std::string stats = get("/__stats");
        simdjson::dom::parser parser;
        return parser.parse(stats)["total"].get_int64().value();
    }
    // The last request headers the mock saw for a key (lowercase names), as JSON text.
    std::string last_headers_json() const { return get("/__stats"); }
    void reset() const { request("/__reset", true); }

private:
    static std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
        static_cast<std::string*>(out)->append(data, size * n);
        return size * n;
    }
    std::string request(const std::string& path, bool post) const {
        CURL* curl = curl_easy_init();
        std::string body;
        const std::string url = base_ + path;
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &MockProcess::collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
        if (post) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
        CURLcode rc = curl_easy_perform(curl);
        curl_easy_cleanup(curl);
        if (rc != CURLE_OK) throw std::runtime_error("mock provider unreachable: " + url);
        return body;
    }
    std::string get(const std::string& path) const { return request(path, false); }

    pid_t pid_ = 0;
    int stdin_ = -1;
    std::string base_;
};


}  // namespace sw::test
