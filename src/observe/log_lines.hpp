// log_lines.hpp — a router's log lines, from its events (docs/logging.md): one per request, per
// breaker transition and per reload, as JSON objects or logfmt text, to the application's sink.
// Lines hold names, numbers and classes from the trace: never a header, key, provider message or
// message content.
#pragma once

#include <switch/config.hpp>
#include <switch/events.hpp>
#include <switch/log.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace sw::observe {

class LogLines final : public RouterObserver {
public:
    using WallClock = std::function<std::chrono::system_clock::time_point()>;
    // `wall_clock` stamps each line; default: std::chrono::system_clock.
    LogLines(LoggingConfig config, LogSink sink, WallClock wall_clock = {});

    void on_breaker_transition(const BreakerTransitionEvent& e) override;
    void on_request_finished(const RequestFinishedEvent& e) override;
    // Router::reload() applied a configuration of `pools` pools and `models` models.
    void reloaded(std::size_t pools, std::size_t models);
    // The usage ledger's database stopped being reachable (`error` says why; the rows dropped so
    // far, all reasons) or is written to again.
    void ledger_reachability(bool reachable, std::string_view error, std::uint64_t dropped);
    // A Redis the router uses (`use`: "shared_state" or "cache"; `server`: redis://HOST:PORT/DB,
    // never a password) has no connection up any more, so that use goes on locally, or has one
    // again (the first one included).
    void redis_availability(std::string_view use, bool available, std::string_view server);

private:
    class Line;
    Line begin(LogLevel level, std::string_view event) const;
    void end(Line& line) const;

    LoggingConfig config_;
    LogSink sink_;
    WallClock wall_clock_;
};

}  // namespace sw::observe
