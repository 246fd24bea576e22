// log_lines.cpp — see log_lines.hpp.
#include "observe/log_lines.hpp"

#include "common/json_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <optional>

namespace sw::observe {

// One line, built field by field in either format: JSON ({"time":...,"level":...,...}) or
// logfmt (`time=... level=... key=value`, a value quoted when it holds a space, quote, `=` or
// control character).
class LogLines::Line {
public:
    Line(LogFormat format, LogLevel level) : format_(format), level_(level) {
        if (format_ == LogFormat::json) json_.begin_object();
    }

    LogLevel level() const { return level_; }

    Line& field(std::string_view key, std::string_view value) {
        if (format_ == LogFormat::json) json_.key(key).string(value);
        else append_text(key, value, true);
        return *this;
    }
    // Not the bool overload, which a string literal would otherwise pick.
    Line& field(std::string_view key, const char* value) { return field(key, std::string_view(value)); }
    Line& field(std::string_view key, std::int64_t value) {
        if (format_ == LogFormat::json) json_.key(key).integer(value);
        else append_text(key, std::to_string(value), false);
        return *this;
    }
    Line& field(std::string_view key, bool value) {
        if (format_ == LogFormat::json) json_.key(key).boolean(value);
        else append_text(key, value ? "true" : "false", false);
        return *this;
    }
    // A number, or null (JSON) / nothing (text) when absent.
    Line& field(std::string_view key, std::optional<double> value) {
        if (format_ == LogFormat::json) {
            json_.key(key);
            if (value) json_.number(*value);
            else json_.null();
        } else if (value) {
            append_text(key, fmt::format("{:.6g}", *value), false);
        }
        return *this;
    }

    std::string take() {
        if (format_ == LogFormat::json) return json_.end_object().take();
        return std::move(text_);
    }

private:
    void append_text(std::string_view key, std::string_view value, bool maybe_quote) {
        if (!text_.empty()) text_ += ' ';
        text_ += key;
        text_ += '=';
        const bool quoted = maybe_quote && (value.empty() || value.find_first_of(" \"=\\") != std::string_view::npos ||
                                            std::any_of(value.begin(), value.end(), [](char c) {
                                                return static_cast<unsigned char>(c) < 0x20;
                                            }));
        if (!quoted) {
            text_ += value;
            return;
        }
        // JSON's string escaping is a well-defined quoting for logfmt values too.
        append_json_string(text_, value);
    }

    LogFormat format_;
    LogLevel level_;
    JsonWriter json_;
    std::string text_;
};

namespace {

// 2026-12-07T09:13:35.123Z: UTC, to the millisecond.
std::string utc_time(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
}

double millis(Nanos d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Served, cancelled, and the caller's own mistakes (400, 404) are the normal life of a router;
// 429 and 5xx say that capacity or providers are failing.
LogLevel request_level(int status) { return status == 429 || status >= 500 ? LogLevel::warning : LogLevel::info; }

}  // namespace

LogLines::LogLines(LoggingConfig config, LogSink sink, WallClock wall_clock)
    : config_(config), sink_(std::move(sink)), wall_clock_(std::move(wall_clock)) {
    if (!wall_clock_) wall_clock_ = [] { return std::chrono::system_clock::now(); };
}

LogLines::Line LogLines::begin(LogLevel level, std::string_view event) const {
    Line line(config_.format, level);
    line.field("time", utc_time(wall_clock_())).field("level", to_string(level)).field("event", event);
    return line;
}

void LogLines::end(Line& line) const {
    // A sink that throws loses its line, never a request or a reload.
    try {
        sink_(line.level(), line.take());
    } catch (...) {
    }
}

void LogLines::on_request_finished(const RequestFinishedEvent& e) {
    const LogLevel level = request_level(e.status);
    if (!config_.requests || level < config_.level) return;
    Line line = begin(level, "request");
    line.field("request_id", static_cast<std::int64_t>(e.request));
    if (config_.correlation_id) line.field("correlation_id", e.correlation_id);
    line.field("client_id", e.client_id).field("operation", e.operation).field("streaming", e.streaming);
    line.field("model", e.trace.model).field("label", e.trace.route ? std::string_view(e.trace.route->label) : "");
    line.field("pool", e.trace.pool_id).field("provider", e.trace.provider);
    line.field("status", static_cast<std::int64_t>(e.status)).field("error_class", to_string(e.error_class));
    line.field("attempts", static_cast<std::int64_t>(e.trace.attempts.size()));
    line.field("used_fallback", e.trace.used_fallback);
    if (e.trace.cache_hit) line.field("cache_hit", true);  // only on a hit: docs/cache.md
    line.field("input_tokens", static_cast<std::int64_t>(e.trace.usage.input_tokens));
    line.field("output_tokens", static_cast<std::int64_t>(e.trace.usage.output_tokens));
    line.field("cost_usd", e.cost_usd).field("latency_ms", std::optional<double>(millis(e.latency)));
    line.field("ttft_ms", e.time_to_first_token ? std::optional<double>(millis(*e.time_to_first_token)) : std::nullopt);
    end(line);
}

void LogLines::on_breaker_transition(const BreakerTransitionEvent& e) {
    // An opening breaker takes a provider out of service: worth a warning.
    const LogLevel level = e.to == BreakerState::open ? LogLevel::warning : LogLevel::info;
    if (level < config_.level) return;
    Line line = begin(level, "breaker");
    line.field("pool", e.pool).field("provider", e.provider);
    line.field("from", to_string(e.from)).field("to", to_string(e.to));
    line.field("open_for_ms", static_cast<std::int64_t>(e.open_for.count()));
    line.field("permanent", e.permanent).field("manual", e.manual);
    end(line);
}

void LogLines::reloaded(std::size_t pools, std::size_t models) {
    if (LogLevel::info < config_.level) return;
    Line line = begin(LogLevel::info, "reload");
    line.field("pools", static_cast<std::int64_t>(pools)).field("models", static_cast<std::int64_t>(models));
    end(line);
}

void LogLines::ledger_reachability(bool reachable, std::string_view error, std::uint64_t dropped) {
    // Rows wait in the queue, and are dropped once it is full: worth a warning.
    const LogLevel level = reachable ? LogLevel::info : LogLevel::warning;
    if (level < config_.level) return;
    Line line = begin(level, "ledger");
    line.field("state", reachable ? "writing" : "unreachable");
    if (!reachable) line.field("error", error);
    line.field("dropped", static_cast<std::int64_t>(dropped));
    end(line);
}

void LogLines::redis_availability(std::string_view use, bool available, std::string_view server) {
    // Without it, shared limits can be overshot and every cached answer is paid for again: a
    // warning.
    const LogLevel level = available ? LogLevel::info : LogLevel::warning;
    if (level < config_.level) return;
    Line line = begin(level, "redis");
    line.field("use", use).field("state", available ? "up" : "down").field("server", server);
    end(line);
}

}  // namespace sw::observe
