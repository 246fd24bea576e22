// sim_scenario.hpp — scenario tests on simulated time: a configuration of providers whose
// answers are scripted per provider, served through the router's real request path (SimRouter).
#pragma once

#include "sim_router.hpp"

#include "api/observer_list.hpp"

#include <switch/config_loader.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace swtest {

using namespace std::chrono_literals;


constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";
constexpr const char* kStream = R"({"model":"chat","stream":true,"messages":[{"role":"user","content":"hello"}]})";

// A provider entry; `settings` (key -> JSON value) override the defaults. Its requests go to
// https://NAME.example.invalid, which is how the scenario tells providers apart.
inline std::string provider(const std::string& name, std::map<std::string, std::string> settings = {}) {
    std::map<std::string, std::string> all = {{"timeout", "2000"}, {"maxRetries", "1"}, {"retryDelay", "10"}};
    for (auto& [k, v] : settings) all[k] = v;
    std::string text = fmt::format(R"({{"name":"{0}","provider":"custom","modelName":"{0}-model",)"
                                   R"("apiBase":"https://{0}.example.invalid/v1")",
                                   name);
    for (auto& [k, v] : all) text += fmt::format(R"(,"{}":{})", k, v);
    return text + "}";
}

inline std::string pool(const std::string& id, const std::vector<std::string>& providers,
                 const std::vector<std::string>& fallbacks = {}) {
    std::string list, fb;
    for (const auto& p : providers) list += (list.empty() ? "" : ",") + p;
    for (const auto& f : fallbacks) fb += (fb.empty() ? "\"" : ",\"") + f + "\"";
    return fmt::format(R"({{"id":"{}","routingStrategy":"round_robin","providers":[{}],"fallbackPoolIds":[{}]}})", id,
                       list, fb);
}

// An OpenAI-compatible answer of `status` with `body`, all of it `at` after the request.
inline SimAnswer answer(int status, std::string body, sw::Millis at = 5ms) {
    SimAnswer a;
    a.status = status;
    a.headers_at = at;
    a.body.push_back({at, std::move(body)});
    a.end = at;
    return a;
}

inline SimAnswer ok_answer(const std::string& name) {
    return answer(200, R"({"object":"chat.completion","model":")" + name +
                           R"(-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from )" +
                           name + R"("},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":7}})");
}

inline SimAnswer error_answer(int status, const std::string& code = "server_error") {
    return answer(status, R"({"error":{"message":"scripted failure","type":"server_error","code":")" + code + "\"}}");
}

inline std::string sse(const std::string& json) { return "data: " + json + "\n\n"; }

// A stream of `tokens` content chunks "tokN ", the first `first` after the request and one
// every `gap` after it, then a finish chunk and [DONE].
inline SimAnswer stream_answer(int tokens, sw::Millis first = 5ms, sw::Millis gap = 5ms) {
    SimAnswer a;
    a.headers.emplace_back("Content-Type", "text/event-stream");
    a.body.push_back({first, sse(R"({"choices":[{"index":0,"delta":{"role":"assistant"}}]})")});
    for (int i = 1; i <= tokens; ++i)
        a.body.push_back({first + gap * (i - 1),
                          sse(fmt::format(R"({{"choices":[{{"index":0,"delta":{{"content":"tok{} "}}}}]}})", i))});
    const sw::Millis last = first + gap * tokens;
    a.body.push_back({last, sse(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],)"
                                R"("usage":{"prompt_tokens":3,"completion_tokens":5}})") +
                                "data: [DONE]\n\n"});
    a.end = last;
    return a;
}

// The first `kept` body pieces of `a` (its role chunk counts as one), and then the connection
// breaks, or hangs if `hang`.
inline SimAnswer cut(SimAnswer a, std::size_t kept, bool hang = false) {
    a.body.resize(kept);
    a.end = kept ? a.body.back().at : a.headers_at;
    a.error = sw::TransportError::protocol;  // what HttpEngine reports for a body cut short
    a.hang = hang;
    return a;
}

inline SimAnswer hang() {
    SimAnswer a;
    a.hang = true;  // accepts the connection, never answers
    return a;
}

inline int content_chunks(const SimResult& r) {
    return static_cast<int>(std::count_if(r.chunks.begin(), r.chunks.end(), [](const std::string& c) {
        return c.find(R"("content":"tok)") != std::string::npos;
    }));
}

// A deployment on simulated time: the router's real request path over upstreams whose answers
// are scripted per provider, in request order (the last answer repeats). An unscripted provider
// answers well: five tokens for a stream, a whole answer otherwise.
struct Scenario {
    // `models` is the JSON object of the config's models.
    explicit Scenario(const std::vector<std::string>& pools, const std::string& stores = "",
                      std::map<std::string, std::string> env = {}, sw::RouterOptions options = {},
                      const std::string& models = R"({"chat":{"primaryPoolId":"primary"}})") {
        std::string list;
        for (const auto& p : pools) list += (list.empty() ? "" : ",") + p;
        const std::string text = R"({"credentialStores":{)" + stores + R"(},"pools":[)" + list + R"(],"models":)" +
                                 models + "}";
        sw::LoadOptions load;
        auto lookup = [env](const std::string& name) -> std::optional<std::string> {
            auto it = env.find(name);
            return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
        load.env = lookup;
        auto loaded = sw::load_config_string(text, sw::ConfigFormat::json, "scenario", load);
        INFO(sw::format_diagnostics_text(loaded));
        REQUIRE(loaded.ok());
        auto shared_clock = std::shared_ptr<sw::FakeClock>(&clock, [](sw::FakeClock*) {});
        // The routing core reports attempts and breakers to the same observers as the router.
        auto core = std::make_shared<sw::RouterCore>(loaded.config, shared_clock,
                                                     std::make_shared<sw::SplitMixRandom>(42),
                                                     sw::api::combine(options.observers));
        options.clock = shared_clock;
        options.env = lookup;
        router = std::make_unique<SimRouter>(io, loaded.config, core, options);
        io.respond_with([this](const sw::transport::HttpRequest& r) {
            const std::string host = host_label(r.url);
            const int n = counts[host]++;
            auto it = scripts.find(host);
            if (it == scripts.end() || it->second.empty())
                return r.body.find(R"("stream":true)") != std::string::npos ? stream_answer(5) : ok_answer(host);
            return it->second[std::min<std::size_t>(static_cast<std::size_t>(n), it->second.size() - 1)];
        });
    }

    SimResult chat(const std::string& json, const sw::ChatOptions& options = {}) { return router->chat(json, options); }
    int attempts(const std::string& name) { return counts[name]; }
    // When the n-th request (from 0) to `name` was sent, from the scenario's start.
    sw::Nanos sent_at(const std::string& name, int n) {
        for (const auto& s : io.sent)
            if (host_label(s.request.url) == name && n-- == 0) return s.at - start;
        FAIL("no such request to " << name);
        return {};
    }

    sw::FakeClock clock;
    const sw::TimePoint start = clock.now();
    SimIo io{clock};
    std::map<std::string, std::vector<SimAnswer>> scripts;  // by provider name
    std::map<std::string, int> counts;
    std::unique_ptr<SimRouter> router;
};


}  // namespace swtest
