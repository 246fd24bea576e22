// test_request_path.cpp — the router's real request path (RequestDriver, adapters, credential
// cache, stream gate) on a simulated I/O thread: retries, Retry-After, timeouts, the deadline,
// the credential wait, the stream hold-back and failover before the first content byte, each at
// the exact simulated instant the contract gives. Over real sockets these took seconds of real
// time and could flake; the wire itself is proven over the loopback mock (tests/integration).
#include "sim_router.hpp"

#include <switch/config_loader.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <map>

using namespace std::chrono_literals;
using swtest::SimAnswer;
using swtest::SimIo;
using swtest::SimResult;
using swtest::SimRouter;

namespace {

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";
constexpr const char* kStream = R"({"model":"chat","stream":true,"messages":[{"role":"user","content":"hello"}]})";

// A provider entry; `settings` (key -> JSON value) override the defaults. Its requests go to
// https://NAME.example.invalid, which is how the scenario tells providers apart.
std::string provider(const std::string& name, std::map<std::string, std::string> settings = {}) {
    std::map<std::string, std::string> all = {{"timeout", "2000"}, {"maxRetries", "1"}, {"retryDelay", "10"}};
    for (auto& [k, v] : settings) all[k] = v;
    std::string text = fmt::format(R"({{"name":"{0}","provider":"custom","modelName":"{0}-model",)"
                                   R"("apiBase":"https://{0}.example.invalid/v1")",
                                   name);
    for (auto& [k, v] : all) text += fmt::format(R"(,"{}":{})", k, v);
    return text + "}";
}

std::string pool(const std::string& id, const std::vector<std::string>& providers,
                 const std::vector<std::string>& fallbacks = {}) {
    std::string list, fb;
    for (const auto& p : providers) list += (list.empty() ? "" : ",") + p;
    for (const auto& f : fallbacks) fb += (fb.empty() ? "\"" : ",\"") + f + "\"";
    return fmt::format(R"({{"id":"{}","routingStrategy":"round_robin","providers":[{}],"fallbackPoolIds":[{}]}})", id,
                       list, fb);
}

// An OpenAI-compatible answer of `status` with `body`, all of it `at` after the request.
SimAnswer answer(int status, std::string body, sw::Millis at = 5ms) {
    SimAnswer a;
    a.status = status;
    a.headers_at = at;
    a.body.push_back({at, std::move(body)});
    a.end = at;
    return a;
}

SimAnswer ok_answer(const std::string& name) {
    return answer(200, R"({"object":"chat.completion","model":")" + name +
                           R"(-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from )" +
                           name + R"("},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":7}})");
}

SimAnswer error_answer(int status, const std::string& code = "server_error") {
    return answer(status, R"({"error":{"message":"scripted failure","type":"server_error","code":")" + code + "\"}}");
}

std::string sse(const std::string& json) { return "data: " + json + "\n\n"; }

