// test_request_pieces.cpp — the request driver's pieces, each alone: the stream gate, the judging
// of an attempt's result, and the response builder's status and deadline rules.
#include "api/attempt_outcome.hpp"
#include "api/response_builder.hpp"
#include "api/stream_gate.hpp"
#include "providers/adapter.hpp"

#include <switch/testing/fake_clock.hpp>

#include <catch2/catch.hpp>

#include <simdjson.h>

using namespace std::chrono_literals;
using sw::api::AttemptResult;
using sw::api::judge_attempt;
using sw::api::ResponseBuilder;
using sw::api::StreamGate;

namespace {

struct Collected {
    std::vector<std::string> chunks;
    sw::ChunkCallback callback() {
        return [this](std::string_view c) { chunks.emplace_back(c); };
    }
};

sw::ProviderConfig openai_provider() {
    sw::ProviderConfig p;
    p.name = "a";
    p.type = "openai";
    p.api_base = "https://a.example.invalid/v1";
    return p;
}

sw::api::AttemptVerdict judge(AttemptResult r, bool streaming, bool content_delivered = false) {
    static const sw::ProviderConfig provider = openai_provider();
    const sw::providers::ResponseStamp stamp{};
    return judge_attempt(std::move(r), sw::providers::adapter_for(provider), {provider, stamp},
                         sw::providers::Endpoint::chat_completions, streaming, content_delivered);
}

AttemptResult http(int status, std::string body = {}) {
    AttemptResult r;
    r.http.status = status;
    r.http.elapsed = 40ms;
    r.body = std::move(body);
    return r;
}

}  // namespace

TEST_CASE("stream gate: chunks before the first content wait for it, then pass at once") {
    Collected out;
    StreamGate gate(out.callback(), nullptr);
    gate.offer("role", false);
    gate.offer("empty", false);
    CHECK(out.chunks.empty());
    CHECK_FALSE(gate.content_delivered());
    gate.offer("tok1", true);
    CHECK(out.chunks == std::vector<std::string>{"role", "empty", "tok1"});
    gate.offer("finish", false);  // after content, nothing waits
    CHECK(out.chunks.back() == "finish");
    CHECK(gate.content_delivered());
    CHECK_FALSE(gate.first_content());  // no clock: nobody asked for the time to first token
}

TEST_CASE("stream gate: a failed attempt's held chunks are dropped, a successful one's are delivered") {
    Collected out;
    StreamGate gate(out.callback(), nullptr);
    gate.offer("role of the failed attempt", false);
    gate.attempt_failed();
    gate.offer("role of the next", false);
    gate.attempt_succeeded();  // an empty answer: no content, but a good ending
    CHECK(out.chunks == std::vector<std::string>{"role of the next"});
}

TEST_CASE("stream gate: the first content's time is read from the clock it was given, once") {
    sw::FakeClock clock;
    Collected out;
    StreamGate gate(out.callback(), &clock);
    clock.advance(250ms);
    gate.offer("tok1", true);
    const sw::TimePoint first = clock.now();
    clock.advance(1s);
    gate.offer("tok2", true);
    REQUIRE(gate.first_content());
    CHECK(*gate.first_content() == first);
}

TEST_CASE("stream gate: an interruption after content is a valid JSON error chunk, before content, nothing") {
    Collected out;
    StreamGate gate(out.callback(), nullptr);
    gate.interrupt("no content yet");
    CHECK(out.chunks.empty());
    gate.offer("tok1", true);
    gate.interrupt(R"(model "chat": stream interrupted \ cut)");
    REQUIRE(out.chunks.size() == 2);
    simdjson::dom::parser parser;
    std::string_view type, message;
    REQUIRE_FALSE(parser.parse(out.chunks.back())["error"]["type"].get(type));
    REQUIRE_FALSE(parser.parse(out.chunks.back())["error"]["message"].get(message));
    CHECK(type == "stream_interrupted");
    CHECK(message == R"(model "chat": stream interrupted \ cut)");  // quotes kept, not rewritten
}

TEST_CASE("judging: an error answer carries the provider's error, latency and rate-limit headers") {
    AttemptResult r = http(429, R"({"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}})");
    r.limits.observe_header("retry-after-ms", "1500");
    r.limits.observe_header("x-ratelimit-remaining-requests", "0");
    r.limits.observe_header("x-ratelimit-reset-requests", "2s");
    auto v = judge(std::move(r), false);
    CHECK_FALSE(v.answer);
    CHECK(v.outcome.http_status == 429);
    CHECK(v.outcome.error_code == "rate_limit_exceeded");
    CHECK(v.outcome.error_message == "slow down");
    CHECK(v.outcome.retry_after_ms == "1500");
    CHECK(v.outcome.rate_limit_reset == 2000ms);
    CHECK(v.outcome.latency == 40ms);
}

