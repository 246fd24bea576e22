// settings.hpp — switch-server's settings: command-line flags over the config's `server` section
// (server_section.hpp) over the guides' environment variables over the defaults.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace server {

struct Settings {
    std::string config_file;  // empty: the library's default load order
    std::string host = "127.0.0.1";
    std::uint16_t port = 8000;
    int threads = 0;  // 0: default_threads()
    int drain_seconds = 30;
    // Limits a slow or hostile client meets (docs/server.md, "Limits").
    std::size_t max_body_bytes = 8u * 1024u * 1024u;
    std::size_t max_header_bytes = 64u * 1024u;
    int read_timeout_seconds = 30;
    // Where the router's metrics are served: the config's (PROMETHEUS_PATH, PROMETHEUS_PORT),
    // set once it is loaded. Port 0: the gateway's own.
    std::string metrics_path = "/metrics";
    std::uint16_t metrics_port = 0;
    // Set by a flag, so that the config's `server` section leaves them alone.
    bool host_from_flag = false;
    bool port_from_flag = false;
    bool threads_from_flag = false;

    // min(cores, 4), at least 1: as many event loops as the router has I/O threads by default.
    static int default_threads();
};

// What parsing decided: run with `settings`, or exit at once with `exit_code` (help, usage error).
struct ParsedSettings {
    std::optional<Settings> settings;
    int exit_code = 0;
    std::vector<std::string> notes;  // things ignored, with the reason, for stderr
};

using EnvGetter = std::function<std::optional<std::string>(const char* name)>;

// `host` as an address to listen on: a numeric IPv4 or IPv6 address as it is, `localhost` as
// 127.0.0.1; nullopt for anything else (a name would need a lookup, and could mean several).
std::optional<std::string> listen_address(const std::string& host);

// Reads PORT, HOST, HOSTNAME and WORKERS through `env`, then the flags in `args` (argv[1..]).
// Prints usage or the error itself.
ParsedSettings parse_settings(const std::vector<std::string>& args, const EnvGetter& env);

}  // namespace server
