// database_schema.cpp — ModelMuxer's `database` section: the usage ledger's URL (docs/ledger.md).
// `url` works; the SQLAlchemy pool keys are checked and said to have no effect, since the
// ledger writes through one connection on a thread of its own.
#include "config/env_expand.hpp"
#include "config/schema.hpp"

#include "common/database_url.hpp"

#include <fmt/format.h>

namespace sw::config {

std::string database_url_error(std::string_view url) {
    if (url.empty()) return {};
    std::string error;
    parse_database_url(url, error);
    return error;
}

namespace {

// A pool key: a whole number in range (an error otherwise, like any other key), then a warning
// that it changes nothing.
void no_effect(Context& ctx, ObjectReader& r, std::string_view key, std::int64_t max) {
    if (!r.has(key)) return;
    if (!r.integer(key, 0, max)) return;  // already reported
    ctx.warning(r.path_of(key),
                "has no effect: the usage ledger writes through one connection, on a thread of its own "
                "(docs/ledger.md)",
                "remove it");
}

}  // namespace

void read_database(Context& ctx, const Node& node, Config& config) {
    ObjectReader r(ctx, node, "database", {"url", "pool_size", "max_overflow", "pool_timeout"});
    if (!r.valid()) return;
    if (const Node* url = r.get("url")) {
        const std::string path = r.path_of("url");
        // The guide writes url: "${DATABASE_URL}". Unset, that is the error any unset ${VAR} is;
        // the suggestion says how to mean "no ledger" instead (docs/ledger.md, "Decisions").
        if (url->is_string()) {
            Expansion e = expand_env(url->string, ctx.env);
            if (!e.error.empty() && e.error.find("is not set") != std::string::npos) {
                ctx.error(path, e.error,
                          "set it to turn the usage ledger on, or write \"${DATABASE_URL:-}\" to leave the ledger "
                          "off while it is unset");
                return;
            }
        }
        if (auto text = r.string("url")) {
            // Keys here override the environment's DATABASE_URL; an empty url turns the ledger off.
            if (std::string why = database_url_error(*text); !why.empty())
                ctx.error(path, why);  // the URL is never echoed: it may hold a password
            else
                config.database.url = Secret(std::move(*text));
        }
    }
    no_effect(ctx, r, "pool_size", 10000);
    no_effect(ctx, r, "max_overflow", 10000);
    no_effect(ctx, r, "pool_timeout", 86400);
}

}  // namespace sw::config