// A stream of `tokens` content chunks "tokN ", the first `first` after the request and one
// every `gap` after it, then a finish chunk and [DONE].
SimAnswer stream_answer(int tokens, sw::Millis first = 5ms, sw::Millis gap = 5ms) {
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
SimAnswer cut(SimAnswer a, std::size_t kept, bool hang = false) {
    a.body.resize(kept);
    a.end = kept ? a.body.back().at : a.headers_at;
    a.error = sw::TransportError::protocol;  // what HttpEngine reports for a body cut short
    a.hang = hang;
    return a;
}

SimAnswer hang() {
    SimAnswer a;
    a.hang = true;  // accepts the connection, never answers
    return a;
}

int content_chunks(const SimResult& r) {
    return static_cast<int>(std::count_if(r.chunks.begin(), r.chunks.end(), [](const std::string& c) {
        return c.find(R"("content":"tok)") != std::string::npos;
    }));
}

// A deployment on simulated time: the router's real request path over upstreams whose answers
// are scripted per provider, in request order (the last answer repeats). An unscripted provider
// answers well: five tokens for a stream, a whole answer otherwise.
struct Scenario {
    explicit Scenario(const std::vector<std::string>& pools, const std::string& stores = "",
                      std::map<std::string, std::string> env = {}, sw::RouterOptions options = {}) {
        std::string list;
        for (const auto& p : pools) list += (list.empty() ? "" : ",") + p;
        const std::string text = R"({"credentialStores":{)" + stores + R"(},"pools":[)" + list +
                                 R"(],"models":{"chat":{"primaryPoolId":"primary"}}})";
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
        auto core =
            std::make_shared<sw::RouterCore>(loaded.config, shared_clock, std::make_shared<sw::SplitMixRandom>(42));
        options.clock = shared_clock;
        options.env = lookup;
        router = std::make_unique<SimRouter>(io, loaded.config, core, options);
        io.respond_with([this](const sw::transport::HttpRequest& r) {
            const std::size_t begin = r.url.find("://") + 3;
            const std::string host = r.url.substr(begin, r.url.find('.', begin) - begin);
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
            if (s.request.url.find("://" + name + ".") != std::string::npos && n-- == 0) return s.at - start;
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

}  // namespace

TEST_CASE("request path: a healthy provider answers with the OpenAI body, usage, text and trace") {
    Scenario s({pool("primary", {provider("ok")})});
    SimResult r = s.chat(kChat);
    REQUIRE(r.response.ok());
    CHECK(r.response.text == "Hello from ok");
    CHECK(r.response.usage.output_tokens == 7);
    CHECK(r.response.trace.provider == "ok");
    CHECK(s.clock.now() - s.start == 5ms);  // the answer's own latency, and nothing else
}

TEST_CASE("request path 1. 429 with Retry-After: the retry waits exactly as long as asked") {
    Scenario s({pool("primary", {provider("a")})});
    SimAnswer limited = error_answer(429, "rate_limit_exceeded");
    limited.headers.emplace_back("Retry-After", "1");
    s.scripts["a"] = {limited, ok_answer("a")};
    SimResult r = s.chat(kChat);
    REQUIRE(r.response.ok());
    CHECK(s.attempts("a") == 2);
    REQUIRE(r.response.trace.attempts.size() == 2);
    CHECK(r.response.trace.attempts[0].http_status == 429);
    CHECK(r.response.trace.attempts[0].error_class == sw::ErrorClass::rate_limited);
    CHECK(r.response.trace.attempts[1].backoff_waited >= sw::Millis(1000));
    CHECK(s.sent_at("a", 1) == 5ms + 1s);  // the 429 came at 5 ms
}

TEST_CASE("request path 2. persistent 429: the provider cools down and traffic fails over at once") {
    Scenario s({pool("primary", {provider("a")}, {"backup"}), pool("backup", {provider("b")})});
    SimAnswer limited = error_answer(429, "rate_limit_exceeded");
    limited.headers.emplace_back("Retry-After", "30");
    s.scripts["a"] = {limited};
    SimResult r = s.chat(kChat);
    REQUIRE(r.response.ok());
    CHECK(r.response.trace.used_fallback);
    CHECK(r.response.trace.provider == "b");
    CHECK(s.attempts("a") == 1);
    CHECK(r.response.trace.attempts.at(1).backoff_waited < sw::Millis(1000));
    CHECK(s.sent_at("b", 0) == 5ms);  // no wait at all
    // While it cools down, the next request does not even try it.
    REQUIRE(s.chat(kChat).response.ok());
    CHECK(s.attempts("a") == 1);
}

TEST_CASE("request path 3. a 500 once is retried on the same provider after a backoff") {
    Scenario s({pool("primary", {provider("a")})});
    s.scripts["a"] = {error_answer(500), ok_answer("a")};
    SimResult r = s.chat(kChat);
    REQUIRE(r.response.ok());
    CHECK(s.attempts("a") == 2);
    REQUIRE(r.response.trace.attempts.size() == 2);
    CHECK(r.response.trace.attempts[0].error_class == sw::ErrorClass::transient);
    CHECK(r.response.trace.provider == "a");
    // Full jitter: somewhere in [0, retryDelay] after the failure.
    CHECK(s.sent_at("a", 1) >= 5ms);
    CHECK(s.sent_at("a", 1) <= 15ms);
}

TEST_CASE("request path 4. persistent 503: retries are spent, then the fallback pool serves") {
    Scenario s({pool("primary", {provider("a")}, {"backup"}), pool("backup", {provider("b")})});
    s.scripts["a"] = {error_answer(503)};
    SimResult r = s.chat(kChat);
    REQUIRE(r.response.ok());
    CHECK(s.attempts("a") == 2);  // maxRetries 1
    CHECK(r.response.trace.used_fallback);
    CHECK(r.response.trace.pool_id == "backup");
    CHECK(r.response.trace.attempts.size() == 3);
}

TEST_CASE("request path 6. no response: the attempt times out once, then the request fails over") {
    Scenario s({pool("primary", {provider("a", {{"timeout", "300"}})}, {"backup"}), pool("backup", {provider("b")})});
    s.scripts["a"] = {hang()};
    SimResult r = s.chat(kChat);
    REQUIRE(r.response.ok());
    CHECK(s.attempts("a") == 1);  // a timeout is not retried on the same provider
    CHECK(r.response.trace.attempts.at(0).error_class == sw::ErrorClass::timeout);
    CHECK(r.response.trace.attempts.at(0).transport == sw::TransportError::first_byte_timeout);
    CHECK(s.sent_at("b", 0) == 300ms);  // at the timeout, not a moment later
    CHECK(s.clock.now() - s.start == 305ms);

    SECTION("and with nothing to fail over to, the deadline bounds the request") {
        Scenario alone({pool("primary", {provider("a", {{"timeout", "5000"}})})});
        alone.scripts["a"] = {hang()};
        sw::ChatOptions opts;
        opts.deadline = sw::Millis(400);
        SimResult d = alone.chat(kChat, opts);
        CHECK(d.response.status == 504);
        CHECK_THAT(d.response.error, Catch::StartsWith("deadline exceeded"));
        CHECK(alone.clock.now() - alone.start == 400ms);
        CHECK(alone.attempts("a") == 1);
    }
}

TEST_CASE("request path 7. a slow first token fails over before anything reaches the caller") {
    Scenario s({pool("primary", {provider("a", {{"timeout", "300"}})}, {"backup"}), pool("backup", {provider("b")})});
    s.scripts["a"] = {stream_answer(5, 1500ms)};
    SimResult r = s.chat(kStream);
    REQUIRE(r.response.ok());
    CHECK(r.response.trace.attempts.at(0).error_class == sw::ErrorClass::timeout);
    CHECK(r.response.trace.provider == "b");
    CHECK(content_chunks(r) == 5);  // only the fallback's stream, whole
    CHECK(s.attempts("a") == 1);
    CHECK(s.attempts("b") == 1);
    CHECK(s.sent_at("b", 0) == 300ms);
    CHECK(r.response.text == "tok1 tok2 tok3 tok4 tok5 ");
}

TEST_CASE("request path 7b. SSE comments do not count as a first token") {
    Scenario s({pool("primary", {provider("a", {{"timeout", "300"}})}, {"backup"}), pool("backup", {provider("b")})});
    SimAnswer keepalive = stream_answer(5, 1500ms);
    keepalive.body.insert(keepalive.body.begin(), {{100ms, ": keep-alive\n\n"}, {200ms, ": keep-alive\n\n"}});
    s.scripts["a"] = {keepalive};
    SimResult r = s.chat(kStream);
    REQUIRE(r.response.ok());
    CHECK(r.response.trace.provider == "b");
    CHECK(s.sent_at("b", 0) == 300ms);
}

TEST_CASE("request path 8. a stream cut mid-answer") {
    SECTION("before any content: failover, and the caller sees only the fallback's stream") {
        Scenario s({pool("primary", {provider("a", {{"maxRetries", "0"}})}, {"backup"}), pool("backup", {provider("b")})});
        s.scripts["a"] = {cut(stream_answer(5), 1)};  // the role chunk, held back, then the cut
        SimResult r = s.chat(kStream);
        REQUIRE(r.response.ok());
        CHECK(r.response.trace.used_fallback);
        CHECK(content_chunks(r) == 5);
        // One role chunk: the cut attempt's was held back and dropped.
        CHECK(std::count_if(r.chunks.begin(), r.chunks.end(),
                            [](const std::string& c) { return c.find("\"role\"") != std::string::npos; }) == 1);
    }
    SECTION("after content: an explicit error, never a truncated success, and no failover") {
        Scenario s({pool("primary", {provider("a")}, {"backup"}), pool("backup", {provider("b")})});
        s.scripts["a"] = {cut(stream_answer(5), 3)};  // role, tok1, tok2
        SimResult r = s.chat(kStream);
        CHECK(r.response.status == 502);
        CHECK_FALSE(r.response.ok());
        CHECK(r.response.trace.error == sw::RouteError::stream_interrupted);
        CHECK(s.attempts("a") == 1);
        CHECK(s.attempts("b") == 0);
        CHECK(content_chunks(r) == 2);
        REQUIRE_FALSE(r.chunks.empty());
        CHECK_THAT(r.chunks.back(), Catch::StartsWith(R"({"error":{"type":"stream_interrupted")"));
        // Valid JSON whose message is the response's error, quotes and all (it names "chat").
        simdjson::dom::parser parser;
        std::string_view message;
        REQUIRE_FALSE(parser.parse(r.chunks.back())["error"]["message"].get(message));
        CHECK(message == r.response.error);
        CHECK(message.find("\"chat\"") != std::string_view::npos);
    }
}

TEST_CASE("request path 9. a stalled stream is cut by the idle timeout") {
    sw::RouterOptions options;
    options.stream_idle_timeout = 300ms;
    SECTION("after content: explicit error") {
        Scenario s({pool("primary", {provider("a")})}, "", {}, options);
        s.scripts["a"] = {cut(stream_answer(5), 3, true)};
        SimResult r = s.chat(kStream);
        CHECK(r.response.status == 502);
        CHECK(r.response.trace.attempts.at(0).transport == sw::TransportError::idle_timeout);
        CHECK_THAT(r.chunks.back(), Catch::Contains("stream_interrupted"));
        CHECK(s.attempts("a") == 1);
        CHECK(s.clock.now() - s.start == 10ms + 300ms);  // tok2 came at 10 ms
    }
    SECTION("before content: failover") {
        Scenario s({pool("primary", {provider("a")}, {"backup"}), pool("backup", {provider("b")})}, "", {}, options);
        s.scripts["a"] = {cut(stream_answer(5), 1, true)};
        SimResult r = s.chat(kStream);
        REQUIRE(r.response.ok());
        CHECK(r.response.trace.provider == "b");
        CHECK(s.attempts("a") == 1);  // a stall is a timeout: no retry on the same provider
        CHECK(s.sent_at("b", 0) == 5ms + 300ms);
    }
}

TEST_CASE("request path: a stream that succeeds without content still delivers what was held back") {
    Scenario s({pool("primary", {provider("a")})});
    s.scripts["a"] = {stream_answer(0)};
    SimResult r = s.chat(kStream);
    REQUIRE(r.response.ok());
    CHECK(r.response.finish_reason == "stop");
    REQUIRE(r.chunks.size() == 2);  // the role chunk and the finish chunk
    CHECK_THAT(r.chunks[0], Catch::Contains("\"role\""));
}

TEST_CASE("request path: a token exchange that hangs is bounded by the provider's timeout") {
    // Moved from the mock's "OAuth: a failing token endpoint ..." case, whose hang took real time.
    const std::string secret = "client-secret-canary-5b1e";
    const std::string store = R"("o":{"type":"oauth","config":{"tokenUrl":"https://auth.example.invalid/token",)"
                              R"("clientId":"router","clientSecretVar":"CLIENT_SECRET","scope":"llm"}})";
    const std::map<std::string, std::string> env = {{"CLIENT_SECRET", secret}};
    const std::string primary = provider("o", {{"timeout", "500"}, {"credentialsRef", "\"o\""}});
    Scenario s({pool("primary", {primary}, {"backup"}), pool("backup", {provider("b")})}, store, env);
    s.scripts["auth"] = {hang()};
    SimResult r = s.chat(kChat);
    REQUIRE(r.response.ok());
    CHECK(r.response.trace.provider == "b");
    CHECK(r.response.trace.attempts.at(0).error_class == sw::ErrorClass::timeout);
    CHECK(s.sent_at("b", 0) == 500ms);  // the provider's timeout bounded the wait for its token

    Scenario alone({pool("primary", {primary})}, store, env);
    alone.scripts["auth"] = {hang()};
    SimResult failed = alone.chat(kChat);
    CHECK_FALSE(failed.response.ok());
    CHECK_THAT(failed.response.error, Catch::Contains("credential store \"o\"") &&
                                         Catch::Contains("did not finish within the attempt's timeout"));
    const std::string everything = failed.response.error + failed.response.trace_json() + r.response.error +
                                   r.response.trace_json();
    CHECK(everything.find(secret) == std::string::npos);
    CHECK(alone.attempts("o") == 0);
}

TEST_CASE("request path: a token that arrives after its attempt gave up serves the next request") {
    const std::string store = R"("o":{"type":"oauth","config":{"tokenUrl":"https://auth.example.invalid/token",)"
                              R"("clientId":"router","clientSecretVar":"CLIENT_SECRET","scope":"llm"}})";
    Scenario s({pool("primary", {provider("o", {{"timeout", "500"}, {"credentialsRef", "\"o\""}, {"maxRetries", "0"}})})},
               store, {{"CLIENT_SECRET", "s"}});
    s.scripts["auth"] = {answer(200, R"({"access_token":"tok-1","expires_in":3600})", 800ms)};
    SimResult first = s.chat(kChat);
    CHECK_FALSE(first.response.ok());  // gave up at 500 ms
    CHECK(s.attempts("o") == 0);
    SimResult second = s.chat(kChat);  // the exchange ended at 800 ms, while nobody waited
    REQUIRE(second.response.ok());
    CHECK(s.attempts("auth") == 1);
    CHECK(s.attempts("o") == 1);
    const auto& sent = s.io.sent.back().request;
    CHECK(std::find(sent.headers.begin(), sent.headers.end(), "Authorization: Bearer tok-1") != sent.headers.end());
}

TEST_CASE("request path: a cancel during a backoff ends the request at once") {
    Scenario s({pool("primary", {provider("a")})});
    SimAnswer limited = error_answer(429, "rate_limit_exceeded");
    limited.headers.emplace_back("Retry-After", "10");
    s.scripts["a"] = {limited, ok_answer("a")};
    SimResult r;
    auto driver = s.router->start(kChat, r);
    s.io.post_at(s.start + 20ms, [&r, &s, driver] {
        driver->cancel();
        CHECK(r.done);  // at once, not when the 10 s wait ends
        CHECK(s.clock.now() - s.start == 20ms);
    });
    s.io.run();
    REQUIRE(r.done);
    CHECK(r.response.status == 499);
    CHECK(r.response.error_class == sw::ErrorClass::cancelled);
    CHECK(s.attempts("a") == 1);
}
