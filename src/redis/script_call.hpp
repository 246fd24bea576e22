// script_call.hpp — running one of our Lua scripts: EVALSHA, and on NOSCRIPT (a server that
// restarted, failed over or flushed its scripts) the same call with EVAL, which also loads it.
#pragma once

#include "redis/client.hpp"
#include "redis/limit_scripts.hpp"

#include <functional>
#include <string>
#include <vector>

namespace sw::redis {

// `done` runs once, as Client::call's does (the EVAL retry, if any, within its own timeout).
void run_script(Client& client, const Script& script, const std::vector<std::string>& keys,
                const std::vector<std::string>& args, std::function<void(Result)> done);

}  // namespace sw::redis
