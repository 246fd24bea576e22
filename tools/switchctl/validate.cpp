// validate.cpp — `switchctl validate`: diagnostics like a compiler's and a one-line summary.
#include "commands.hpp"
#include "resolve.hpp"

#include "common/json_writer.hpp"

#include <switch/config_loader.hpp>

#include <fmt/format.h>

#include <cstdio>

namespace switchctl {

namespace {
std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }
}  // namespace

int run_validate(const std::vector<std::string>& args) {
    bool json = false, resolve = false;
    std::string file;
    for (const auto& arg : args) {
        if (arg == "--json") {
            json = true;
        } else if (arg == "--resolve") {
            resolve = true;
        } else if (arg == "-h" || arg == "--help") {
            std::puts("usage: switchctl validate [--json] [--resolve] [FILE]");
            return kExitOk;
        } else if (!arg.empty() && arg[0] == '-') {
            std::fprintf(stderr, "switchctl validate: unknown option '%s'\nusage: switchctl validate [--json] [--resolve] [FILE]\n",
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
    // --resolve: each store resolved once (Vault, Secrets Manager, the metadata service, token
    // endpoints included). Only whether it worked and why not are printed, never a value.
    std::vector<StoreCheck> checks;
    if (resolve && result.ok()) checks = resolve_credential_stores(*result.config);
    std::size_t unresolved = 0;
    for (const auto& c : checks) unresolved += !c.error.empty();
    if (json) {
        std::string out = sw::format_diagnostics_json(result);
        if (resolve && result.ok() && !out.empty() && out.back() == '}') {
            // The diagnostics object, with the stores' results as one more member.
            out.pop_back();
            out += ",\"credentials\":[";
            for (std::size_t i = 0; i < checks.size(); ++i) {
                if (i) out += ',';
                out += "{\"store\":";
                sw::append_json_string(out, checks[i].store);
                out += checks[i].error.empty() ? ",\"resolved\":true}" : ",\"resolved\":false,\"error\":";
                if (!checks[i].error.empty()) {
                    sw::append_json_string(out, checks[i].error);
                    out += '}';
                }
            }
            out += "]}";
        }
        std::puts(out.c_str());
    } else {
        for (const auto& c : checks) {
            if (c.error.empty()) std::printf("credential store \"%s\": resolved\n", c.store.c_str());
            else std::printf("error: %s\n", c.error.c_str());
        }
        std::fputs(sw::format_diagnostics_text(result).c_str(), stdout);
        const auto& s = result.summary;
        std::printf("%s: %s: %s, %s, %s; %s, %s\n", result.origin.c_str(), result.ok() ? "valid" : "invalid",
                    plural(s.pools, "pool").c_str(), plural(s.providers, "provider").c_str(),
                    plural(s.models, "model").c_str(), plural(result.error_count(), "error").c_str(),
                    plural(result.warning_count(), "warning").c_str());
    }
    if (resolve && result.ok() && !json)
        std::printf("credentials: %zu of %s resolved\n", checks.size() - unresolved,
                    plural(checks.size(), "store").c_str());
    return result.ok() && unresolved == 0 ? kExitOk : kExitFailure;
}

}  // namespace switchctl