TEST_CASE("judging: a whole answer serves, a 200 that is not the promised JSON is a protocol failure") {
    auto good = judge(http(200, R"({"choices":[{"index":0,"message":{"role":"assistant","content":"hi"},)"
                                R"("finish_reason":"stop"}],"usage":{"prompt_tokens":2,"completion_tokens":1}})"),
                      false);
    REQUIRE(good.answer);
    CHECK(good.answer->text == "hi");
    CHECK(good.answer->finish_reason == "stop");
    CHECK_FALSE(good.answer->body.empty());
    CHECK(good.outcome.usage.input_tokens == 2);
    auto bad = judge(http(200, "<html>gateway</html>"), false);
    CHECK_FALSE(bad.answer);
    CHECK(bad.outcome.transport == sw::TransportError::protocol);
}

TEST_CASE("judging: a stream serves only with a finish reason or [DONE], and never after it broke") {
    AttemptResult ended = http(200);
    ended.finish_seen = true;
    ended.text = "tok1 ";
    ended.finish_reason = "stop";
    auto served = judge(std::move(ended), true);
    REQUIRE(served.answer);
    CHECK(served.answer->body.empty());  // its chunks went out already
    CHECK(served.answer->text == "tok1 ");

    auto unfinished = judge(http(200), true, true);
    CHECK_FALSE(unfinished.answer);
    CHECK(unfinished.outcome.transport == sw::TransportError::protocol);
    CHECK(unfinished.outcome.content_delivered);

    AttemptResult blocked = http(200);
    blocked.stream_error = true;
    blocked.error_status = 400;
    blocked.error_code = "content_filter";
    blocked.finish_seen = true;
    auto v = judge(std::move(blocked), true);
    CHECK_FALSE(v.answer);
    CHECK(v.outcome.http_status == 400);  // the error's own meaning, not a protocol failure
    CHECK(v.outcome.error_code == "content_filter");
}

TEST_CASE("response: the status of each routing ending") {
    auto status = [](sw::RouteError e, sw::ErrorClass c = sw::ErrorClass::transient) {
        sw::RouteResult r;
        r.error = e;
        r.error_class = c;
        return sw::api::status_for(r);
    };
    CHECK(status(sw::RouteError::none) == 200);
    CHECK(status(sw::RouteError::unknown_model) == 404);
    CHECK(status(sw::RouteError::deadline_exceeded) == 504);
    CHECK(status(sw::RouteError::exhausted) == 502);
    CHECK(status(sw::RouteError::exhausted, sw::ErrorClass::rate_limited) == 429);
    CHECK(status(sw::RouteError::attempts_exceeded) == 502);
    CHECK(status(sw::RouteError::stream_interrupted) == 502);
    CHECK(status(sw::RouteError::cancelled) == 499);
    CHECK(status(sw::RouteError::would_deadlock) == 400);
    sw::RouteResult rejected;
    rejected.error = sw::RouteError::rejected;
    CHECK(sw::api::status_for(rejected) == 400);
    rejected.attempts.resize(2);
    rejected.attempts[0].http_status = 413;
    rejected.attempts[1].http_status = 0;
    CHECK(sw::api::status_for(rejected) == 413);  // the provider's own 4xx
}

TEST_CASE("response: a request that used up its deadline is a 504, unless the provider rejected it") {
    sw::RouteResult exhausted;
    exhausted.error = sw::RouteError::exhausted;
    ResponseBuilder spent;
    spent.attempt_ended(true);
    auto r = spent.build(exhausted, false);
    CHECK(r.status == 504);
    CHECK_THAT(r.error, Catch::StartsWith("deadline exceeded; "));
    CHECK(ResponseBuilder().build(exhausted, true).status == 504);  // the clock says so
    CHECK(ResponseBuilder().build(exhausted, false).status == 502);
    sw::RouteResult rejected;
    rejected.error = sw::RouteError::rejected;
    CHECK(ResponseBuilder().build(rejected, true).status == 400);
}

TEST_CASE("response: libswitch's own failure reasons are named once each, after the routing error") {
    ResponseBuilder b;
    b.local_failure("a", "credential store \"k\": MY_KEY is not set");
    b.local_failure("a", "credential store \"k\": MY_KEY is not set");
    b.local_failure("b", "unsupported request");
    sw::RouteResult exhausted;
    exhausted.error = sw::RouteError::exhausted;
    exhausted.message = "every provider failed";
    CHECK(b.build(exhausted, false).error ==
          "every provider failed; provider \"a\": credential store \"k\": MY_KEY is not set; provider \"b\": "
          "unsupported request");
}

TEST_CASE("response: a served request has the answer, its usage and its cost, a cancelled one says why") {
    sw::ProviderConfig p = openai_provider();
    p.cost_per_token = 0.5;
    ResponseBuilder b;
    b.served(p, {"{}", "hi", "stop"});
    sw::RouteResult ok;
    ok.ok = true;
    ok.usage = {3, 1};
    auto r = b.build(ok, true);  // past the deadline, but served: a success
    CHECK(r.status == 200);
    CHECK(r.text == "hi");
    CHECK(r.usage.output_tokens == 1);
    CHECK(r.cost_usd == 2.0);  // 4 tokens at 0.5
    auto c = ResponseBuilder().cancelled({}, true);
    CHECK(c.status == 499);
    CHECK(c.error == "the router is shutting down");
    CHECK(c.trace.error == sw::RouteError::cancelled);
    CHECK(ResponseBuilder().cancelled({}, false).error == "cancelled");
}
