// args.cpp — parsing [-c FILE] -m MODEL [--json] [flags] MESSAGE.
#include "args.hpp"

#include "commands.hpp"

#include <cstdio>

namespace switchctl {

std::optional<ModelMessageArgs> parse_model_message(const std::string& command, const std::vector<std::string>& args,
                                                    const char* usage, const std::set<std::string>& flags,
                                                    int& exit_code) {
    ModelMessageArgs out;
    exit_code = kExitUsage;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool takes_value = a == "-c" || a == "--config" || a == "-m" || a == "--model";
        if (takes_value && i + 1 >= args.size()) {
            std::fputs(usage, stderr);
            return std::nullopt;
        }
        if (a == "-c" || a == "--config") {
            out.file = args[++i];
        } else if (a == "-m" || a == "--model") {
            out.model = args[++i];
        } else if (a == "--json") {
            out.json = true;
        } else if (flags.count(a)) {
            out.flags.insert(a);
        } else if (a == "-h" || a == "--help") {
            std::fputs(usage, stdout);
            exit_code = kExitOk;
            return std::nullopt;
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "switchctl %s: unknown option '%s'\n%s", command.c_str(), a.c_str(), usage);
            return std::nullopt;
        } else if (out.message.empty()) {
            out.message = a;
        } else {
            std::fprintf(stderr, "switchctl %s: give the message as one argument (quote it)\n", command.c_str());
            return std::nullopt;
        }
    }
    if (out.model.empty() || out.message.empty()) {
        std::fputs(usage, stderr);
        return std::nullopt;
    }
    return out;
}

}  // namespace switchctl
