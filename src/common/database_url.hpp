// database_url.hpp — DATABASE_URL / `database.url`: which store the usage ledger writes to
// (docs/ledger.md). Parsed here, below both the config loader (which reports a bad one with its
// path) and the ledger (which opens it), so that both read it one way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sw {

struct DatabaseUrl {
    enum class Kind { sqlite, postgres };
    Kind kind = Kind::sqlite;
    // sqlite: the file's path (absolute for sqlite:///ABS, relative to the working directory for
    // sqlite://REL). postgres: the whole URL, which libpq reads itself.
    std::string target;
};

// The store a URL names, or nullopt with the reason in `error`. The reason never echoes the URL:
// it may hold a password.
std::optional<DatabaseUrl> parse_database_url(std::string_view url, std::string& error);

// The URL with any password replaced by "***", for messages.
std::string redact_database_url(std::string_view url);

}  // namespace sw
