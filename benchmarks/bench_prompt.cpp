// bench_prompt.cpp — the decision time of each prompt router for prompts of 100, 2,000 and
// 20,000 characters: reading the request's messages, then the model's whole decision (its label
// and its target). No network call is made by any of them. The targets (issue 16): the heuristic
// under 20 µs and the built-in semantic router under 100 µs at 2,000 characters. The semantic
// runs embed every time (CACHE_EMBEDDINGS off); `semantic_cached` is a cache hit. `semantic_file`
// (the file embedder) runs only when SWITCH_EMBEDDING_MODEL and SWITCH_EMBEDDING_TOKENIZER name
// its files, such as wordllama's (docs/prompt-routing.md).
#include "prompt/prompt_router.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

namespace {

// Prose with a little of everything the rules look for, cut to `size` characters.
std::string prompt_text(std::size_t size) {
    const std::string paragraph =
        "We are planning a trip for four people next spring and want to compare two routes. "
        "The first goes through the mountains, with 3 nights in small towns and a budget of 2,400 euros; "
        "the second follows the coast. What would you suggest, and why? Also, how many hours is the drive? ";
    std::string text;
    while (text.size() < size) text += paragraph;
    text.resize(size);
    return text;
}

std::string request_json(std::size_t size) {
    return R"({"model":"auto","messages":[{"role":"system","content":"You are helpful."},{"role":"user","content":")" +
           prompt_text(size) + "\"}]}";
}

void BM_Decision(benchmark::State& state, const char* strategy, const char* rules, bool cache,
                 const sw::SemanticRouterConfig& semantic = {}) {
    sw::Config config;
    config.intelligence.cache_embeddings = cache;
    sw::ModelConfig model;
    model.name = "auto";
    model.router = sw::PromptRouterConfig{};
    model.router->strategy = strategy;
    model.router->rules = rules;
    model.router->semantic = semantic;
    const sw::prompt::PromptRouter router(model, config, {});
    const std::string json = request_json(static_cast<std::size_t>(state.range(0)));
    std::string error;
    for (auto _ : state) {
        sw::prompt::Prompt prompt;
        if (!sw::prompt::read_prompt(json, prompt, error)) state.SkipWithError(error.c_str());
        auto decision = router.route(prompt);
        benchmark::DoNotOptimize(decision);
    }
    state.SetLabel("read_prompt + route");
}

}  // namespace

BENCHMARK_CAPTURE(BM_Decision, heuristic_standard, "heuristic", "standard", false)
    ->Arg(100)->Arg(2000)->Arg(20000)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Decision, heuristic_modelmuxer, "heuristic", "modelmuxer", false)
    ->Arg(100)->Arg(2000)->Arg(20000)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Decision, semantic_builtin, "semantic", "standard", false)
    ->Arg(100)->Arg(2000)->Arg(20000)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Decision, semantic_cached, "semantic", "standard", true)
    ->Arg(100)->Arg(2000)->Arg(20000)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Decision, hybrid_builtin, "hybrid", "standard", false)
    ->Arg(100)->Arg(2000)->Arg(20000)->Unit(benchmark::kMicrosecond);

namespace {

// The file embedder's case, registered when the environment names both files.
[[maybe_unused]] const bool kFileCase = [] {
    const char* model = std::getenv("SWITCH_EMBEDDING_MODEL");
    const char* tokenizer = std::getenv("SWITCH_EMBEDDING_TOKENIZER");
    if (!model || !tokenizer || !*model || !*tokenizer) return false;
    sw::SemanticRouterConfig semantic;
    semantic.embedder = "file";
    semantic.model_file = model;
    semantic.tokenizer_file = tokenizer;
    benchmark::RegisterBenchmark("BM_Decision/semantic_file",
                                 [semantic](benchmark::State& state) {
                                     BM_Decision(state, "semantic", "standard", false, semantic);
                                 })
        ->Arg(100)->Arg(2000)->Arg(20000)->Unit(benchmark::kMicrosecond);
    return true;
}();

}  // namespace

BENCHMARK_MAIN();
