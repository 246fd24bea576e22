// usage.cpp — `switchctl usage`: requests, errors, tokens, cost and latency from the usage ledger
// (docs/ledger.md), per model, provider, label or client key.
#include "commands.hpp"
#include "usage_report.hpp"

#include "common/database_url.hpp"
#include "common/json_writer.hpp"
#include "ledger/store.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace switchctl {

namespace {

constexpr const char* kUsage =
    "usage: switchctl usage [--since DURATION] [--by model|provider|label|key] [--json] [--database URL]\n"
    "  --since DURATION   only requests that finished in the last DURATION: 30s, 15m, 24h, 7d (default: all)\n"
    "  --by GROUP         one line per model (default), pool/provider, prompt label, or client key\n"
    "  --json             the report as JSON\n"
    "  --database URL     the ledger's database (default: DATABASE_URL): sqlite:///PATH or postgresql://...\n";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "switchctl usage: %s\n%s", message.c_str(), kUsage);
    return kExitUsage;
}

std::string shown(const std::string& key) { return key.empty() ? "-" : key; }

void write_group(sw::JsonWriter& w, const UsageGroup& g) {
    w.key("requests").integer(static_cast<std::int64_t>(g.requests));
    w.key("errors").integer(static_cast<std::int64_t>(g.errors));
    w.key("input_tokens").integer(g.input_tokens);
    w.key("output_tokens").integer(g.output_tokens);
    w.key("cost_usd").number(g.cost_usd);
    w.key("unpriced").integer(static_cast<std::int64_t>(g.unpriced));
    w.key("p50_latency_ms").number(g.p50_latency_ms);
    w.key("p99_latency_ms").number(g.p99_latency_ms);
}

}  // namespace

int run_usage(const std::vector<std::string>& args) {
    std::optional<std::int64_t> since_us;
    GroupBy by = GroupBy::model;
    std::string by_name = "model";
    bool json = false;
    std::optional<std::string> url;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size()) return std::nullopt;
            return args[++i];
        };
        if (a == "-h" || a == "--help") {
            std::fputs(kUsage, stdout);
            return kExitOk;
        } else if (a == "--json") {
            json = true;
        } else if (a == "--since") {
            auto v = value();
            if (!v) return usage_error("--since needs a DURATION");
            since_us = parse_duration_us(*v);
            if (!since_us) return usage_error(fmt::format("--since: \"{}\" is not a duration; write e.g. 30s, 15m, 24h or 7d", *v));
        } else if (a == "--by") {
            auto v = value();
            if (!v) return usage_error("--by needs model, provider, label or key");
            if (*v == "model") by = GroupBy::model;
            else if (*v == "provider") by = GroupBy::provider;
            else if (*v == "label") by = GroupBy::label;
            else if (*v == "key") by = GroupBy::key;
            else return usage_error(fmt::format("--by: \"{}\" is not one of model, provider, label, key", *v));
            by_name = *v;
        } else if (a == "--database") {
            url = value();
            if (!url) return usage_error("--database needs a URL");
        } else {
            return usage_error(fmt::format("unknown argument '{}'", a));
        }
    }
    std::string source = "--database";
    if (!url) {
        const char* env = std::getenv("DATABASE_URL");
        if (!env || !*env) return usage_error("no database: set DATABASE_URL or give --database URL");
        url = env;
        source = "DATABASE_URL";
    }
    std::string error;
    const std::optional<sw::DatabaseUrl> parsed = sw::parse_database_url(*url, error);
    if (!parsed) return usage_error(fmt::format("{}: {}", source, error));  // never the URL: it may hold a password

    const std::int64_t now_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    std::vector<sw::ledger::Row> rows;
    try {
        auto store = sw::ledger::make_store(*parsed);
        const std::string why = store->open(sw::ledger::Store::Mode::read);
        if (!why.empty()) throw std::runtime_error(why);
        rows = store->read(since_us ? now_us - *since_us : 0);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "switchctl usage: cannot read the ledger: %s\n", e.what());
        return kExitFailure;
    }
    const UsageReport report = summarize(rows, by);

    if (json) {
        sw::JsonWriter w;
        w.begin_object().key("by").string(by_name);
        if (since_us) w.key("since_seconds").integer(*since_us / 1000000);
        else w.key("since_seconds").null();
        w.key("groups").begin_array();
        for (const UsageGroup& g : report.groups) {
            w.begin_object().key(by_name).string(g.key);
            write_group(w, g);
            w.end_object();
        }
        w.end_array().key("total").begin_object();
        write_group(w, report.total);
        w.end_object().end_object();
        std::puts(w.take().c_str());
        return kExitOk;
    }
    std::size_t width = by_name.size();
    for (const UsageGroup& g : report.groups) width = std::max(width, shown(g.key).size());
    width = std::max<std::size_t>(width, 5);
    std::string out = fmt::format("{:<{}}  {:>8}  {:>6}  {:>12}  {:>12}  {:>12}  {:>10}  {:>10}\n", by_name, width,
                                  "requests", "errors", "input_tokens", "output_tokens", "cost_usd", "p50_ms", "p99_ms");
    auto line = [&](const std::string& key, const UsageGroup& g) {
        out += fmt::format("{:<{}}  {:>8}  {:>6}  {:>12}  {:>12}  {:>12.6f}  {:>10.3f}  {:>10.3f}\n", key, width,
                           g.requests, g.errors, g.input_tokens, g.output_tokens, g.cost_usd, g.p50_latency_ms,
                           g.p99_latency_ms);
    };
    for (const UsageGroup& g : report.groups) line(shown(g.key), g);
    line("total", report.total);
    std::fputs(out.c_str(), stdout);
    return kExitOk;
}

}  // namespace switchctl
