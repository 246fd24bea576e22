// cache_control.cpp — see cache_control.hpp.
#include "cache_control.hpp"

#include <charconv>
#include <cstdint>

namespace server {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

constexpr std::int64_t kMaxAge = 30LL * 24 * 3600;  // the config's bound on default_ttl

}  // namespace

std::string read_cache_control(std::string_view header, sw::CacheOptions& out) {
    while (!header.empty()) {
        const std::size_t comma = header.find(',');
        const std::string_view directive = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        const std::size_t eq = directive.find('=');
        const std::string_view name = trim(directive.substr(0, eq));
        if (iequals(name, "no-cache")) {
            out.no_cache = true;
        } else if (iequals(name, "no-store")) {
            out.no_store = true;
        } else if (iequals(name, "max-age")) {
            std::string_view value = eq == std::string_view::npos ? std::string_view() : trim(directive.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
            std::int64_t seconds = -1;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
            if (value.empty() || ec != std::errc() || end != value.data() + value.size() || seconds < 0 ||
                seconds > kMaxAge)
                return "Cache-Control: max-age must be a whole number of seconds from 0 to 2592000 (30 days)";
            out.ttl = std::chrono::seconds(seconds);
        }
    }
    return {};
}

}  // namespace server
