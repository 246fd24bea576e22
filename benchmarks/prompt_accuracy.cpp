// prompt_accuracy.cpp — how often each prompt router's label agrees with the labelled set
// (benchmarks/prompt_routing/labelled.jsonl), per split and per label, with the confusion matrix.
//
//   prompt_accuracy [--set FILE] [--errors tune|holdout [--router NAME]] [--json]
//
// --errors prints the misclassified items of a split with the scores (of the standard heuristic,
// or of the router NAME as printed), to tune on the tune split only; the holdout split is for
// reporting. The semantic router's shipped routes are the tune split itself, so its tune figure
// is its fit, not its accuracy. --json prints one line per router and split.
#include "prompt/prompt_router.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Item {
    std::string id, label, split, request;
};

std::vector<Item> read_set(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<Item> items;
    simdjson::dom::parser parser;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        simdjson::dom::element e = parser.parse(line);
        Item item{std::string(e["id"].get_string().value()), std::string(e["label"].get_string().value()),
                  std::string(e["split"].get_string().value()),
                  "{\"messages\":" + simdjson::minify(e["messages"]) + "}"};
        items.push_back(std::move(item));
    }
    return items;
}

constexpr std::array<const char*, 4> kLabels = {"code", "complex", "simple", "general"};

std::size_t index_of(const std::string& label) {
    for (std::size_t i = 0; i < kLabels.size(); ++i)
        if (label == kLabels[i]) return i;
    throw std::runtime_error("unknown label " + label);
}

}  // namespace

int main(int argc, char** argv) {
    std::string set_path = SWITCH_PROMPT_SET_PATH, errors_split, errors_router = "heuristic (standard)";
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--set" && i + 1 < argc) set_path = argv[++i];
        else if (a == "--errors" && i + 1 < argc) errors_split = argv[++i];
        else if (a == "--router" && i + 1 < argc) errors_router = argv[++i];
        else if (a == "--json") json = true;
        else {
            std::fprintf(stderr, "prompt_accuracy: bad argument %s\n", a.c_str());
            return 2;
        }
    }
    const std::vector<Item> items = read_set(set_path);
    // Each router as a model configures it, with the shipped semantic routes: a label is what
    // the model would route by (an abstaining semantic router gives the default label, general).
    struct Named {
        std::string name, strategy, rules;
    };
    const std::vector<Named> routers = {{"heuristic (standard)", "heuristic", "standard"},
                                        {"heuristic (modelmuxer)", "heuristic", "modelmuxer"},
                                        {"semantic (builtin)", "semantic", "standard"},
                                        {"hybrid (standard + builtin)", "hybrid", "standard"}};
    const sw::Config config;
    for (const Named& named : routers) {
        sw::ModelConfig model;
        model.name = "auto";
        model.router = sw::PromptRouterConfig{};
        model.router->strategy = named.strategy;
        model.router->rules = named.rules;
        const sw::prompt::PromptRouter router(model, config, {});
        const std::string& name = named.name;
        for (const char* split : {"tune", "holdout"}) {
            std::array<std::array<int, 4>, 4> confusion{};  // [truth][predicted]
            int total = 0, right = 0;
            for (const Item& item : items) {
                if (item.split != split) continue;
                sw::prompt::Prompt prompt;
                std::string error;
                if (!sw::prompt::read_prompt(item.request, prompt, error)) throw std::runtime_error(item.id + ": " + error);
                const sw::PromptRoute d = router.route(prompt);
                ++confusion[index_of(item.label)][index_of(d.label)];
                ++total;
                right += d.label == item.label;
                if (errors_split == split && d.label != item.label && named.name == errors_router) {
                    std::string scores;
                    for (const auto& s : d.scores) {
                        scores += fmt::format(" {}:{}={:.2f}[", s.router, s.label, s.score);
                        for (const auto& sig : s.signals) scores += sig + ";";
                        scores += "]";
                    }
                    std::string text(prompt.last_user().substr(0, 150));
                    for (char& c : text)
                        if (c == '\n') c = ' ';
                    fmt::print("{} {}->{}{} | {}\n", item.id, item.label, d.label, scores, text);
                }
            }
            const double accuracy = total ? 100.0 * right / total : 0;
            if (json) {
                fmt::print(R"({{"router":"{}","split":"{}","items":{},"accuracy_pct":{:.1f}}})" "\n", name, split,
                           total, accuracy);
                continue;
            }
            fmt::print("{} on {} ({} prompts): {:.1f}%\n", name, split, total, accuracy);
            fmt::print("  truth \\ label   code complex simple general   recall\n");
            for (std::size_t t = 0; t < 4; ++t) {
                int row = 0;
                for (int v : confusion[t]) row += v;
                fmt::print("  {:<15} {:>5} {:>7} {:>6} {:>7}   {:>5.1f}%\n", kLabels[t], confusion[t][0], confusion[t][1],
                           confusion[t][2], confusion[t][3], row ? 100.0 * confusion[t][t] / row : 0);
            }
        }
    }
    return 0;
}
