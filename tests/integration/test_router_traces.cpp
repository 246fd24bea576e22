// test_router_traces.cpp — a Router's trace context and spans over real HTTP to the loopback mock:
// the spans of a request that fell back, the traceparent each attempt sent upstream, a caller's
// trace joined or passed on, the switches that turn it off, and no secret in any span.
#include "mock_process.hpp"

#include <switch/config_loader.hpp>
#include <switch/router.hpp>
#include <switch/tracing.hpp>

#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <simdjson.h>

#include <mutex>
#include <vector>

using sw::test::MockProcess;

namespace {

MockProcess& mock() {
    static MockProcess instance;
    return instance;
}

constexpr const char* kCanary = "sk-canary-51d0c3e9a7b24f68";
// A caller's context, as W3C's own example gives it.
constexpr const char* kCallerTraceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
constexpr sw::TraceId kCallerTrace{0x0af7651916cd43ddULL, 0x8448eb211c80319cULL};
constexpr std::uint64_t kCallerSpan = 0xb7ad6b7169203331ULL;

// Pool "primary" holds one provider whose model (the mock's key) is `spec`, sending the headers
// `primary_headers`; it falls back to "backup", whose model is `backup`. `tracing` is the
// config's monitoring.tracing object.
std::shared_ptr<const sw::Config> config(const std::string& spec, const std::string& backup,
                                         const std::string& tracing = "{}", const std::string& primary_headers = "{}") {
    const std::string text = fmt::format(
        R"({{"credentialStores":{{"key":{{"type":"simple","source":"env","config":{{"apiKeyVar":"CANARY_KEY"}}}}}},)"
        R"("pools":[{{"id":"primary","providers":[{{"name":"a","provider":"custom","modelName":"{}","apiBase":"{}/v1",)"
        R"("credentialsRef":"key","costPerToken":0.001,"maxRetries":0,"timeout":2000,"headers":{}}}],)"
        R"("fallbackPoolIds":["backup"]}},)"
        R"({{"id":"backup","providers":[{{"name":"b","provider":"custom","modelName":"{}","apiBase":"{}/v1",)"
        R"("credentialsRef":"key","maxRetries":0}}]}}],)"
        R"("models":{{"chat":{{"primaryPoolId":"primary"}}}},"monitoring":{{"tracing":{}}}}})",
        spec, mock().base(), primary_headers, backup, mock().base(), tracing);
    sw::LoadOptions options;
    options.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto result = sw::load_config_string(text, sw::ConfigFormat::json, "test", options);
    INFO(sw::format_diagnostics_text(result));
    REQUIRE(result.ok());
    return result.config;
}

struct Spans {
    std::mutex mutex;
    std::vector<sw::Span> all;
    std::vector<sw::Span> take() {
        std::lock_guard lock(mutex);
        return all;
    }
};

sw::RouterOptions options(const std::shared_ptr<Spans>& spans) {
    sw::RouterOptions o;
    o.env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "CANARY_KEY") return std::string(kCanary);
        return std::nullopt;
    };
    if (spans)
        o.span_sink = [spans](const sw::Span& span) {
            std::lock_guard lock(spans->mutex);
            spans->all.push_back(span);
        };
    return o;
}

const std::string kRequest = R"({"model":"chat","messages":[{"role":"user","content":"hi"}]})";

sw::ChatOptions from_caller() {
    sw::ChatOptions chat;
    chat.traceparent = kCallerTraceparent;
    chat.tracestate = "vendor=abc";
    return chat;
}

// The header the mock last received for scenario `key`; "" when none.
std::string last_header(const std::string& key, const char* name) {
    simdjson::dom::parser parser;
    std::string_view value;
    if (parser.parse(mock().last_headers_json())["last_headers"][key][name].get(value)) return "";
    return std::string(value);
}

const sw::SpanValue* attribute(const sw::Span& span, std::string_view key) {
    for (const sw::SpanAttribute& a : span.attributes)
        if (a.key == key) return &a.value;
    return nullptr;
}

