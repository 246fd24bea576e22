// database_url.cpp — the two URL forms the ledger accepts: sqlite:// and postgres(ql)://.
#include "common/database_url.hpp"

namespace sw {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool has_control(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return true;
    return false;
}

}  // namespace

std::optional<DatabaseUrl> parse_database_url(std::string_view url, std::string& error) {
    if (has_control(url)) {
        error = "contains a control character";
        return std::nullopt;
    }
    if (starts_with(url, "sqlite:")) {
        if (!starts_with(url, "sqlite://")) {
            error = "a SQLite URL is sqlite:///ABSOLUTE/PATH or sqlite://RELATIVE/PATH";
            return std::nullopt;
        }
        std::string_view path = url.substr(9);  // "sqlite:///a" keeps "/a"; "sqlite://a" keeps "a"
        if (path.empty() || path == "/") {
            error = "the SQLite URL has no file path; expected sqlite:///ABSOLUTE/PATH or sqlite://RELATIVE/PATH";
            return std::nullopt;
        }
        if (path.back() == '/') {
            error = "the SQLite URL's path names a directory; it must name a file";
            return std::nullopt;
        }
        // ":memory:" and URI parameters would make a ledger that nothing else can read, or
        // change how SQLite opens the file: both are refused rather than half supported.
        if (path.find('?') != std::string_view::npos || path.find('#') != std::string_view::npos) {
            error = "the SQLite URL has a query or fragment; only a file path is supported";
            return std::nullopt;
        }
        if (path == ":memory:") {
            error = "an in-memory SQLite database would lose every row; give a file path";
            return std::nullopt;
        }
        return DatabaseUrl{DatabaseUrl::Kind::sqlite, std::string(path)};
    }
    if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
        if (url.find(' ') != std::string_view::npos) {
            error = "the PostgreSQL URL contains a space; percent-encode it as %20";
            return std::nullopt;
        }
        return DatabaseUrl{DatabaseUrl::Kind::postgres, std::string(url)};
    }
    // SQLAlchemy's driver suffixes (postgresql+asyncpg://, sqlite+aiosqlite://) are what a
    // ModelMuxer config may hold: name the form libswitch reads.
    if (starts_with(url, "postgresql+") || starts_with(url, "postgres+")) {
        error = "a driver suffix such as \"+asyncpg\" is not supported; write postgresql://...";
        return std::nullopt;
    }
    if (starts_with(url, "sqlite+")) {
        error = "a driver suffix such as \"+aiosqlite\" is not supported; write sqlite:///PATH";
        return std::nullopt;
    }
    const std::size_t colon = url.find("://");
    if (colon == std::string_view::npos)
        error = "not a URL; expected sqlite:///PATH, sqlite://RELATIVE/PATH or postgresql://...";
    else
        error = "unsupported scheme \"" + std::string(url.substr(0, colon)) +
                "\"; expected sqlite or postgresql (or postgres)";
    return std::nullopt;
}

std::string redact_database_url(std::string_view url) {
    const std::size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) return std::string(url);
    const std::size_t start = scheme + 3;
    const std::size_t end = url.find_first_of("/?#", start);
    const std::string_view authority = url.substr(start, end == std::string_view::npos ? url.npos : end - start);
    const std::size_t at = authority.rfind('@');
    if (at == std::string_view::npos) return std::string(url);
    const std::size_t colon = authority.substr(0, at).find(':');
    if (colon == std::string_view::npos) return std::string(url);
    std::string out(url.substr(0, start + colon + 1));
    out += "***";
    out += url.substr(start + at);
    return out;
}

}  // namespace sw
