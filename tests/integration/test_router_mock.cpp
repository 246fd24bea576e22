// test_router_mock.cpp — routed requests over real HTTP to the loopback mock: every fault of
// the transport issue, asserting the result, the attempts the mock saw, and the trace.
#include "chunk_collector.hpp"
#include "mock_process.hpp"
#include "../unit/scripted_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <switch/config_loader.hpp>
#include <switch/testing/fake_clock.hpp>
#include <switch/router.hpp>

#include <catch2/catch.hpp>

#include <simdjson.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

using sw::test::closed_port;
using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;  // one mock for the whole run; tests use distinct scenario keys
    return instance;
}

// A provider entry on the mock. `model` is NAME@SPEC: the scenario and the key it is counted by.
// `settings` (key -> JSON value) override the defaults below.
std::string provider(const std::string& name, const std::string& model, std::map<std::string, std::string> settings = {}) {
    std::map<std::string, std::string> all = {{"timeout", "2000"}, {"maxRetries", "1"}, {"retryDelay", "10"},
                                              {"apiBase", "\"" + mock().base() + "/v1\""}};
    for (auto& [k, v] : settings) all[k] = v;
    std::string text = fmt::format(R"({{"name":"{}","provider":"custom","modelName":"{}")", name, model);
    for (auto& [k, v] : all) text += fmt::format(R"(,"{}":{})", k, v);
    return text + "}";
}

// The faults whose point is time (Retry-After's wait, a hung answer, the deadline, a slow first
// token, the idle timeout) run on simulated time, at exact instants, in
// tests/unit/test_request_path.cpp. Those here prove the wire: each protocol's framing, status
// lines and error bodies, over real sockets.
//
// Every fault scenario (tag [faults]) runs twice: with OpenAI-compatible providers, and, in the
// build with SWITCH_TEST_NATIVE_PROTOCOLS, with an Anthropic primary pool and Bedrock fallback
// pools, so that each fault is proven through each protocol's framing and error shapes.
#ifdef SWITCH_TEST_NATIVE_PROTOCOLS
constexpr bool kNativeProtocols = true;
#else
constexpr bool kNativeProtocols = false;
#endif

// A provider entry of `provider()`, made to speak the protocol of its pool.
std::string speaking_protocol_of(const std::string& pool_id, std::string entry) {
    if (!kNativeProtocols) return entry;
    auto replace = [&entry](const std::string& from, const std::string& to) {
        const std::size_t at = entry.find(from);
        REQUIRE(at != std::string::npos);
        entry.replace(at, from.size(), to);
    };
    replace(R"("provider":"custom")", pool_id == "primary" ? R"("provider":"anthropic","credentialsRef":"anthropic")"
                                                           : R"("provider":"bedrock","credentialsRef":"aws")");
    replace(fmt::format(R"("apiBase":"{}/v1")", mock().base()), fmt::format(R"("apiBase":"{}")", mock().base()));
    return entry;
}

std::string pool(const std::string& id, const std::vector<std::string>& providers,
                 const std::vector<std::string>& fallbacks = {}, const std::string& extra = "") {
    std::string list, fb;
    for (const auto& p : providers) list += (list.empty() ? "" : ",") + speaking_protocol_of(id, p);
    for (const auto& f : fallbacks) fb += (fb.empty() ? "\"" : ",\"") + f + "\"";
    return fmt::format(R"({{"id":"{}","routingStrategy":"round_robin","providers":[{}],"fallbackPoolIds":[{}]{}}})", id,
                       list, fb, extra.empty() ? "" : "," + extra);
}

