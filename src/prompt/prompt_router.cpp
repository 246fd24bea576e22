// prompt_router.cpp — label, then target.
#include "prompt/prompt_router.hpp"

#include "prompt/builtin_embedder.hpp"
#include "prompt/default_routes.hpp"
#include "prompt/file_embedder.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <stdexcept>

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

std::vector<SemanticRoute> resolved_semantic_routes(const SemanticRouterConfig& semantic,
                                                    const IntelligenceConfig& intelligence) {
    std::vector<SemanticRoute> routes;
    auto own = [&](const std::string& label) -> const SemanticRoute* {
        for (const SemanticRoute& r : semantic.routes)
            if (r.label == label) return &r;
        return nullptr;
    };
    if (semantic.default_routes)
        for (const SemanticRoute& shipped : default_semantic_routes())
            routes.push_back(own(shipped.label) ? *own(shipped.label) : shipped);
    for (const SemanticRoute& r : semantic.routes)
        if (std::none_of(routes.begin(), routes.end(), [&](const SemanticRoute& x) { return x.label == r.label; }))
            routes.push_back(r);
    for (SemanticRoute& r : routes)
        if (!r.threshold) r.threshold = intelligence.similarity_threshold;
    return routes;
}

namespace {

std::shared_ptr<const Embedder> make_embedder(const ModelConfig& model, const EmbedFunction& function,
                                              const std::vector<SemanticRoute>& routes) {
    const SemanticRouterConfig& sc = model.router->semantic;
    const std::string& name = sc.embedder;
    if (name == "callback") return callback_embedder(function);
    if (name == "file") {  // the config checked that both files exist; here their content is read
        std::string error;
        if (auto file = FileEmbedder::shared(sc.model_file, sc.tokenizer_file, error)) return file;
        throw std::invalid_argument(fmt::format("model \"{}\"'s file embedder: {}", model.name, error));
    }
    std::vector<std::string_view> corpus;
    for (const SemanticRoute& r : routes) corpus.insert(corpus.end(), r.utterances.begin(), r.utterances.end());
    return std::make_shared<BuiltinEmbedder>(corpus);
}

// How sure the heuristic is: a label whose signals it found is certain. "general" means only
// that nothing was found, so it is at most a quarter sure, and less the closer a score came to
// its threshold. (0.25 was chosen on the tune split among 0, 0.25, 0.5 and 1: benchmarks/README.md.)
double heuristic_confidence(const HeuristicDecision& d) {
    if (d.label != "general") return 1.0;
    double nearest = 0;
    for (const LabelScore& s : d.scores)
        if (s.threshold > 0) nearest = std::max(nearest, std::min(1.0, s.score / s.threshold));
    return 0.25 * (1.0 - nearest);
}

// How sure the semantic router is: the winner's lead over the runner-up, relative to its score.
double semantic_confidence(const SemanticDecision& d) {
    if (d.label.empty()) return 0;
    double best = 0, second = 0;
    for (const LabelScore& s : d.scores) {
        if (s.label == d.label) best = s.score;
        else second = std::max(second, s.score);
    }
    return best > 0 ? std::clamp((best - second) / best, 0.0, 1.0) : 0;
}

constexpr std::size_t kEmbeddingCacheSize = 1024;

}  // namespace

