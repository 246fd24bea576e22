// bench_prompt.cpp — the decision time of each prompt router for prompts of 100, 2,000 and
// 20,000 characters: reading the request's messages, then labelling them. No network call is
// made by any of them. The targets (issue 16): the heuristic under 20 µs at 2,000 characters.
#include "prompt/heuristic.hpp"

#include <benchmark/benchmark.h>

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

void BM_Heuristic(benchmark::State& state, sw::prompt::HeuristicRules rules) {
    const sw::prompt::Heuristic heuristic(rules, {});
    const std::string json = request_json(static_cast<std::size_t>(state.range(0)));
    std::string error;
    for (auto _ : state) {
        sw::prompt::Prompt prompt;
        if (!sw::prompt::read_prompt(json, prompt, error)) state.SkipWithError(error.c_str());
        auto decision = heuristic.classify(prompt);
        benchmark::DoNotOptimize(decision);
    }
    state.SetLabel("read_prompt + classify");
}

}  // namespace

BENCHMARK_CAPTURE(BM_Heuristic, standard, sw::prompt::HeuristicRules::standard)->Arg(100)->Arg(2000)->Arg(20000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Heuristic, modelmuxer, sw::prompt::HeuristicRules::modelmuxer)->Arg(100)->Arg(2000)->Arg(20000)
    ->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
