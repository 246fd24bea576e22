// validate.cpp — `switchctl validate`: diagnostics like a compiler's and a one-line summary.
#include "commands.hpp"

#include <switch/config_loader.hpp>

#include <fmt/format.h>

#include <cstdio>

namespace switchctl {

namespace {
std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }
}  // namespace

int run_validate(const std::vector<std::string>& args) {
    bool json = false;
    std::string file;
    for (const auto& arg : args) {
        if (arg == "--json") {
            json = true;
        } else if (arg == "-h" || arg == "--help") {
            std::puts("usage: switchctl validate [--json] [FILE]");
            return kExitOk;
        } else if (!arg.empty() && arg[0] == '-') {
            std::fprintf(stderr, "switchctl validate: unknown option '%s'\nusage: switchctl validate [--json] [FILE]\n",
                         arg.c_str());
            return kExitUsage;
        } else if (file.empty()) {
            file = arg;
        } else {
            std::fputs("switchctl validate: give at most one FILE\n", stderr);
            return kExitUsage;
        }
    }
    const sw::LoadResult result = file.empty() ? sw::load_config_default() : sw::load_config_file(file);
    if (json) {
        std::puts(sw::format_diagnostics_json(result).c_str());
    } else {
        std::fputs(sw::format_diagnostics_text(result).c_str(), stdout);
        const auto& s = result.summary;
        std::printf("%s: %s: %s, %s, %s; %s, %s\n", result.origin.c_str(), result.ok() ? "valid" : "invalid",
                    plural(s.pools, "pool").c_str(), plural(s.providers, "provider").c_str(),
                    plural(s.models, "model").c_str(), plural(result.error_count(), "error").c_str(),
                    plural(result.warning_count(), "warning").c_str());
    }
    return result.ok() ? kExitOk : kExitFailure;
}

}  // namespace switchctl
