// settings.cpp — parsing switch-server's flags and environment.
#include "settings.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace server {

namespace {

constexpr int kExitUsage = 2;

constexpr const char* kUsage =
    "usage: switch-server [-c FILE] [--host H] [--port P] [--threads N] [--drain-seconds S]\n"
    "                     [--max-body-bytes N] [--max-header-bytes N] [--read-timeout S]\n"
    "\n"
    "An OpenAI-compatible HTTP gateway over libswitch's router.\n"
    "\n"
    "  -c, --config FILE     the config; without it, the library's load order (./definitions.json\n"
    "                        or .yaml, then MODEL_DEFINITIONS, then provider keys such as OPENAI_API_KEY)\n"
    "  --host H              numeric address to listen on (default 127.0.0.1; env HOST, HOSTNAME)\n"
    "  --port P              port, 0 for a free one (default 8000; env PORT)\n"
    "  --threads N           event-loop threads, 1..64 (default min(cores, 4); env WORKERS)\n"
    "  --drain-seconds S     on SIGTERM or SIGINT, how long in-flight requests may finish (default 30)\n"
    "  --max-body-bytes N    largest request body; larger gets 413 (default 8388608)\n"
    "  --max-header-bytes N  largest request header block (default 65536)\n"
    "  --read-timeout S      seconds a client may take to send a request (default 30)\n"
    "\n"
    "The router's metrics are at GET /metrics on the same port (env PROMETHEUS_PATH, PROMETHEUS_PORT).\n"
    "Flags win over the config's server section, which wins over the environment.\n"
    "Once listening, prints `listening on http://HOST:PORT`.\n"
    "See docs/server.md.\n";

bool parse_number(const std::string& text, long lo, long hi, long* out) {
    if (text.empty()) return false;
    char* end = nullptr;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (*end != '\0' || v < lo || v > hi) return false;
    *out = v;
    return true;
}


ParsedSettings usage_error(const std::string& message) {
    std::fprintf(stderr, "switch-server: %s\n%s", message.c_str(), kUsage);
    ParsedSettings out;
    out.exit_code = kExitUsage;
    return out;
}

}  // namespace

std::optional<std::string> listen_address(const std::string& host) {
    if (host == "localhost") return std::string("127.0.0.1");
    unsigned char buf[16];
    if (inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1) return host;
    return std::nullopt;
}

int Settings::default_threads() {
    const unsigned cores = std::thread::hardware_concurrency();
    return static_cast<int>(std::clamp(cores, 1u, 4u));
}

ParsedSettings parse_settings(const std::vector<std::string>& args, const EnvGetter& env) {
    ParsedSettings parsed;
    Settings s;
    long number = 0;

    // The environment first (the guides' names), so that flags override it.
    if (auto v = env("HOSTNAME")) {
        // Docker and many shells export HOSTNAME as the machine's name, not an address to
        // listen on: only an address is taken from it.
        if (auto address = listen_address(*v)) s.host = *address;
        else parsed.notes.push_back("HOSTNAME=" + *v + " is not a numeric address; ignored");
    }
    if (auto v = env("HOST")) {
        if (auto address = listen_address(*v)) s.host = *address;
        else return usage_error("HOST must be a numeric address, got \"" + *v + "\"");
    }
    if (auto v = env("PORT")) {
        if (!parse_number(*v, 0, 65535, &number)) return usage_error("PORT must be a number in 0..65535");
        s.port = static_cast<std::uint16_t>(number);
    }
    if (auto v = env("WORKERS")) {
        if (!parse_number(*v, 1, 64, &number)) return usage_error("WORKERS must be a number in 1..64");
        s.threads = static_cast<int>(number);
    }


    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-h" || a == "--help") {
            std::fputs(kUsage, stdout);
            return parsed;  // no settings, exit code 0
        }
        const bool takes_value = a == "-c" || a == "--config" || a == "--host" || a == "--port" ||
                                 a == "--threads" || a == "--drain-seconds" || a == "--max-body-bytes" ||
                                 a == "--max-header-bytes" || a == "--read-timeout";
        if (!takes_value) return usage_error("unknown argument \"" + a + "\"");
        if (i + 1 >= args.size()) return usage_error(a + " needs a value");
        const std::string& v = args[++i];
        if (a == "-c" || a == "--config") {
            s.config_file = v;
        } else if (a == "--host") {
            if (auto address = listen_address(v)) s.host = *address;
            else return usage_error("--host needs a numeric address, got \"" + v + "\"");
            s.host_from_flag = true;
        } else if (a == "--port") {
            if (!parse_number(v, 0, 65535, &number)) return usage_error("--port needs a number in 0..65535");
            s.port = static_cast<std::uint16_t>(number);
            s.port_from_flag = true;
        } else if (a == "--threads") {
            if (!parse_number(v, 1, 64, &number)) return usage_error("--threads needs a number in 1..64");
            s.threads = static_cast<int>(number);
            s.threads_from_flag = true;
        } else if (a == "--drain-seconds") {
            if (!parse_number(v, 0, 86400, &number)) return usage_error("--drain-seconds needs a number in 0..86400");
            s.drain_seconds = static_cast<int>(number);
        } else if (a == "--max-body-bytes") {
            if (!parse_number(v, 1, 1L << 30, &number)) return usage_error("--max-body-bytes needs a number in 1..2^30");
            s.max_body_bytes = static_cast<std::size_t>(number);
        } else if (a == "--max-header-bytes") {
            if (!parse_number(v, 1024, 1L << 24, &number))
                return usage_error("--max-header-bytes needs a number in 1024..2^24");
            s.max_header_bytes = static_cast<std::size_t>(number);
        } else if (a == "--read-timeout") {
            if (!parse_number(v, 1, 3600, &number)) return usage_error("--read-timeout needs a number in 1..3600");
            s.read_timeout_seconds = static_cast<int>(number);
        }
    }
    if (s.threads == 0) s.threads = Settings::default_threads();
    parsed.settings = std::move(s);
    return parsed;
}

}  // namespace server
