// server_section.hpp — the config's `server` section (ModelMuxer's): where to listen, how many
// event loops, and the per-client rate limits (docs/server.md, "The config's server section").
// The library leaves this section to the server; the server reads it at start, on SIGHUP and on
// each config edit, and refuses the change when it is wrong.
#pragma once

#include "rate_limit.hpp"
#include "settings.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sw::config {
struct Node;
}

namespace server {

struct ServerSection {
    std::optional<std::string> host;  // a numeric address
    std::optional<std::uint16_t> port;
    std::optional<int> workers;  // event-loop threads
    // RATE_LIMIT_* from the environment, with `rate_limits` from the section over them.
    RateLimits rate_limits;
    std::vector<std::string> errors;  // each "PATH: reason", never quoting a value
    std::vector<std::string> notes;   // accepted keys that have no effect, and why
};

// `section` is the config's `server` object, or null when it has none; `env_limits` are the
// limits RATE_LIMIT_* give.
ServerSection read_server_section(const sw::config::Node* section, const RateLimits& env_limits);

// The keys of a `rate_limits` object (also the body of PUT /api/v1/config/rate-limits) over
// `limits`; problems are added to `errors` under `path`.
void read_rate_limits_object(const sw::config::Node& object, const std::string& path, RateLimits& limits,
                             std::vector<std::string>& errors);

// The section's host, port and workers, where no flag set them.
void apply_listen_settings(const ServerSection& section, Settings& settings);

}  // namespace server
