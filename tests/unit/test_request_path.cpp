// test_request_path.cpp — the router's real request path (RequestDriver, adapters, credential
// cache, stream gate) on a simulated I/O thread: retries, Retry-After, timeouts, the deadline,
// the credential wait, the stream hold-back and failover before the first content byte, each at
// the exact simulated instant the contract gives. Over real sockets these took seconds of real
// time and could flake; the wire itself is proven over the loopback mock (tests/integration).
#include "sim_scenario.hpp"

#include <simdjson.h>

using namespace swtest;

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

TEST_CASE("request path: every attempt carries its cost, and the response the serving one's") {
    Scenario s({pool("primary", {provider("a", {{"costPerToken", "0.001"}})}, {"backup"}),
                pool("backup", {provider("b")})});
    s.scripts["a"] = {error_answer(500), ok_answer("a")};
    SimResult r = s.chat(kChat);
    REQUIRE(r.response.ok());
    REQUIRE(r.response.trace.attempts.size() == 2);
    CHECK(r.response.trace.attempts[0].cost_usd == 0.0);  // a failure reports no tokens
    REQUIRE(r.response.trace.attempts[1].cost_usd);
    CHECK(*r.response.trace.attempts[1].cost_usd == Approx(0.010));  // 3 + 7 tokens at 0.001
    CHECK(r.response.cost_usd == r.response.trace.attempts[1].cost_usd);
    CHECK_THAT(r.response.trace_json(), Catch::Contains(R"("backoff_ms":0,"cost_usd":0})"));

    Scenario other({pool("primary", {provider("b")})});
    SimResult r2 = other.chat(kChat);
    CHECK_FALSE(r2.response.trace.attempts[0].cost_usd);  // no price: no figure
    CHECK_FALSE(r2.response.cost_usd);
}
