// server_section.cpp — reading the config's `server` section.
#include "server_section.hpp"

#include "config/document.hpp"

namespace server {

namespace {

using sw::config::Node;

// An integer member from lo to hi; nullopt (with an error) otherwise.
std::optional<std::int64_t> whole_number(const Node& value, const std::string& path, std::int64_t lo,
                                         std::int64_t hi, std::vector<std::string>& errors) {
    if (value.kind != Node::Kind::integer || value.integer < lo || value.integer > hi) {
        errors.push_back(path + ": expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
        return std::nullopt;
    }
    return value.integer;
}

}  // namespace

void read_rate_limits_object(const Node& object, const std::string& path, RateLimits& limits,
                             std::vector<std::string>& errors) {
    if (!object.is_object()) {
        errors.push_back(path + ": expected an object of enabled, requests_per_minute, requests_per_hour, "
                                "requests_per_day and burst_size");
        return;
    }
    // A year of requests a second: far above any real limit, far below an overflow.
    constexpr std::int64_t kMost = 31'536'000'000;
    for (const auto& [key, value] : object.members) {
        const std::string at = path + "." + key;
        std::int64_t* count = key == "requests_per_minute" ? &limits.per_minute
                              : key == "requests_per_hour" ? &limits.per_hour
                              : key == "requests_per_day"  ? &limits.per_day
                              : key == "burst_size"        ? &limits.burst
                                                           : nullptr;
        if (key == "enabled") {
            if (value.kind != Node::Kind::boolean) errors.push_back(at + ": expected true or false");
            else limits.enabled = value.boolean;
        } else if (count != nullptr) {
            if (auto v = whole_number(value, at, 0, kMost, errors)) *count = *v;
        } else {
            errors.push_back(at + ": unknown key; expected enabled, requests_per_minute, requests_per_hour, "
                                  "requests_per_day or burst_size");
        }
    }
}

ServerSection read_server_section(const Node* section, const RateLimits& env_limits) {
    ServerSection out;
    out.rate_limits = env_limits;
    if (section == nullptr) return out;
    if (!section->is_object()) {
        out.errors.push_back("server: expected an object");
        return out;
    }
    for (const auto& [key, value] : section->members) {
        const std::string at = "server." + key;
        if (key == "host") {
            std::optional<std::string> address = value.is_string() ? listen_address(value.string) : std::nullopt;
            if (address) out.host = std::move(*address);
            else out.errors.push_back(at + ": expected a numeric IPv4 or IPv6 address, or localhost");
        } else if (key == "port") {
            if (auto v = whole_number(value, at, 0, 65535, out.errors)) out.port = static_cast<std::uint16_t>(*v);
        } else if (key == "workers") {
            if (auto v = whole_number(value, at, 1, 64, out.errors)) out.workers = static_cast<int>(*v);
        } else if (key == "debug") {
            // ModelMuxer's debug mode serves tracebacks; a gateway holding provider keys has none.
            if (value.kind != Node::Kind::boolean) out.errors.push_back(at + ": expected true or false");
            else if (value.boolean)
                out.errors.push_back(at + ": refused: switch-server has no debug mode, which would expose internals "
                                          "to clients; ask for a request's route with the x-switch-trace: 1 header");
        } else if (key == "rate_limits") {
            read_rate_limits_object(value, at, out.rate_limits, out.errors);
        } else {
            out.errors.push_back(at + ": unknown key; expected host, port, workers, debug or rate_limits");
        }
    }
    return out;
}

void apply_listen_settings(const ServerSection& section, Settings& settings) {
    if (section.host && !settings.host_from_flag) settings.host = *section.host;
    if (section.port && !settings.port_from_flag) settings.port = *section.port;
    if (section.workers && !settings.threads_from_flag) settings.threads = *section.workers;
}

}  // namespace server
