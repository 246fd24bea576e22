// script_call.cpp — EVALSHA with the EVAL fallback.
#include "redis/script_call.hpp"

#include <memory>

namespace sw::redis {

namespace {

std::vector<std::string> command(std::string_view verb, std::string_view script, const std::vector<std::string>& keys,
                                 const std::vector<std::string>& args) {
    std::vector<std::string> out{std::string(verb), std::string(script), std::to_string(keys.size())};
    out.insert(out.end(), keys.begin(), keys.end());
    out.insert(out.end(), args.begin(), args.end());
    return out;
}

}  // namespace

void run_script(Client& client, const Script& script, const std::vector<std::string>& keys,
                const std::vector<std::string>& args, std::function<void(Result)> done) {
    // Kept for the NOSCRIPT retry, which needs the body instead of the SHA1. The client outlives
    // its calls' callbacks (its destructor closes them), so the retry may use it.
    auto eval = std::make_shared<std::vector<std::string>>(command("EVAL", script.body, keys, args));
    auto finish = std::make_shared<std::function<void(Result)>>(std::move(done));
    client.call(command("EVALSHA", script.sha1, keys, args), [&client, eval, finish](Result r) {
        if (r.ok() && r.reply.error_code() == "NOSCRIPT") {
            client.call(std::move(*eval), [finish](Result again) { (*finish)(std::move(again)); });
            return;
        }
        (*finish)(std::move(r));
    });
}

}  // namespace sw::redis
