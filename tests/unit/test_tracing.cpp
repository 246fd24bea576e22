// test_tracing.cpp — W3C trace context read and written, a request's origin on a seeded random
// source, and a request's spans built from a hand-built event on a fixed wall clock: their ids,
// parents, exact times, attributes and JSON.
#include "api/request_origin.hpp"
#include "observe/span_recorder.hpp"

#include <switch/tracing.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr sw::TraceId kTrace{0x0af7651916cd43ddULL, 0x8448eb211c80319cULL};
constexpr const char* kW3cExample = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

const sw::SpanValue* attribute(const sw::Span& span, std::string_view key) {
    for (const sw::SpanAttribute& a : span.attributes)
        if (a.key == key) return &a.value;
    return nullptr;
}

}  // namespace

TEST_CASE("traceparent is read as W3C writes it") {
    const auto c = sw::parse_traceparent(kW3cExample);
    REQUIRE(c.has_value());
    CHECK(c->trace_id == kTrace);
    CHECK(c->parent_span_id == 0xb7ad6b7169203331ULL);
    CHECK(c->span_id == 0);
    CHECK(c->flags == 0x01);
    CHECK(sw::format_traceparent(c->trace_id, c->parent_span_id, c->flags) == kW3cExample);
    // A later version may add fields after a dash; version 00 may not.
    CHECK(sw::parse_traceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00-extra").has_value());
    CHECK_FALSE(sw::parse_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra"));
}

TEST_CASE("a malformed traceparent is refused") {
    for (const char* bad : {"", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",       // no flags
                            "00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01",         // uppercase
                            "00-00000000000000000000000000000000-b7ad6b7169203331-01",         // zero trace
                            "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",         // zero parent
                            "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",         // version ff
                            "00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",         // separator
                            "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01",         // not hex
                            "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x"}) {     // no dash
        INFO(bad);
        CHECK_FALSE(sw::parse_traceparent(bad).has_value());
    }
}

TEST_CASE("attempts' span ids are distinct, never 0 and never the request's") {
    std::set<std::uint64_t> seen;
    for (std::uint64_t request : {1ULL, 0xb7ad6b7169203331ULL, ~0ULL}) {
        for (int n = 1; n <= 1000; ++n) {
            const std::uint64_t id = sw::attempt_span_id(request, n);
            CHECK(id != 0);
            CHECK(id != request);
            seen.insert(id);
        }
    }
    CHECK(seen.size() == 3000);
    CHECK(sw::attempt_span_id(42, 3) == sw::attempt_span_id(42, 3));
}

TEST_CASE("a request's origin: the caller's trace joined, or a new one begun, from the random source") {
    sw::ChatOptions chat;
    chat.correlation_id = "order-9";
    chat.traceparent = kW3cExample;
    chat.tracestate = "vendor=abc";
    sw::SplitMixRandom random(7);

    SECTION("tracing off: ids only") {
        const auto o = sw::api::make_origin(chat, {false, true}, random);
        CHECK(o.correlation_id == "order-9");
        CHECK_FALSE(o.trace.valid());
    }
    SECTION("not recording: the caller's context, passed on as it came") {
        const auto o = sw::api::make_origin(chat, {true, false}, random);
        CHECK(o.trace.trace_id == kTrace);
        CHECK(o.trace.parent_span_id == 0xb7ad6b7169203331ULL);
        CHECK(o.trace.span_id == 0);
        CHECK(o.trace.tracestate == "vendor=abc");
    }
    SECTION("recording: a span of its own, in the caller's trace") {
        sw::SplitMixRandom same(7);
        const auto o = sw::api::make_origin(chat, {true, true}, random);
        CHECK(o.trace.trace_id == kTrace);
        CHECK(o.trace.span_id == same.next_u64());
    }
    SECTION("recording, no caller: a new sampled trace") {
        chat.traceparent.clear();
        sw::SplitMixRandom same(7);
        const auto o = sw::api::make_origin(chat, {true, true}, random);
        const std::uint64_t high = same.next_u64(), low = same.next_u64();
        CHECK(o.trace.trace_id == sw::TraceId{high, low});
        CHECK(o.trace.span_id == same.next_u64());
        CHECK(o.trace.parent_span_id == 0);
        CHECK(o.trace.flags == 0x01);
        CHECK(o.trace.tracestate.empty());  // the caller's goes only with the caller's trace
    }
    SECTION("a tracestate that could split a header is dropped") {
        chat.tracestate = "vendor=abc\r\nx-injected: 1";
        const auto o = sw::api::make_origin(chat, {true, false}, random);
        CHECK(o.trace.valid());
        CHECK(o.trace.tracestate.empty());
    }
}

TEST_CASE("a request's spans: exact ids, parents, times and attributes from its trace") {
    std::vector<sw::Span> spans;
    // 2026-12-07T09:13:35.5Z
    const auto wall_end = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796634815500));
    sw::observe::SpanRecorder recorder([&spans](const sw::Span& s) { spans.push_back(s); }, [wall_end] { return wall_end; });
    recorder.set_providers({{{"main", "m1"}, {"openai", "gpt-4o-mini"}}, {{"backup", "b1"}, {"anthropic", "claude-x"}}});

    // Submitted at t=1000 ms on the router's clock, finished at 1250 ms. The first attempt ran
    // from 1010 to 1110 ms and failed; after 20 ms of backoff the second ran from 1130 to 1240 ms.
    const sw::TimePoint t0{1000ms};
    sw::RouteResult trace;
    trace.ok = true;
    trace.model = "chat";
    trace.pool_id = "backup";
    trace.provider = "b1";
    trace.used_fallback = true;
    trace.usage = {12, 7};
    trace.route = sw::PromptRoute{};
    trace.route->label = "code";
    trace.attempts.resize(2);
    trace.attempts[0] = {"main", "m1", 503, sw::TransportError::none, sw::ErrorClass::transient, "overloaded",
                         t0 + 10ms, 100ms, 0ms, std::nullopt};
    trace.attempts[1] = {"backup", "b1", 200, sw::TransportError::none, sw::ErrorClass::success, "",
                         t0 + 130ms, 110ms, 20ms, 0.0019};
    sw::TraceContext context;
    context.trace_id = kTrace;
    context.parent_span_id = 0xb7ad6b7169203331ULL;
    context.span_id = 0x1111222233334444ULL;
    context.flags = 0x01;
    const sw::RequestFinishedEvent e{.time = t0 + 250ms,
                                     .request = 42,
                                     .correlation_id = "order-9",
                                     .client_id = "team-a",
                                     .operation = "chat",
                                     .status = 200,
                                     .error_class = sw::ErrorClass::success,
                                     .trace = trace,
                                     .cost_usd = 0.0019,
                                     .latency = 250ms,
                                     .time_to_first_token = std::nullopt,
                                     .finish_reason = "stop",
                                     .trace_context = &context};
    recorder.on_request_finished(e);
    REQUIRE(spans.size() == 3);
    const std::int64_t end = 1796634815500000000LL, start = end - 250'000'000LL;

    const sw::Span& failed = spans[0];
    CHECK(failed.name == "chat gpt-4o-mini");
    CHECK(failed.span_id == sw::attempt_span_id(context.span_id, 1));
    CHECK(failed.parent_span_id == context.span_id);
    CHECK(failed.start_unix_nanos == start + 10'000'000LL);
    CHECK(failed.end_unix_nanos == start + 110'000'000LL);
    CHECK(failed.error);
    CHECK(failed.status_message == "transient");
    CHECK(sw::to_json(failed) ==
          R"({"name":"chat gpt-4o-mini","kind":"client","trace_id":"0af7651916cd43dd8448eb211c80319c",)"
          R"("span_id":")" + fmt::format("{:016x}", failed.span_id) + R"(","parent_span_id":"1111222233334444",)"
          R"("flags":1,"start_unix_nanos":1796634815260000000,"end_unix_nanos":1796634815360000000,)"
          R"("error":true,"status_message":"transient","attributes":{"gen_ai.operation.name":"chat",)"
          R"("gen_ai.provider.name":"openai","gen_ai.request.model":"gpt-4o-mini","http.response.status_code":503,)"
          R"("libswitch.pool":"main","libswitch.provider":"m1","libswitch.attempt":1,"error.type":"transient",)"
          R"("libswitch.error_code":"overloaded"}})");

    const sw::Span& served = spans[1];
    CHECK(served.span_id == sw::attempt_span_id(context.span_id, 2));
    CHECK(served.start_unix_nanos == start + 130'000'000LL);
    CHECK(served.end_unix_nanos == start + 240'000'000LL);
    CHECK_FALSE(served.error);
    CHECK(std::get<std::string>(*attribute(served, "gen_ai.response.model")) == "claude-x");
    CHECK(std::get<std::string>(*attribute(served, "gen_ai.provider.name")) == "anthropic");
    CHECK(std::get<std::int64_t>(*attribute(served, "libswitch.backoff_ms")) == 20);
    CHECK(std::get<double>(*attribute(served, "libswitch.cost_usd")) == 0.0019);
    CHECK(std::get<std::int64_t>(*attribute(served, "gen_ai.usage.output_tokens")) == 7);

    const sw::Span& request = spans[2];
    CHECK(request.name == "chat chat");
    CHECK(request.kind == sw::SpanKind::internal);
    CHECK(request.span_id == context.span_id);
    CHECK(request.parent_span_id == context.parent_span_id);
    CHECK(request.start_unix_nanos == start);
    CHECK(request.end_unix_nanos == end);
    CHECK_FALSE(request.error);
    CHECK(std::get<std::string>(*attribute(request, "libswitch.route.label")) == "code");
    CHECK(std::get<bool>(*attribute(request, "libswitch.used_fallback")));
    CHECK(std::get<std::string>(*attribute(request, "libswitch.correlation_id")) == "order-9");
    CHECK(std::get<std::vector<std::string>>(*attribute(request, "gen_ai.response.finish_reasons")) ==
          std::vector<std::string>{"stop"});
    // 250 ms less 100 + 110 ms of exchanges and 20 ms of backoff.
    CHECK(std::get<std::int64_t>(*attribute(request, "libswitch.overhead_us")) == 20'000);
    CHECK(sw::router_overhead(trace, 250ms) == 20ms);
    CHECK(attribute(request, "libswitch.client_id") == nullptr);  // who asked is the ledger's, not the trace's
}

TEST_CASE("a request without a span of its own records none, and a failed one says why") {
    std::vector<sw::Span> spans;
    sw::observe::SpanRecorder recorder([&spans](const sw::Span& s) { spans.push_back(s); });
    sw::RouteResult trace;
    trace.model = "chat";
    trace.error = sw::RouteError::exhausted;
    sw::RequestFinishedEvent e{.request = 1, .operation = "chat", .status = 502,
                               .error_class = sw::ErrorClass::transient, .trace = trace};
    recorder.on_request_finished(e);  // no trace context
    sw::TraceContext passed_on;
    passed_on.trace_id = kTrace;  // the caller's, passed on without a span of the router's
    passed_on.parent_span_id = 7;
    e.trace_context = &passed_on;
    recorder.on_request_finished(e);
    CHECK(spans.empty());

    sw::TraceContext own = passed_on;
    own.span_id = 9;
    e.trace_context = &own;
    recorder.on_request_finished(e);
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].error);
    CHECK(spans[0].status_message == "transient");
    CHECK(std::get<std::string>(*attribute(spans[0], "libswitch.route_error")) == "exhausted");
}