template <class T>
T value_of(const sw::Span& span, std::string_view key) {
    INFO(key);
    const sw::SpanValue* v = attribute(span, key);
    REQUIRE(v != nullptr);
    REQUIRE(std::holds_alternative<T>(*v));
    return std::get<T>(*v);
}

}  // namespace

TEST_CASE("a request that fell back records its span and one per attempt, and each attempt sent its own traceparent",
          "[traces]") {
    auto spans = std::make_shared<Spans>();
    const std::string fail = "traces-fail@status=503", backup = "traces-backup";
    sw::Router router(config(fail, backup), options(spans));
    const sw::ChatResponse r = router.chat(kRequest, from_caller());
    REQUIRE(r.status == 200);

    const std::vector<sw::Span> got = spans->take();
    REQUIRE(got.size() == 3);  // the attempts as they ended, then the request
    const sw::Span& first = got[0];
    const sw::Span& second = got[1];
    const sw::Span& request = got[2];

    // The request's span joins the caller's trace, under the caller's span.
    CHECK(request.name == "chat chat");
    CHECK(request.kind == sw::SpanKind::internal);
    CHECK(request.trace_id == kCallerTrace);
    CHECK(request.parent_span_id == kCallerSpan);
    CHECK(request.span_id != 0);
    CHECK(request.flags == 0x01);
    CHECK_FALSE(request.error);
    CHECK(value_of<std::string>(request, "gen_ai.operation.name") == "chat");
    CHECK(value_of<std::string>(request, "gen_ai.request.model") == "chat");
    CHECK(value_of<std::string>(request, "gen_ai.response.model") == backup);
    CHECK(value_of<std::string>(request, "libswitch.pool") == "backup");
    CHECK(value_of<bool>(request, "libswitch.used_fallback"));
    CHECK(value_of<std::int64_t>(request, "libswitch.attempts") == 2);
    CHECK(value_of<std::vector<std::string>>(request, "gen_ai.response.finish_reasons") ==
          std::vector<std::string>{r.finish_reason});
    REQUIRE(r.usage.input_tokens > 0);
    CHECK(value_of<std::int64_t>(request, "gen_ai.usage.input_tokens") == static_cast<std::int64_t>(r.usage.input_tokens));
    CHECK(value_of<std::int64_t>(request, "gen_ai.usage.output_tokens") == static_cast<std::int64_t>(r.usage.output_tokens));

    // Each attempt: a client span under the request's, with the id its traceparent carried.
    for (const sw::Span* s : {&first, &second}) {
        CHECK(s->kind == sw::SpanKind::client);
        CHECK(s->trace_id == kCallerTrace);
        CHECK(s->parent_span_id == request.span_id);
    }
    CHECK(first.span_id == sw::attempt_span_id(request.span_id, 1));
    CHECK(second.span_id == sw::attempt_span_id(request.span_id, 2));
    CHECK(first.name == "chat " + fail);
    CHECK(first.error);
    CHECK(value_of<std::int64_t>(first, "http.response.status_code") == 503);
    CHECK(value_of<std::string>(first, "error.type") == first.status_message);
    CHECK(value_of<std::string>(first, "libswitch.pool") == "primary");
    CHECK_FALSE(second.error);
    CHECK(value_of<std::int64_t>(second, "http.response.status_code") == 200);
    CHECK(value_of<std::string>(second, "gen_ai.response.model") == backup);

    // In time order, inside the request's span.
    CHECK(request.start_unix_nanos <= first.start_unix_nanos);
    CHECK(first.start_unix_nanos < first.end_unix_nanos);
    CHECK(first.end_unix_nanos <= second.start_unix_nanos);
    CHECK(second.start_unix_nanos < second.end_unix_nanos);
    CHECK(second.end_unix_nanos <= request.end_unix_nanos);

    // What the mock received: each attempt's own span as the parent, and the caller's tracestate.
    CHECK(last_header(fail, "traceparent") == sw::format_traceparent(kCallerTrace, first.span_id, 0x01));
    CHECK(last_header(backup, "traceparent") == sw::format_traceparent(kCallerTrace, second.span_id, 0x01));
    CHECK(last_header(backup, "tracestate") == "vendor=abc");
}

