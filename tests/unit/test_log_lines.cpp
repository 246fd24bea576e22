// test_log_lines.cpp — a router's log lines (docs/logging.md) from hand-built events, on a fixed
// wall clock: the exact JSON and text lines, the level filter, the parts that can be turned off,
// and a sink that throws.
#include "observe/log_lines.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using sw::LogLevel;

namespace {

using Lines = std::vector<std::pair<LogLevel, std::string>>;

sw::observe::LogLines logger(sw::LoggingConfig config, Lines& out) {
    // 2026-12-07T09:13:35.123Z
    const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796634815123));
    return sw::observe::LogLines(
        config, [&out](LogLevel level, std::string_view line) { out.emplace_back(level, std::string(line)); },
        [at] { return at; });
}

sw::RouteResult served_trace() {
    sw::RouteResult t;
    t.ok = true;
    t.model = "chat";
    t.pool_id = "main";
    t.provider = "m1";
    t.usage = {12, 7};
    t.attempts.resize(2);
    t.used_fallback = true;
    return t;
}

sw::RequestFinishedEvent finished(const sw::RouteResult& trace, int status) {
    return sw::RequestFinishedEvent{.request = 42,
                                    .correlation_id = "order 9",
                                    .client_id = "team-a",
                                    .operation = "chat",
                                    .status = status,
                                    .error_class = status == 200 ? sw::ErrorClass::success : sw::ErrorClass::transient,
                                    .trace = trace,
                                    .cost_usd = 0.0019,
                                    .latency = std::chrono::microseconds(12500),
                                    .time_to_first_token = std::nullopt};
}

}  // namespace

TEST_CASE("a request's JSON line holds its ids, route, usage and timings") {
    Lines lines;
    auto log = logger({}, lines);
    const sw::RouteResult trace = served_trace();
    log.on_request_finished(finished(trace, 200));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].first == LogLevel::info);
    CHECK(lines[0].second ==
          R"({"time":"2026-12-07T09:13:35.123Z","level":"info","event":"request","request_id":42,)"
          R"("correlation_id":"order 9","client_id":"team-a","operation":"chat","streaming":false,"model":"chat",)"
          R"("label":"","pool":"main","provider":"m1","status":200,"error_class":"success","attempts":2,)"
          R"("used_fallback":true,"input_tokens":12,"output_tokens":7,"cost_usd":0.0019,"latency_ms":12.5,)"
          R"("ttft_ms":null})");
}

TEST_CASE("a request answered from the response cache says cache_hit, and only then") {
    Lines lines;
    auto log = logger({}, lines);
    sw::RouteResult trace = served_trace();
    trace.cache_hit = true;
    log.on_request_finished(finished(trace, 200));
    trace.cache_hit = false;
    log.on_request_finished(finished(trace, 200));
    REQUIRE(lines.size() == 2);
    CHECK_THAT(lines[0].second, Catch::Contains(R"("used_fallback":true,"cache_hit":true,"input_tokens")"));
    CHECK_THAT(lines[1].second, !Catch::Contains("cache_hit"));
}

TEST_CASE("the text form is logfmt, quoting what needs it") {
    Lines lines;
    sw::LoggingConfig config;
    config.format = sw::LogFormat::text;
    auto log = logger(config, lines);
    const sw::RouteResult trace = served_trace();
    log.on_request_finished(finished(trace, 200));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].second ==
          "time=2026-12-07T09:13:35.123Z level=info event=request request_id=42 correlation_id=\"order 9\" "
          "client_id=team-a operation=chat streaming=false model=chat label=\"\" pool=main provider=m1 status=200 "
          "error_class=success attempts=2 used_fallback=true input_tokens=12 output_tokens=7 cost_usd=0.0019 "
          "latency_ms=12.5");
}

TEST_CASE("the level filters lines, and request lines and correlation ids can be turned off") {
    Lines lines;
    sw::LoggingConfig config;
    config.level = LogLevel::warning;
    auto log = logger(config, lines);
    const sw::RouteResult trace = served_trace();
    log.on_request_finished(finished(trace, 200));  // info: below the level
    log.on_request_finished(finished(trace, 502));  // warning
    log.on_breaker_transition({.pool = "main", .provider = "m1", .from = sw::BreakerState::open,
                               .to = sw::BreakerState::half_open});  // info
    log.on_breaker_transition({.pool = "main", .provider = "m1", .from = sw::BreakerState::closed,
                               .to = sw::BreakerState::open, .open_for = sw::Millis(30000)});
    log.reloaded(3, 2);  // info
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].first == LogLevel::warning);
    CHECK(lines[0].second.find(R"("status":502,"error_class":"transient")") != std::string::npos);
    CHECK(lines[1].second ==
          R"({"time":"2026-12-07T09:13:35.123Z","level":"warning","event":"breaker","pool":"main","provider":"m1",)"
          R"("from":"closed","to":"open","open_for_ms":30000,"permanent":false,"manual":false})");

    Lines quiet;
    sw::LoggingConfig off;
    off.requests = false;
    auto no_requests = logger(off, quiet);
    no_requests.on_request_finished(finished(trace, 502));
    no_requests.reloaded(3, 2);
    REQUIRE(quiet.size() == 1);
    CHECK(quiet[0].second == R"({"time":"2026-12-07T09:13:35.123Z","level":"info","event":"reload","pools":3,"models":2})");

    Lines anonymous;
    sw::LoggingConfig no_ids;
    no_ids.correlation_id = false;
    auto without_ids = logger(no_ids, anonymous);
    without_ids.on_request_finished(finished(trace, 200));
    REQUIRE(anonymous.size() == 1);
    CHECK(anonymous[0].second.find("correlation_id") == std::string::npos);
    CHECK(anonymous[0].second.find(R"("client_id":"team-a")") != std::string::npos);
}

TEST_CASE("a sink that throws loses its line and nothing else") {
    int calls = 0;
    sw::observe::LogLines log({}, [&calls](LogLevel, std::string_view) {
        ++calls;
        throw std::runtime_error("disk full");
    });
    const sw::RouteResult trace = served_trace();
    CHECK_NOTHROW(log.on_request_finished(finished(trace, 200)));
    CHECK_NOTHROW(log.reloaded(1, 1));
    CHECK(calls == 2);
}