PromptRouter::PromptRouter(const ModelConfig& model, const Config& config, const EmbedFunction& embedder)
    : strategy_(model.router->strategy),
      rules_(model.router->rules),
      heuristic_(rules_ == "modelmuxer" ? HeuristicRules::modelmuxer : HeuristicRules::standard,
                 thresholds_of(config.intelligence)),
      weights_(model.router->hybrid),
      default_label_(model.router->default_label),
      primary_pool_(model.primary_pool_id) {
    if (strategy_ == "semantic" || strategy_ == "hybrid") {
        const SemanticRouterConfig& sc = model.router->semantic;
        if (sc.embedder == "callback" && !embedder)
            throw std::invalid_argument(missing_callback_message(model.name));
        embedder_name_ = sc.embedder;
        const std::vector<SemanticRoute> routes = resolved_semantic_routes(sc, config.intelligence);
        if (sc.embedder == "pool") {  // embedded asynchronously, by the request path (api/pool_embedding_driver)
            embeddings_pool_ = sc.pool;
            semantic_ = std::make_unique<SemanticRouter>(routes);
        } else {
            semantic_ = std::make_unique<SemanticRouter>(routes, make_embedder(model, embedder, routes),
                                                         config.intelligence.cache_embeddings ? kEmbeddingCacheSize : 0);
        }
    }
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
        RouteScore s{label.name, 0, static_cast<double>(label.min_matches), {}, "labels"};
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

std::string PromptRouter::label_by_heuristic(const Prompt& prompt, PromptRoute& r) const {
    HeuristicDecision d = heuristic_.classify(prompt);
    r.label = d.label;
    for (auto& s : d.scores)
        r.scores.push_back({std::move(s.label), s.score, s.threshold, std::move(s.signals), "heuristic"});
    return std::move(d.reason);
}

std::string PromptRouter::label_by_hybrid(const Prompt& prompt, const SemanticDecision& semantic,
                                          PromptRoute& r) const {
    const HeuristicDecision h = heuristic_.classify(prompt);
    for (const LabelScore& s : h.scores) r.scores.push_back({s.label, s.score, s.threshold, s.signals, "heuristic"});
    r.votes.push_back({"heuristic", h.label, heuristic_confidence(h), weights_.heuristic});
    r.votes.push_back({"semantic", semantic.label, semantic_confidence(semantic), weights_.semantic});
    // Each label's weighted confidence; the heuristic's label wins a tie.
    const RouteVote* won = &r.votes[0];
    auto total = [&](const std::string& label) {
        double t = 0;
        for (const RouteVote& v : r.votes)
            if (v.label == label) t += v.weight * v.confidence;
        return t;
    };
    if (!semantic.label.empty() && total(semantic.label) > total(h.label)) won = &r.votes[1];
    r.label = won->label;
    return fmt::format("hybrid: {} won with {:.2f} (heuristic voted {} at {:.2f}, semantic {} at {:.2f})", r.label,
                       total(r.label), h.label, r.votes[0].confidence,
                       semantic.label.empty() ? std::string("nothing") : semantic.label, r.votes[1].confidence);
}

std::string PromptRouter::label_by_strategy(const Prompt& prompt, const PoolEmbedding* embedding,
                                            PromptRoute& r) const {
    if (strategy_ == "heuristic") return label_by_heuristic(prompt, r);
    SemanticDecision semantic;
    std::string error;
    bool classified = false;
    if (embeddings_pool_.empty())
        classified = semantic_->classify(prompt.last_user(), semantic, error);
    else if (!embedding)
        error = fmt::format("it embeds through pool \"{}\", and nothing was sent", embeddings_pool_);
    else if (!embedding->error.empty())
        error = embedding->error;
    else
        classified = semantic_->classify_embedding(embedding->vector, semantic, error);
    if (!classified) {
        r.fallback = fmt::format("the {} embedder failed ({}), so the heuristic decided", embedder_name_, error);
        return label_by_heuristic(prompt, r);
    }
    for (const LabelScore& s : semantic.scores) r.scores.push_back({s.label, s.score, s.threshold, {}, "semantic"});
    if (strategy_ == "hybrid") return label_by_hybrid(prompt, semantic, r);
    if (semantic.label.empty()) {
        r.label = default_label_;
        return fmt::format("{}, so the default label {}", semantic.reason, default_label_);
    }
    r.label = semantic.label;
    return std::move(semantic.reason);
}

PromptRoute PromptRouter::route(const Prompt& prompt) const { return route_with(prompt, nullptr); }

PromptRoute PromptRouter::route(const Prompt& prompt, const PoolEmbedding& embedding) const {
    return route_with(prompt, &embedding);
}

std::vector<std::string> PromptRouter::utterances_to_embed() const {
    if (embeddings_pool_.empty() || semantic_->learned()) return {};
    return semantic_->utterances();
}

bool PromptRouter::learn_utterances(const std::vector<std::vector<float>>& vectors, std::string& error) const {
    return semantic_ && semantic_->learn(vectors, error);
}

PromptRoute PromptRouter::route_with(const Prompt& prompt, const PoolEmbedding* embedding) const {
    PromptRoute r;
    r.strategy = strategy_;
    r.rules = rules_;
    r.embedder = embedder_name_;
    std::string why;
    if (const OwnLabel* own = own_label(prompt.last_user(), r.scores)) {
        r.label = own->name;
        why = fmt::format("{} matched {} of its patterns (at least {})", own->name,
                          static_cast<int>(r.scores.back().score), own->min_matches);
    } else {
        why = label_by_strategy(prompt, embedding, r);
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
    r.strategy = strategy_;
    r.rules = rules_;
    r.embedder = embedder_name_;
    r.label = default_label_;
    std::string where;
    r.target = fallback_pool(where);
    r.reason = fmt::format("no prompt to read; sent to {}", where);
    return r;
}

}  // namespace sw::prompt