TEST_CASE("a request without a caller's trace begins one when the router records spans", "[traces]") {
    auto spans = std::make_shared<Spans>();
    const std::string key = "traces-root";
    sw::Router router(config(key, "traces-unused"), options(spans));
    sw::ChatOptions chat;
    chat.traceparent = "00-not-a-traceparent";  // malformed: ignored, as W3C asks
    REQUIRE(router.chat(kRequest, chat).status == 200);
    const std::vector<sw::Span> got = spans->take();
    REQUIRE(got.size() == 2);
    const sw::Span& request = got[1];
    CHECK(request.trace_id.valid());
    CHECK(request.trace_id != kCallerTrace);
    CHECK(request.parent_span_id == 0);  // a root
    CHECK(request.flags == 0x01);
    CHECK(last_header(key, "traceparent") == sw::format_traceparent(request.trace_id, got[0].span_id, 0x01));
    CHECK(last_header(key, "tracestate").empty());
}

TEST_CASE("without a span sink the caller's traceparent goes upstream as it came", "[traces]") {
    const std::string key = "traces-passed-on";
    sw::Router router(config(key, "traces-unused"), options(nullptr));
    REQUIRE(router.chat(kRequest, from_caller()).status == 200);
    CHECK(last_header(key, "traceparent") == kCallerTraceparent);
    CHECK(last_header(key, "tracestate") == "vendor=abc");

    const std::string plain = "traces-no-caller";
    sw::Router quiet(config(plain, "traces-unused"), options(nullptr));
    REQUIRE(quiet.chat(kRequest).status == 200);
    CHECK(last_header(plain, "traceparent").empty());  // nothing to pass on
}

TEST_CASE("monitoring.tracing turns propagation or all tracing off", "[traces]") {
    SECTION("propagate false: spans, but no header upstream") {
        auto spans = std::make_shared<Spans>();
        const std::string key = "traces-no-propagate";
        sw::Router router(config(key, "traces-unused", R"({"propagate":false})"), options(spans));
        REQUIRE(router.chat(kRequest, from_caller()).status == 200);
        CHECK(spans->take().size() == 2);
        CHECK(last_header(key, "traceparent").empty());
        CHECK(last_header(key, "tracestate").empty());
    }
    SECTION("enabled false: no span, and no header upstream") {
        auto spans = std::make_shared<Spans>();
        const std::string key = "traces-disabled";
        sw::Router router(config(key, "traces-unused", R"({"enabled":false})"), options(spans));
        REQUIRE(router.chat(kRequest, from_caller()).status == 200);
        CHECK(spans->take().empty());
        CHECK(last_header(key, "traceparent").empty());
    }
}

TEST_CASE("spans never hold the key, a provider's message or the prompt", "[traces]") {
    auto spans = std::make_shared<Spans>();
    // The mock's scenario in a header, so that only the provider's message holds the key.
    const std::string scenario =
        fmt::format(R"({{"x-mock-scenario":"status=401,error_message=Incorrect API key {}"}})", kCanary);
    sw::Router router(config("traces-canary", "traces-canary-backup", "{}", scenario), options(spans));
    const std::string prompt = "canary-prompt-93b1e0";
    const sw::ChatResponse r =
        router.chat(fmt::format(R"({{"model":"chat","messages":[{{"role":"user","content":"{}"}}]}})", prompt),
                    from_caller());
    REQUIRE(r.status == 200);
    const std::vector<sw::Span> got = spans->take();
    REQUIRE(got.size() == 3);
    CHECK(value_of<std::string>(got[0], "error.type") == "auth");
    for (const sw::Span& s : got) {
        const std::string json = sw::to_json(s);
        CHECK(json.find(kCanary) == std::string::npos);
        CHECK(json.find("Incorrect API key") == std::string::npos);
        CHECK(json.find(prompt) == std::string::npos);
    }
}