std::shared_ptr<const sw::Config> config(const std::vector<std::string>& pools,
                                         std::map<std::string, std::string> env = {}) {
    std::string list;
    for (const auto& p : pools) list += (list.empty() ? "" : ",") + p;
    // The native protocols' stores hold test keys inline; the mock verifies SigV4 signatures
    // made with AKIDMOCKBEDROCK (docs/mock-provider.md).
    const std::string text = R"({"credentialStores":{"key":{"type":"simple","source":"env","config":{"apiKeyVar":"MOCK_KEY"}},)"
                             R"("anthropic":{"type":"simple","source":"inline","config":{"apiKey":"sk-test-anthropic"}},)"
                             R"("aws":{"type":"aws","source":"inline","config":{"region":"us-east-1",)"
                             R"("accessKeyId":"AKIDMOCKBEDROCK","secretAccessKey":"mock-bedrock-secret-access-key"}}},)"
                             R"("pools":[)" + list + R"(],"models":{"chat":{"primaryPoolId":"primary"}}})";
    sw::LoadOptions options;
    options.env = [env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

sw::RouterOptions options(std::map<std::string, std::string> env = {}) {
    sw::RouterOptions o;
    o.env = [env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    o.stream_idle_timeout = sw::Millis(300);
    return o;
}

constexpr const char* kChat = R"({"model":"chat","messages":[{"role":"user","content":"hello"}]})";
constexpr const char* kStream = R"({"model":"chat","stream":true,"messages":[{"role":"user","content":"hello"}]})";

using sw::test::Chunks;

}  // namespace

TEST_CASE("a healthy provider answers with the OpenAI body, usage, text and trace") {
    sw::Router router(config({pool("primary", {provider("ok", "ok-basic")})}));
    sw::ChatResponse r = router.chat(kChat);
    INFO(r.error);
    REQUIRE(r.ok());
    CHECK_THAT(r.body, Catch::Contains(R"("object":"chat.completion")"));
    CHECK_THAT(r.body, Catch::Contains(R"("model":"ok-basic")"));  // the model that actually served
    CHECK(r.text == "Hello from the mock (ok-basic).");
    CHECK(r.finish_reason == "stop");
    CHECK(r.usage.output_tokens == 7);
    CHECK(r.trace.provider == "ok");
    CHECK(r.trace.pool_id == "primary");
    CHECK_FALSE(r.trace.used_fallback);
    REQUIRE(r.trace.attempts.size() == 1);
    CHECK(r.trace.attempts[0].http_status == 200);
    CHECK_THAT(r.trace_json(), Catch::Contains(R"("provider":"ok","pool":"primary","used_fallback":false)"));
}

TEST_CASE("2. persistent 429: the provider cools down and traffic fails over at once", "[faults]") {
    const std::string limited = "t2@status=429,retry_after=30";
    sw::Router router(config({pool("primary", {provider("a", limited)}, {"backup"}),
                              pool("backup", {provider("b", "t2-backup")})}));
    sw::ChatResponse r = router.chat(kChat);
    REQUIRE(r.ok());
    CHECK(r.trace.used_fallback);
    CHECK(r.trace.provider == "b");
    CHECK(mock().attempts(limited) == 1);
    CHECK(r.trace.attempts.at(1).backoff_waited < sw::Millis(1000));
    // While it cools down, the next request does not even try it.
    sw::ChatResponse again = router.chat(kChat);
    REQUIRE(again.ok());
    CHECK(mock().attempts(limited) == 1);
}

TEST_CASE("3. a 500 once is retried on the same provider after a backoff", "[faults]") {
    const std::string key = "t3@status=500,fail_first=1";
    sw::Router router(config({pool("primary", {provider("a", key)})}));
    sw::ChatResponse r = router.chat(kChat);
    REQUIRE(r.ok());
    CHECK(mock().attempts(key) == 2);
    REQUIRE(r.trace.attempts.size() == 2);
    CHECK(r.trace.attempts[0].error_class == sw::ErrorClass::transient);
    CHECK(r.trace.provider == "a");
}

TEST_CASE("4. persistent 503: retries are spent, then the fallback pool serves", "[faults]") {
    const std::string key = "t4@status=503";
    sw::Router router(config({pool("primary", {provider("a", key)}, {"backup"}), pool("backup", {provider("b", "t4-ok")})}));
    sw::ChatResponse r = router.chat(kChat);
    REQUIRE(r.ok());
    CHECK(mock().attempts(key) == 2);  // maxRetries 1
    CHECK(r.trace.used_fallback);
    CHECK(r.trace.pool_id == "backup");
    CHECK(r.trace.attempts.size() == 3);
}

TEST_CASE("5. a connection reset before the headers is transient", "[faults]") {
    const std::string key = "t5@reset";
    sw::Router router(config({pool("primary", {provider("a", key, {{"maxRetries", R"(0)"}})}, {"backup"}),
                              pool("backup", {provider("b", "t5-ok")})}));
    sw::ChatResponse r = router.chat(kChat);
    REQUIRE(r.ok());
    CHECK(mock().attempts(key) == 1);
    CHECK(r.trace.attempts.at(0).transport == sw::TransportError::connection_reset);
    CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::transient);
    CHECK(r.trace.provider == "b");
}

TEST_CASE("8. a stream cut mid-answer", "[faults]") {
    SECTION("before any content: failover, and the caller sees only the fallback's stream") {
        const std::string key = "t8a@cut_after=0";
        sw::Router router(config({pool("primary", {provider("a", key, {{"maxRetries", R"(0)"}})}, {"backup"}),
                                  pool("backup", {provider("b", "t8a-ok")})}));
        Chunks chunks;
        sw::ChatResponse r = router.chat_stream(kStream, chunks.callback());
        REQUIRE(r.ok());
        CHECK(r.trace.used_fallback);
        CHECK(chunks.joined().find("t8a@") == std::string::npos);
    }
    SECTION("after content: an explicit error, never a truncated success, and no failover") {
        const std::string key = "t8b@cut_after=2";
        sw::Router router(config({pool("primary", {provider("a", key)}, {"backup"}), pool("backup", {provider("b", "t8b-ok")})}));
        Chunks chunks;
        sw::ChatResponse r = router.chat_stream(kStream, chunks.callback());
        CHECK(r.status == 502);
        CHECK_FALSE(r.ok());
        CHECK(r.trace.error == sw::RouteError::stream_interrupted);
        CHECK(mock().attempts(key) == 1);
        CHECK(mock().attempts("t8b-ok") == 0);
        // Two content chunks (after a role-only one in some protocols), then the error.
        const auto content = std::count_if(chunks.items.begin(), chunks.items.end(), [](const std::string& c) {
            return c.find(R"("content":"tok)") != std::string::npos;
        });
        CHECK(content == 2);
        REQUIRE_FALSE(chunks.items.empty());
        CHECK_THAT(chunks.items.back(), Catch::StartsWith(R"({"error":{"type":"stream_interrupted")"));
        // Valid JSON whose message is the response's error, quotes and all (it names "chat").
        simdjson::dom::parser parser;
        std::string_view message;
        REQUIRE_FALSE(parser.parse(chunks.items.back())["error"]["message"].get(message));
        CHECK(message == r.error);
        CHECK(message.find("\"chat\"") != std::string_view::npos);
    }
}

TEST_CASE("10. a malformed chunk is a protocol error", "[faults]") {
    const std::string key = "t10@malformed_at=1";
    sw::Router router(config({pool("primary", {provider("a", key, {{"maxRetries", R"(0)"}})}, {"backup"}),
                              pool("backup", {provider("b", "t10-ok")})}));
    Chunks chunks;
    sw::ChatResponse r = router.chat_stream(kStream, chunks.callback());
    REQUIRE(r.ok());
    CHECK(r.trace.attempts.at(0).error_class == sw::ErrorClass::protocol);
    CHECK(r.trace.provider == "b");
    CHECK(mock().attempts(key) == 1);
    CHECK(mock().attempts("t10-ok") == 1);
}

TEST_CASE("11. a stream without [DONE] but with a finish reason completes promptly", "[faults]") {
    const std::string key = "t11@no_done";
    sw::Router router(config({pool("primary", {provider("a", key)})}));
    Chunks chunks;
    auto t0 = std::chrono::steady_clock::now();
    sw::ChatResponse r = router.chat_stream(kStream, chunks.callback());
    REQUIRE(r.ok());
    CHECK(r.finish_reason == "stop");
    CHECK(mock().attempts(key) == 1);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
}

TEST_CASE("12. context length exceeded: one attempt, no failover, no breaker count", "[faults]") {
    const std::string key = "t12@context_length";
    sw::Router router(config({pool("primary", {provider("a", key)}, {"backup"}), pool("backup", {provider("b", "t12-ok")})}));
    sw::ChatResponse r = router.chat(kChat);
    CHECK(r.status == 400);
    CHECK(r.error_class == sw::ErrorClass::context_window);
    CHECK(mock().attempts(key) == 1);
    CHECK(mock().attempts("t12-ok") == 0);
    CHECK(router.status().pools.at(0).providers.at(0).consecutive_failures == 0);
}

TEST_CASE("13. a content-policy rejection returns the provider's reason, once", "[faults]") {
    const std::string key = "t13@content_policy";
    sw::Router router(config({pool("primary", {provider("a", key)}, {"backup"}), pool("backup", {provider("b", "t13-ok")})}));
    sw::ChatResponse r = router.chat(kChat);
    CHECK(r.status == 400);
    CHECK(r.error_class == sw::ErrorClass::content_policy);
    CHECK_FALSE(r.error.empty());
    CHECK(mock().attempts(key) == 1);
    CHECK(mock().attempts("t13-ok") == 0);
}

TEST_CASE("14. a flapping primary: the breaker opens, the fallback serves, traffic returns after recovery", "[faults]") {
    const std::string key = "t14@status=500,fail_first=2";
    const std::string breaker = R"("circuitBreaker":{"failureThreshold":2,"resetTimeout":400})";
    // Routing time is a fake clock: the breaker's 400 ms pass when the test says so, however
    // slowly the machine runs the requests in between.
    auto clock = std::make_shared<sw::FakeClock>();
    sw::RouterOptions opts = options();
    opts.clock = clock;
    sw::Router router(config({pool("primary", {provider("a", key, {{"maxRetries", R"(0)"}})}, {"backup"}, breaker),
                              pool("backup", {provider("b", "t14-ok")})}),
                      opts);
    CHECK(router.chat(kChat).trace.provider == "b");  // failure 1
    CHECK(router.chat(kChat).trace.provider == "b");  // failure 2: the breaker opens
    CHECK(router.status().pools.at(0).providers.at(0).breaker == sw::BreakerState::open);
    sw::ChatResponse while_open = router.chat(kChat);
    CHECK(while_open.trace.provider == "b");
    CHECK(while_open.trace.attempts.size() == 1);  // the open primary was not tried
    CHECK(mock().attempts(key) == 2);
    clock->advance(std::chrono::milliseconds(399));
    sw::ChatResponse just_before = router.chat(kChat);  // 1 ms before resetTimeout: still open
    CHECK(just_before.trace.provider == "b");
    CHECK(just_before.trace.attempts.size() == 1);
    CHECK(mock().attempts(key) == 2);
    clock->advance(std::chrono::milliseconds(1));
    sw::ChatResponse recovered = router.chat(kChat);  // the half-open probe succeeds
    CHECK(recovered.trace.provider == "a");
    CHECK(router.status().pools.at(0).providers.at(0).breaker == sw::BreakerState::closed);
    CHECK(router.chat(kChat).trace.provider == "a");
}

TEST_CASE("a redirect is never followed") {
    MockProcess other;
    const std::string key = fmt::format("redirect@redirect={}", other.port());
    sw::Router router(config({pool("primary", {provider("a", key, {{"maxRetries", R"(0)"}})}, {"backup"}),
                              pool("backup", {provider("b", "redirect-ok")})}));
    sw::ChatResponse r = router.chat(kChat);
    REQUIRE(r.ok());
    CHECK(r.trace.attempts.at(0).http_status == 307);
    CHECK(other.total() == 0);
}

TEST_CASE("bad requests get a precise 400 or 404 without any network call") {
    sw::Router router(config({pool("primary", {provider("a", "never-called")})}));
    const auto before = mock().total();
    CHECK(router.chat("{not json").status == 400);
    CHECK(router.chat(R"({"model":"chat"})").error == "the request needs a non-empty \"messages\" array");
    CHECK(router.chat(R"({"messages":[{"role":"user","content":"x"}]})").status == 400);
    sw::ChatResponse unknown = router.chat(R"({"model":"nope","messages":[{"role":"user","content":"x"}]})");
    CHECK(unknown.status == 404);
    CHECK(mock().total() == before);
}

TEST_CASE("the API key is sent, and never appears in a result, error or trace") {
    const std::string canary = "sk-canary-transport-0f9e8d7c6b5a";
    const std::map<std::string, std::string> env = {{"MOCK_KEY", canary}};
    const std::string leaky = "canary@status=401,error_message=Incorrect API key provided: " + canary.substr(0, 20);
    auto cfg = config({pool("primary", {provider("a", leaky, {{"credentialsRef", R"("key")"}, {"maxRetries", R"(0)"}})}, {"backup"}),
                       pool("backup", {provider("b", "canary-ok", {{"credentialsRef", R"("key")"}})})});
    sw::Router router(cfg, options(env));
    sw::ChatResponse r = router.chat(kChat);
    REQUIRE(r.ok());
    CHECK_THAT(mock().last_headers_json(), Catch::Contains("Bearer " + canary));  // it was really used
    const std::string everything = r.body + r.error + r.trace_json() + r.trace.message;
    CHECK(everything.find(canary.substr(0, 20)) == std::string::npos);
    sw::Router unkeyed(cfg, options());  // the variable is unset
    sw::ChatResponse missing = unkeyed.chat(kChat);
    CHECK(missing.status == 502);
    CHECK(missing.trace.attempts.at(0).error_class == sw::ErrorClass::auth);
}

TEST_CASE("a request can be cancelled mid-stream from another thread") {
    sw::Router router(config({pool("primary", {provider("a", "cancel@chunks=50,chunk_delay_ms=20")})}));
    std::promise<sw::ChatResponse> done;
    std::atomic<int> seen{0};
    sw::RequestId id = router.chat_stream_async(
        kStream, [&](std::string_view) { ++seen; }, [&](sw::ChatResponse r) { done.set_value(std::move(r)); });
    while (seen.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    router.cancel(id);
    auto response = done.get_future().get();
    CHECK(response.status == 499);
    CHECK(response.error_class == sw::ErrorClass::cancelled);
    CHECK(response.trace.error == sw::RouteError::cancelled);
    CHECK(seen.load() < 50);
}

TEST_CASE("async requests complete through callbacks and futures") {
    sw::Router router(config({pool("primary", {provider("a", "async-ok")})}));
    std::vector<std::future<sw::ChatResponse>> futures;
    for (int i = 0; i < 100; ++i) futures.push_back(router.chat_async(kChat));
    int ok = 0;
    for (auto& f : futures) ok += f.get().ok();
    CHECK(ok == 100);
}

TEST_CASE("a blocking call from a completion callback is refused unsent, as the C ABI refuses it") {
    sw::Router router(config({pool("primary", {provider("a", "deadlock-refused")})}));
    std::promise<std::vector<sw::ChatResponse>> inner;
    router.chat_async(kChat, [&](sw::ChatResponse) {
        std::vector<sw::ChatResponse> refused;
        refused.push_back(router.chat(kChat));
        refused.push_back(router.chat_stream(kStream, [](std::string_view) {}));
        refused.push_back(router.embeddings(R"({"model":"chat","input":"hi"})"));
        inner.set_value(std::move(refused));
    });
    for (const sw::ChatResponse& r : inner.get_future().get()) {
        CHECK(r.status == 400);
        CHECK(r.error_class == sw::ErrorClass::invalid_request);
        CHECK(r.trace.error == sw::RouteError::would_deadlock);
        CHECK_THAT(r.error, Catch::Contains("would deadlock"));
        CHECK(r.trace.attempts.empty());
    }
    CHECK(mock().attempts("deadlock-refused") == 1);  // only the outer request was sent
}

TEST_CASE("destroying a router completes every request still running") {
    std::promise<sw::ChatResponse> done;
    {
        sw::Router router(config({pool("primary", {provider("a", "shutdown@hang")})}));
        router.chat_async(kChat, [&](sw::ChatResponse r) { done.set_value(std::move(r)); });
        REQUIRE(mock().wait_for_attempts("shutdown@hang", 1));  // in flight at the provider
    }
    auto future = done.get_future();
    REQUIRE(future.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    CHECK(future.get().status == 499);
}

TEST_CASE("embeddings are routed the same way") {
    sw::Router router(config({pool("primary", {provider("a", "emb@status=503")}, {"backup"}), pool("backup", {provider("b", "emb-ok")})}));
    sw::ChatResponse r = router.embeddings(R"({"model":"chat","input":"hello"})");
    REQUIRE(r.ok());
    CHECK_THAT(r.body, Catch::Contains(R"("object":"list")"));
    CHECK(r.trace.used_fallback);
}

TEST_CASE("soak: 20k requests, 20% injected faults, one provider down: none lost, hung or truncated") {
    constexpr int kRequests = 20000;
    constexpr int kWindow = 256;  // requests in flight at once
    // "a" and "b" stay up, failing 20% of their attempts; only "down" may trip its breaker.
    // fail_every=5 spreads the faults evenly in the order the mock numbers attempts, but the
    // breaker counts them in the order answers are handled: with 256 in flight, answers that
    // wait together (the I/O thread preempted for a few ms) are handled together, in an order
    // that is not the mock's. Under load five faults then come back to back and a breaker of
    // failureThreshold 5 opens; for 60 s, the rest of the run, one provider then serves alone and
    // about 4% of requests fail (both its attempts faulted). So the breaker here needs more
    // than chance can give: 20 consecutive failures (at 20% in any order, about 1e-10 a run),
    // or half of at least 100 requests. "down" fails every attempt and still trips it.
    const std::string pool_settings =
        R"("healthThresholds":{"errorRate":50},)"
        R"("circuitBreaker":{"failureThreshold":20,"minRequestsThreshold":100,"resetTimeout":60000})";
    sw::Router router(config({pool("primary",
                                   {provider("a", "soak-a@status=500,fail_every=5", {{"retryDelay", "1"}}),
                                    provider("b", "soak-b@status=503,fail_every=5", {{"retryDelay", "1"}}),
                                    provider("down", "soak-down",
                                             {{"apiBase", fmt::format(R"("http://127.0.0.1:{}/v1")", closed_port())}})},
                                   {}, pool_settings)}));
    std::mutex mutex;
    std::condition_variable cv;
    int in_flight = 0, completed = 0, succeeded = 0, explicit_failures = 0, truncated = 0, duplicated = 0;
    std::vector<std::uint8_t> done(kRequests, 0);
    for (int i = 0; i < kRequests; ++i) {
        {
            std::unique_lock<std::mutex> lock(mutex);
            REQUIRE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return in_flight < kWindow; }));
            ++in_flight;
        }
        const bool stream = i % 5 == 0;
        auto text = std::make_shared<std::string>();
        auto finished = [&, i, stream, text](sw::ChatResponse r) {
            std::lock_guard<std::mutex> lock(mutex);
            --in_flight;
            ++completed;
            if (done[static_cast<std::size_t>(i)]++) ++duplicated;
            if (r.ok()) {
                ++succeeded;
                const bool whole = stream ? (r.text == "tok1 tok2 tok3 tok4 tok5 " && r.finish_reason == "stop")
                                          : (r.text.rfind("Hello from the mock (soak-", 0) == 0 && r.finish_reason == "stop");
                if (!whole) ++truncated;
            } else if (r.status >= 400 && !r.error.empty()) {
                ++explicit_failures;
            }
            cv.notify_all();
        };
        if (stream) router.chat_stream_async(kStream, [text](std::string_view) {}, finished);
        else router.chat_async(kChat, finished);
    }
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(120), [&] { return completed == kRequests; }));  // 0 hung
    CHECK(duplicated == 0);
    CHECK(std::count(done.begin(), done.end(), 1) == kRequests);  // 0 lost
    CHECK(truncated == 0);
    CHECK(succeeded + explicit_failures == kRequests);
    CHECK(succeeded >= kRequests * 99 / 100);
    const auto status = router.status();
    for (const auto& p : status.pools.at(0).providers)
        UNSCOPED_INFO(p.name << ": " << sw::to_string(p.breaker) << ", consecutive failures " << p.consecutive_failures
                             << ", window " << p.window_requests << ", error rate " << p.error_rate);
    CHECK(status.pools.at(0).providers.at(2).breaker == sw::BreakerState::open);  // the down provider
    INFO("succeeded " << succeeded << ", failed explicitly " << explicit_failures);
    CHECK(mock().attempts("soak-a@status=500,fail_every=5") > kRequests / 4);
}

TEST_CASE("a provider that reports no requests left cools down until its reset") {
    const std::string answer =
        R"({"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant",)"
        R"("content":"last one"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})";
    sw::test::ScriptedServer limited({sw::test::Step::send(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-ratelimit-remaining-requests: 0\r\n"
        "x-ratelimit-reset-requests: 30s\r\nContent-Length: " + std::to_string(answer.size()) + "\r\n\r\n" + answer)});
    const std::string a = fmt::format(R"({{"name":"a","provider":"custom","apiBase":"http://127.0.0.1:{}/v1","modelName":"m","priority":1}})",
                                      limited.port());
    sw::Router router(config({pool("primary", {a, provider("b", "ratelimit-b", {{"priority", "2"}})})}));
    sw::ChatResponse first = router.chat(kChat);
    REQUIRE(first.ok());
    CHECK(first.trace.provider == "a");
    CHECK(first.text == "last one");
    CHECK(router.status().pools.at(0).providers.at(0).cooldown_remaining > sw::Millis(25000));
    sw::ChatResponse second = router.chat(kChat);
    REQUIRE(second.ok());
    CHECK(second.trace.provider == "b");
    CHECK(limited.requests() == 1);
}
