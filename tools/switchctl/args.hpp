// args.hpp — the arguments `chat` and `route` share: [-c FILE] -m MODEL [--json] [flags] MESSAGE.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace switchctl {

struct ModelMessageArgs {
    std::string file, model, message;
    bool json = false;
    std::set<std::string> flags;  // the extra flags given, e.g. "--stream"
};

// Parses `args` of `command`; `flags` are the extra flags the command accepts. On a usage
// error or --help, prints `usage` and returns the exit code in `exit_code`.
std::optional<ModelMessageArgs> parse_model_message(const std::string& command, const std::vector<std::string>& args,
                                                    const char* usage, const std::set<std::string>& flags,
                                                    int& exit_code);

}  // namespace switchctl
