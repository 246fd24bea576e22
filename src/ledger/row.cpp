// row.cpp — a finished request as a ledger row, and the row's time as text.
#include "ledger/row.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace sw::ledger {

Row make_row(const RequestFinishedEvent& e, std::int64_t time_us) {
    const RouteResult& trace = e.trace;
    Row row;
    row.time_us = time_us;
    row.request_id = e.request;
    row.correlation_id = std::string(e.correlation_id);
    row.client_id = std::string(e.client_id);
    row.operation = std::string(e.operation);
    row.streaming = e.streaming;
    row.model = trace.model;
    if (trace.route) row.label = trace.route->label;
    row.provider = trace.provider;
    row.pool = trace.pool_id;
    // Usage is the serving attempt's: a failed request used none that is billed.
    row.input_tokens = static_cast<std::int64_t>(trace.usage.input_tokens);
    row.output_tokens = static_cast<std::int64_t>(trace.usage.output_tokens);
    row.cost_usd = e.cost_usd;
    row.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(e.latency).count();
    if (e.time_to_first_token)
        row.ttft_us = std::chrono::duration_cast<std::chrono::microseconds>(*e.time_to_first_token).count();
    row.status = e.status;
    row.error_class = std::string(to_string(e.error_class));
    row.attempts = static_cast<int>(trace.attempts.size());
    row.used_fallback = trace.used_fallback;
    row.cache_hit = trace.cache_hit;
    return row;
}

std::string format_time(std::int64_t time_us) {
    using namespace std::chrono;
    const sys_time<microseconds> t{microseconds(time_us)};
    const sys_days day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<microseconds> hms{t - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

std::optional<std::int64_t> parse_time(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS.ffffffZ
    if (text.size() != 27 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':' || text[19] != '.' || text[26] != 'Z')
        return std::nullopt;
    auto number = [&](std::size_t at, std::size_t len) -> std::optional<int> {
        int v = 0;
        auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + at + len, v);
        if (ec != std::errc() || ptr != text.data() + at + len) return std::nullopt;
        return v;
    };
    auto y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2), mi = number(14, 2),
         s = number(17, 2), us = number(20, 6);
    if (!y || !mo || !d || !h || !mi || !s || !us || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
    using namespace std::chrono;
    const year_month_day ymd{year(*y), month(static_cast<unsigned>(*mo)), day(static_cast<unsigned>(*d))};
    if (!ymd.ok()) return std::nullopt;
    const auto t = sys_days(ymd) + hours(*h) + minutes(*mi) + seconds(*s) + microseconds(*us);
    return duration_cast<microseconds>(t.time_since_epoch()).count();
}

}  // namespace sw::ledger
