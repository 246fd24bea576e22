// redis_url.cpp — the one URL form the Redis client reads: redis://.
#include "common/redis_url.hpp"

#include "common/percent_encoding.hpp"

#include <charconv>

namespace sw {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool has_control(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f || c == ' ') return true;
    return false;
}

// A decimal number in [lo, hi], the whole of `s`.
std::optional<int> number(std::string_view s, int lo, int hi) {
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
    return v;
}

}  // namespace

std::optional<RedisUrl> parse_redis_url(std::string_view url, std::string& error) {
    if (has_control(url)) {
        error = "contains a space or a control character";
        return std::nullopt;
    }
    if (starts_with(url, "rediss://")) {
        // hiredis 0.14 (Debian 12's) has no TLS. A plain URL to a TLS terminator on loopback
        // (stunnel, or the provider's agent) is the way until it does.
        error = "TLS (rediss://) is not supported yet; use redis:// through a local TLS proxy such as stunnel";
        return std::nullopt;
    }
    if (starts_with(url, "unix:") || starts_with(url, "redis+unix:") || starts_with(url, "redis+socket:")) {
        error = "a unix socket URL is not supported; use redis://127.0.0.1:PORT";
        return std::nullopt;
    }
    if (!starts_with(url, "redis://")) {
        error = "not a Redis URL; expected redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]";
        return std::nullopt;
    }
    std::string_view rest = url.substr(8);
    if (const auto q = rest.find_first_of("?#"); q != std::string_view::npos) {
        error = "the Redis URL has a query or fragment; only redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] is read";
        return std::nullopt;
    }
    RedisUrl out;
    std::string_view authority = rest;
    std::string_view path;
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        authority = rest.substr(0, slash);
        path = rest.substr(slash + 1);
    }
    // The last '@': a password may hold one, percent-encoded or not.
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        if (colon == std::string_view::npos) {
            // redis://SECRET@host is how several clients write a password alone.
            out.password = Secret(percent_decoded(userinfo));
        } else {
            out.user = percent_decoded(userinfo.substr(0, colon));
            out.password = Secret(percent_decoded(userinfo.substr(colon + 1)));
        }
    }
    std::string_view host = authority;
    std::string_view port;
    if (starts_with(authority, "[")) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            error = "the Redis URL's IPv6 address has no closing ']'";
            return std::nullopt;
        }
        host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                error = "the Redis URL has text after its IPv6 address; expected [ADDRESS]:PORT";
                return std::nullopt;
            }
            port = after.substr(1);
            if (port.empty()) {
                error = "the Redis URL has a ':' but no port";
                return std::nullopt;
            }
        }
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
        if (port.empty()) {
            error = "the Redis URL has a ':' but no port";
            return std::nullopt;
        }
    }
    if (host.empty()) {
        error = "the Redis URL has no host; expected redis://HOST[:PORT][/DB]";
        return std::nullopt;
    }
    out.host = std::string(host);
    if (!port.empty()) {
        auto p = number(port, 1, 65535);
        if (!p) {
            error = "the Redis URL's port is not a number from 1 to 65535";
            return std::nullopt;
        }
        out.port = *p;
    }
    if (!path.empty()) {
        auto db = number(path, 0, 1 << 20);
        if (!db) {
            error = "the Redis URL's path must be a database number (redis://HOST:PORT/0)";
            return std::nullopt;
        }
        out.db = *db;
    }
    return out;
}

std::string describe_redis_url(const RedisUrl& url) {
    const bool v6 = url.host.find(':') != std::string::npos;
    std::string out = "redis://";
    if (v6) out += '[';
    out += url.host;
    if (v6) out += ']';
    out += ':' + std::to_string(url.port) + '/' + std::to_string(url.db);
    return out;
}

}  // namespace sw
