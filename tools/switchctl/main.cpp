// main.cpp — switchctl: validate configurations, send a routed request, or explain a prompt route.
#include "commands.hpp"

#include <switch/switch.h>

#include <curl/curl.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr const char* kUsage =
    "usage: switchctl <command> [options]\n"
    "\n"
    "commands:\n"
    "  validate [--json] [--resolve] [FILE]\n"
    "                             check a configuration; without FILE, use the default load order\n"
    "                             (./definitions.json or .yaml, MODEL_DEFINITIONS, provider keys);\n"
    "                             --resolve: also resolve every credential store once (no value shown)\n"
    "  chat [-c FILE] -m MODEL [--stream] [--json] MESSAGE\n"
    "                             send one routed request; --json adds how it was served\n"
    "  route [-c FILE] -m MODEL [--json] MESSAGE\n"
    "                             how a prompt-routed model would route MESSAGE, sending nothing\n"
    "  usage [--since DURATION] [--by model|provider|label|key] [--json] [--database URL]\n"
    "                             requests, errors, tokens, cost and latency from the usage ledger\n"
    "\n"
    "options:\n"
    "  -h, --help                 show this help\n"
    "  -V, --version              show the versions of switchctl, libswitch and libcurl\n"
    "\n"
    "exit status: 0 success (valid), 1 failure (invalid), 2 usage error\n";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::fputs(kUsage, stderr);
        return switchctl::kExitUsage;
    }
    const std::string& command = args.front();
    if (command == "-h" || command == "--help" || command == "help") {
        std::fputs(kUsage, stdout);
        return switchctl::kExitOk;
    }
    if (command == "-V" || command == "--version") {
        std::printf("switchctl %s (libswitch %s, %s)\n", SW_VERSION_STRING, sw_version(), curl_version());
        return switchctl::kExitOk;
    }
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "validate") return switchctl::run_validate(rest);
    if (command == "chat") return switchctl::run_chat(rest);
    if (command == "route") return switchctl::run_route(rest);
    if (command == "usage") return switchctl::run_usage(rest);
    std::fprintf(stderr, "switchctl: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return switchctl::kExitUsage;
}
