// bench_adapter.cpp — the cost of the OpenAI-compatible adapter on a typical 1 KB request and
// response (body rewrite, response and chunk parsing) and of the SSE parser; heap allocations
// are counted per operation.
#include "providers/openai/openai_compat.hpp"
#include "providers/rate_limit_headers.hpp"
#include "transport/sse_parser.hpp"

#include <benchmark/benchmark.h>

#include "alloc_counter.hpp"

#include <algorithm>
#include <string>

namespace {

using namespace sw::providers;

// About 1 KB: a system prompt, two turns and the usual sampling parameters.
const std::string kRequest =
    R"({"model":"chat","messages":[)"
    R"({"role":"system","content":"You are a helpful assistant for a travel company. Answer briefly, cite prices in euros, and never invent availability. If you are unsure, ask a clarifying question instead of guessing."},)"
    R"({"role":"user","content":"I would like to go from Lyon to Porto in the second week of May, ideally on a direct flight in the morning. Two adults, one child aged 7. What are my options and roughly how much would it cost?"},)"
    R"({"role":"assistant","content":"There are direct morning flights on Tuesdays and Saturdays. For two adults and one child, expect roughly 310 to 420 EUR in total, depending on the day and luggage."},)"
    R"({"role":"user","content":"Saturday works. Can you also suggest a family-friendly hotel near the river, with breakfast included, under 150 EUR per night? We care about quiet rooms."}],)"
    R"("temperature":0.3,"top_p":0.95,"max_tokens":512,"presence_penalty":0,"frequency_penalty":0.1,"user":"user-7f3a9c","stream":false})";

const std::string kResponse = R"({
  "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  "object": "chat.completion",
  "created": 1741569952,
  "model": "gpt-4o-mini-2024-07-18",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": "Here are three quiet, family-friendly hotels near the Douro with breakfast included and rates under 150 EUR per night in mid-May: 1. Casa da Ribeira, from 128 EUR, family rooms facing the courtyard. 2. Hotel Cais Novo, from 139 EUR, soundproofed rooms and a small playground nearby. 3. Vila Foz Lodge, from 145 EUR, a short tram ride from the river, very calm at night. Shall I check availability for Saturday the 10th?", "refusal": null, "annotations": []}, "logprobs": null, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 231, "completion_tokens": 104, "total_tokens": 335, "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
  "service_tier": "default",
  "system_fingerprint": "fp_06737a9306"
})";

const std::string kChunk =
    R"({"id":"chatcmpl-B9N5","object":"chat.completion.chunk","created":1741573401,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_06737a9306","choices":[{"index":0,"delta":{"content":" hotels"},"logprobs":null,"finish_reason":null}],"usage":null})";

sw::ProviderConfig make_provider() {
    sw::ProviderConfig p;
    p.name = "openai";
    p.model_name = "gpt-4o-mini-2024-07-18";
    p.provider_params = {{"seed", "42"}, {"temperature", "0.2"}};
    return p;
}

void report_allocations(benchmark::State& state, std::uint64_t before) {
    state.counters["allocs_per_op"] =
        static_cast<double>(allocation_count() - before) /
        static_cast<double>(std::max<std::int64_t>(state.iterations(), 1));
}

void BM_RewriteChatBody(benchmark::State& state) {
    const sw::ProviderConfig provider = make_provider();
    sw::ModelConfig model;
    model.name = "chat";
    model.default_parameters = {{"max_tokens", "1024"}, {"response_format", R"({"type":"text"})"}};
    const std::uint64_t before = allocation_count();
    for (auto _ : state) {
        UpstreamRequest r =
            build_request(Endpoint::chat_completions, kRequest, provider, &model);
        benchmark::DoNotOptimize(r.body.data());
    }
    report_allocations(state, before);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kRequest.size()));
    state.counters["request_bytes"] = static_cast<double>(kRequest.size());
}

void BM_ParseChatResponse(benchmark::State& state) {
    ChatResponse out;
    std::string error;
    const std::uint64_t before = allocation_count();
    for (auto _ : state) {
        const bool ok = parse_chat_response(kResponse, out, error);
        benchmark::DoNotOptimize(ok);
    }
    report_allocations(state, before);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kResponse.size()));
    state.counters["response_bytes"] = static_cast<double>(kResponse.size());
}

void BM_ParseStreamChunk(benchmark::State& state) {
    StreamChunk out;
    std::string error;
    const std::uint64_t before = allocation_count();
    for (auto _ : state) {
        const bool ok = parse_stream_chunk(kChunk, out, error);
        benchmark::DoNotOptimize(ok);
    }
    report_allocations(state, before);
}

// SSE framing alone: one chunk-sized event per iteration, fed in two pieces.
void BM_SseFeedEvent(benchmark::State& state) {
    const std::string event = "data: " + kChunk + "\n\n";
    const std::string_view whole = event;
    std::size_t bytes = 0;
    sw::transport::SseParser parser([&](std::string_view, std::string_view d) { bytes += d.size(); });
    const std::uint64_t before = allocation_count();
    for (auto _ : state) {
        parser.feed(whole.substr(0, 100));
        parser.feed(whole.substr(100));
    }
    report_allocations(state, before);
    benchmark::DoNotOptimize(bytes);
}

void BM_RateLimitHeaderLine(benchmark::State& state) {
    RateLimitHeaders h;
    const std::uint64_t before = allocation_count();
    for (auto _ : state) {
        h.observe_header_line("x-ratelimit-reset-tokens: 1m30.2s\r\n");
        benchmark::DoNotOptimize(h.reset_tokens);
    }
    report_allocations(state, before);
}

}  // namespace

BENCHMARK(BM_RewriteChatBody);
BENCHMARK(BM_ParseChatResponse);
BENCHMARK(BM_ParseStreamChunk);
BENCHMARK(BM_SseFeedEvent);
BENCHMARK(BM_RateLimitHeaderLine);
BENCHMARK_MAIN();
