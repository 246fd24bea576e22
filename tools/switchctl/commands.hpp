// commands.hpp — the switchctl subcommands. Each returns the process exit code:
// 0 success, 1 failure (e.g. an invalid config), 2 usage error.
#pragma once

#include <string>
#include <vector>

namespace switchctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int run_validate(const std::vector<std::string>& args);
int run_chat(const std::vector<std::string>& args);
int run_route(const std::vector<std::string>& args);
int run_usage(const std::vector<std::string>& args);

}  // namespace switchctl
