// prompt_router.cpp — label, then target.
#include "prompt/prompt_router.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

namespace sw::prompt {

namespace {

HeuristicThresholds thresholds_of(const IntelligenceConfig& in) {
    HeuristicThresholds t;
    t.code = in.code_detection_threshold;
    t.complex = in.complexity_threshold;
    t.simple = in.simple_query_threshold;
    t.simple_max_length = static_cast<std::size_t>(in.simple_query_max_length);
    return t;
}

}  // namespace

PromptRouter::PromptRouter(const ModelConfig& model, const Config& config)
    : rules_(model.router->rules),
      heuristic_(rules_ == "modelmuxer" ? HeuristicRules::modelmuxer : HeuristicRules::standard,
                 thresholds_of(config.intelligence)),
      default_label_(model.router->default_label),
      primary_pool_(model.primary_pool_id) {
    re2::RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    for (const UserLabel& label : model.router->labels) {
        OwnLabel own{label.name, {}, label.min_matches};
        for (const std::string& p : label.patterns) own.patterns.push_back(std::make_unique<re2::RE2>(p, options));
        own_.push_back(std::move(own));
    }
    const auto& routes = model.router->routes.empty() ? config.routing_preferences : model.router->routes;
    for (const RoutingPreference& pref : routes)
        for (const RoutingTarget& target : pref.targets)
            if (const PoolConfig* pool = config.find_target_pool(target)) {
                pools_.emplace_back(pref.label, pool->id);
                break;  // the first target a pool serves; the pool's fallback chain does the rest
            }
}

PromptRouter::~PromptRouter() = default;

const PromptRouter::OwnLabel* PromptRouter::own_label(std::string_view text, std::vector<RouteScore>& scores) const {
    const OwnLabel* won = nullptr;
    const re2::StringPiece piece(text.data(), text.size());
    for (const OwnLabel& label : own_) {
        RouteScore s{label.name, 0, static_cast<double>(label.min_matches), {}};
        for (std::size_t i = 0; i < label.patterns.size(); ++i)
            if (re2::RE2::PartialMatch(piece, *label.patterns[i])) {
                s.score += 1;
                s.signals.push_back(fmt::format("pattern {}", i + 1));
            }
        if (!won && s.score >= s.threshold) won = &label;
        scores.push_back(std::move(s));
        if (won) break;  // the labels after it were not needed
    }
    return won;
}

std::string PromptRouter::pool_for(const std::string& label) const {
    for (const auto& [l, pool] : pools_)
        if (l == label) return pool;
    return {};
}

std::string PromptRouter::fallback_pool(std::string& reason) const {
    if (std::string pool = pool_for(default_label_); !pool.empty()) {
        reason = fmt::format("the default label \"{}\"'s target, pool \"{}\"", default_label_, pool);
        return pool;
    }
    reason = fmt::format("the model's primary pool \"{}\"", primary_pool_);
    return primary_pool_;
}

PromptRoute PromptRouter::route(const Prompt& prompt) const {
    PromptRoute r;
    r.strategy = "heuristic";
    r.rules = rules_;
    std::string why;
    if (const OwnLabel* own = own_label(prompt.last_user(), r.scores)) {
        r.label = own->name;
        why = fmt::format("{} matched {} of its patterns (at least {})", own->name,
                          static_cast<int>(r.scores.back().score), own->min_matches);
    } else {
        HeuristicDecision d = heuristic_.classify(prompt);
        r.label = d.label;
        why = std::move(d.reason);
        for (auto& s : d.scores) r.scores.push_back({std::move(s.label), s.score, s.threshold, std::move(s.signals)});
    }
    r.target = pool_for(r.label);
    if (!r.target.empty()) {
        r.reason = fmt::format("{}; sent to its target, pool \"{}\"", why, r.target);
    } else {
        std::string where;
        r.target = fallback_pool(where);
        r.reason = fmt::format("{}; label \"{}\" has no target, so sent to {}", why, r.label, where);
    }
    return r;
}

PromptRoute PromptRouter::route_without_prompt() const {
    PromptRoute r;
    r.strategy = "heuristic";
    r.rules = rules_;
    r.label = default_label_;
    std::string where;
    r.target = fallback_pool(where);
    r.reason = fmt::format("no prompt to read; sent to {}", where);
    return r;
}

}  // namespace sw::prompt
