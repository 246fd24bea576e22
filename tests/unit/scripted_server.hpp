// scripted_server.hpp — a loopback TCP server that answers each connection with scripted bytes,
// so transport tests control exactly what arrives and when (resets, truncation, stalls).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sw::test {

struct Step {
    enum class Kind { send, pause, close, reset, hang };
    Kind kind;
    std::string bytes;
    int millis = 0;
    static Step send(std::string b) { return {Kind::send, std::move(b), 0}; }
    static Step pause(int ms) { return {Kind::pause, {}, ms}; }
    static Step close() { return {Kind::close, {}, 0}; }
    static Step reset() { return {Kind::reset, {}, 0}; }
    // Keeps the connection open, sending nothing, until the client closes it.
    static Step hang() { return {Kind::hang, {}, 0}; }
};

class ScriptedServer {
public:
    explicit ScriptedServer(std::vector<Step> script) : script_(std::move(script)) {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 64) != 0)
            throw std::runtime_error("scripted server: cannot listen");
        socklen_t len = sizeof addr;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~ScriptedServer() {
        stop_ = true;
        ::shutdown(listener_, SHUT_RDWR);
        ::close(listener_);
        thread_.join();
        for (auto& t : workers_) t.join();
    }
    int port() const { return port_; }
    std::string url(const std::string& path = "/v1/chat/completions") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    int requests() const { return requests_.load(); }
    std::string last_request() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return last_request_;
    }

private:
    void serve() {
        while (!stop_) {
            pollfd pfd{listener_, POLLIN, 0};
            if (::poll(&pfd, 1, 50) <= 0) continue;
            int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) continue;
            workers_.emplace_back([this, fd] { handle(fd); });
        }
    }

    // Reads one request: headers, then Content-Length bytes of body.
    std::string read_request(int fd) {
        std::string data;
        char buf[4096];
        std::size_t need = std::string::npos;
        while (!stop_) {
            pollfd pfd{fd, POLLIN, 0};
            if (::poll(&pfd, 1, 50) <= 0) continue;
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) return data;
            data.append(buf, static_cast<std::size_t>(n));
            auto end = data.find("\r\n\r\n");
            if (end != std::string::npos && need == std::string::npos) {
                std::size_t length = 0;
                auto pos = data.find("Content-Length: ");
                if (pos != std::string::npos && pos < end) length = std::stoul(data.substr(pos + 16));
                need = end + 4 + length;
            }
            if (need != std::string::npos && data.size() >= need) return data;
        }
        return data;
    }

    void handle(int fd) {
        std::string request = read_request(fd);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            last_request_ = request;
        }
        ++requests_;
        for (const Step& step : script_) {
            switch (step.kind) {
                case Step::Kind::send: ::send(fd, step.bytes.data(), step.bytes.size(), MSG_NOSIGNAL); break;
                case Step::Kind::pause: std::this_thread::sleep_for(std::chrono::milliseconds(step.millis)); break;
                case Step::Kind::close: ::close(fd); return;
                case Step::Kind::reset: {
                    linger l{1, 0};  // close with RST
                    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
                    ::close(fd);
                    return;
                }
                case Step::Kind::hang: {
                    char buf[256];
                    while (!stop_) {
                        pollfd pfd{fd, POLLIN, 0};
                        if (::poll(&pfd, 1, 50) > 0 && ::recv(fd, buf, sizeof buf, 0) <= 0) break;
                    }
                    ::close(fd);
                    return;
                }
            }
        }
        ::close(fd);
    }

    std::vector<Step> script_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> requests_{0};
    mutable std::mutex mutex_;
    std::string last_request_;
    std::thread thread_;
    std::vector<std::thread> workers_;
};

}  // namespace sw::test
