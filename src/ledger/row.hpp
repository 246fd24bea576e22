// row.hpp — one usage ledger row: what a finished request leaves (docs/ledger.md, "Schema").
// Built from a RequestFinishedEvent on the request's I/O thread; holds copies, since the event's
// views die with the call. Never holds a prompt, an answer, a header, a key or a provider message.
#pragma once

#include <switch/events.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace sw::ledger {

struct Row {
    std::int64_t time_us = 0;  // wall clock (UTC), microseconds since the Unix epoch
    std::uint64_t request_id = 0;
    std::string correlation_id;  // ChatOptions::correlation_id (switch-server: x-correlation-id)
    std::string client_id;       // ChatOptions::client_id (switch-server: the API key's id)
    std::string operation;  // chat, embeddings
    bool streaming = false;
    std::string model;     // the virtual model as requested
    std::string label;     // the prompt router's label; empty when the model routes by pool alone
    std::string provider;  // that served; empty when none did
    std::string pool;      // that served; empty when none did
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    std::optional<double> cost_usd;  // empty when the price is unknown
    std::int64_t latency_us = 0;
    std::optional<std::int64_t> ttft_us;  // streams only
    int status = 0;
    std::string error_class;  // "success" when served
    int attempts = 0;
    bool used_fallback = false;
    bool cache_hit = false;  // answered from the response cache (docs/cache.md)
};

// The row of a finished request, stamped with `time_us`.
Row make_row(const RequestFinishedEvent& e, std::int64_t time_us);

// time_us as ISO 8601 in UTC with microseconds: "2026-12-07T08:52:15.123456Z". Fixed width, so
// that text order is time order (the SQLite store compares it as text).
std::string format_time(std::int64_t time_us);
// The inverse; nullopt for anything format_time does not write.
std::optional<std::int64_t> parse_time(std::string_view text);

}  // namespace sw::ledger
