// main.cpp — switch-mock-provider: a loopback OpenAI-compatible server with scriptable faults, for tests.
#include "server.hpp"
#include "token_endpoint.hpp"

#include <event2/event.h>
#include <event2/thread.h>

#include <arpa/inet.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace {

constexpr const char* kUsage =
    "usage: switch-mock-provider [--host 127.0.0.1] [--port 0] [--threads 2] [--exit-on-stdin-eof]\n"
    "                            [--jwt-public-key FILE]\n"
    "\n"
    "  --host ADDR           loopback address to listen on (127.0.0.0/8 or ::1)\n"
    "  --port N              port; 0 lets the kernel pick one (printed on stdout)\n"
    "  --threads N           server threads, 1..64 (default 2)\n"
    "  --exit-on-stdin-eof   exit when stdin closes, so a test harness never leaves it behind\n"
    "  --jwt-public-key FILE PEM public key that checks the signature of jwt-bearer assertions\n"
    "\n"
    "Prints `listening on http://HOST:PORT` once bound. See docs/mock-provider.md for the\n"
    "endpoints and the fault scripting grammar.\n";

constexpr int kExitUsage = 2;

bool is_loopback(const std::string& host) {
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
}

bool parse_int(std::string_view text, long lo, long hi, long* out) {
    if (text.empty()) return false;
    char* end = nullptr;
    std::string copy(text);
    long v = std::strtol(copy.c_str(), &end, 10);
    if (*end != '\0' || v < lo || v > hi) return false;
    *out = v;
    return true;
}

int usage_error(const std::string& message) {
    std::fprintf(stderr, "switch-mock-provider: %s\n%s", message.c_str(), kUsage);
    return kExitUsage;
}

void on_signal(evutil_socket_t, short, void* base) { event_base_loopbreak(static_cast<event_base*>(base)); }

void on_stdin(evutil_socket_t fd, short, void* base) {
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) event_base_loopbreak(static_cast<event_base*>(base));
}

}  // namespace

int main(int argc, char** argv) {
    mock::ServerOptions options;
    bool exit_on_stdin_eof = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        long number = 0;
        if (arg == "-h" || arg == "--help") {
            std::fputs(kUsage, stdout);
            return 0;
        } else if (arg == "--exit-on-stdin-eof") {
            exit_on_stdin_eof = true;
        } else if (arg == "--jwt-public-key") {
            const char* v = value();
            std::ifstream in(v == nullptr ? "" : v);
            std::ostringstream pem;
            pem << in.rdbuf();
            if (v == nullptr || !in || !mock::set_jwt_public_key(pem.str()))
                return usage_error("--jwt-public-key needs a readable PEM public key file");
        } else if (arg == "--host") {
            const char* v = value();
            if (v == nullptr) return usage_error("--host needs a value");
            options.host = v;
        } else if (arg == "--port") {
            const char* v = value();
            if (v == nullptr || !parse_int(v, 0, 65535, &number)) return usage_error("--port needs a number in 0..65535");
            options.port = static_cast<std::uint16_t>(number);
        } else if (arg == "--threads") {
            const char* v = value();
            if (v == nullptr || !parse_int(v, 1, 64, &number)) return usage_error("--threads needs a number in 1..64");
            options.threads = static_cast<int>(number);
        } else {
            return usage_error("unknown argument \"" + std::string(arg) + "\"");
        }
    }
    if (options.host == "localhost") options.host = "127.0.0.1";
    if (!is_loopback(options.host)) {
        return usage_error("--host " + options.host +
                           " is not a loopback address; the mock listens on 127.0.0.0/8 or ::1 only, so that "
                           "tests never expose it to the network");
    }

    // A client that leaves mid-answer must not kill the server with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    // Before any event_base exists: the main thread stops the server threads' loops.
    evthread_use_pthreads();

    event_base* base = event_base_new();
    event* sigint = evsignal_new(base, SIGINT, &on_signal, base);
    event* sigterm = evsignal_new(base, SIGTERM, &on_signal, base);
    event_add(sigint, nullptr);
    event_add(sigterm, nullptr);
    event* stdin_event = nullptr;
    if (exit_on_stdin_eof) {
        stdin_event = event_new(base, STDIN_FILENO, EV_READ | EV_PERSIST, &on_stdin, base);
        if (event_add(stdin_event, nullptr) != 0) {
            std::fputs("switch-mock-provider: --exit-on-stdin-eof needs stdin to be a pipe, socket or terminal\n",
                       stderr);
            return kExitUsage;
        }
    }

    std::string error;
    std::unique_ptr<mock::Server> server = mock::Server::bind(options, &error);
    if (!server) {
        std::fprintf(stderr, "switch-mock-provider: %s\n", error.c_str());
        return 1;
    }
    server->start();
    const bool v6 = options.host.find(':') != std::string::npos;
    std::printf("listening on http://%s%s%s:%u\n", v6 ? "[" : "", options.host.c_str(), v6 ? "]" : "",
                static_cast<unsigned>(server->port()));
    std::fflush(stdout);

    event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);

    server->stop();
    server.reset();
    if (stdin_event != nullptr) event_free(stdin_event);
    event_free(sigint);
    event_free(sigterm);
    event_base_free(base);
    libevent_global_shutdown();
    return 0;
}
