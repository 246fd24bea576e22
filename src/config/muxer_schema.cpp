// muxer_schema.cpp — the sections that come from ModelMuxer's guide: the `models` pricing
// catalog, `routing_preferences`, the `routing` thresholds and its `providers` form.
#include "config/schema.hpp"
#include "common/url.hpp"
#include "providers/specs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace sw::config {

const std::vector<std::string_view> kHeuristicLabels = {"code", "complex", "simple", "general"};

bool is_intelligence_strategy(std::string_view name) {
    return name == "hybrid" || name == "cascade" || name == "semantic" || name == "heuristic";
}

namespace {

// defaultParameters may use the guide's camelCase; the wire uses OpenAI's snake_case.
std::string wire_parameter_name(const std::string& key) {
    static const std::vector<std::pair<std::string_view, std::string_view>> names = {
        {"maxTokens", "max_tokens"},
        {"maxCompletionTokens", "max_completion_tokens"},
        {"topP", "top_p"},
        {"frequencyPenalty", "frequency_penalty"},
        {"presencePenalty", "presence_penalty"},
        {"responseFormat", "response_format"},
        {"toolChoice", "tool_choice"},
        {"parallelToolCalls", "parallel_tool_calls"},
    };
    for (auto [camel, snake] : names)
        if (key == camel) return std::string(snake);
    return key;
}

// One target, {pool} or {provider, model}, at `path`; nullopt (reported) when it is neither.
std::optional<RoutingTarget> read_target(Context& ctx, const Node& node, const std::string& path) {
    RoutingTarget target;
    ObjectReader r(ctx, node, path, {"provider", "model", "pool"});
    if (!r.valid()) return std::nullopt;
    if (auto v = r.string("pool")) target.pool = *v;
    if (auto v = r.string("provider")) target.provider = *v;
    if (auto v = r.string("model")) target.model = *v;
    if (target.pool.empty() == (target.provider.empty() || target.model.empty())) {
        ctx.error(r.path(), "a target names either a pool, or a provider and a model");
        return std::nullopt;
    }
    return target;
}

// An object of labels to target lists: routing_preferences, or a model's router.routes.
std::vector<RoutingPreference> read_label_targets(Context& ctx, const Node& node, const std::string& path) {
    std::vector<RoutingPreference> out;
    if (!node.is_object()) {
        ctx.error(path, fmt::format("expected an object of labels to target lists, got {}", describe(node.kind)));
        return out;
    }
    for (const auto& [label, targets] : node.members) {
        const std::string label_path = child_path(path, label);
        RoutingPreference pref;
        pref.label = label;
        if (!targets.is_array()) {
            ctx.error(label_path, fmt::format("expected an array of targets, got {}", describe(targets.kind)));
            continue;
        }
        for (std::size_t i = 0; i < targets.items.size(); ++i)
            if (auto target = read_target(ctx, targets.items[i], index_path(label_path, i)))
                pref.targets.push_back(std::move(*target));
        out.push_back(std::move(pref));
    }
    return out;
}

// A router's `labels`: name -> {patterns, minMatches}, in the order written.
std::vector<UserLabel> read_user_labels(Context& ctx, const Node& node, const std::string& path) {
    std::vector<UserLabel> out;
    if (!node.is_object()) {
        ctx.error(path, fmt::format("expected an object of labels by name, got {}", describe(node.kind)));
        return out;
    }
    for (const auto& [name, body] : node.members) {
        const std::string label_path = child_path(path, name);
        if (std::find(kHeuristicLabels.begin(), kHeuristicLabels.end(), name) != kHeuristicLabels.end()) {
            ctx.error(label_path, fmt::format("{} is one of the heuristic's own labels", quote(name)),
                      "give your label another name");
            continue;
        }
        UserLabel label;
        label.name = name;
        ObjectReader r(ctx, body, label_path, {"patterns", "minMatches"});
        if (!r.valid()) continue;
        auto patterns = r.string_list("patterns");
        if (!patterns || patterns->empty()) {
            ctx.error(r.path_of("patterns"), "a label needs at least one pattern",
                      "patterns use RE2 syntax and match case-insensitively");
            continue;
        }
        for (std::size_t i = 0; i < patterns->size(); ++i) {
            if (std::string reason = regex_error((*patterns)[i]); !reason.empty())
                ctx.error(index_path(r.path_of("patterns"), i), fmt::format("invalid regular expression: {}", reason),
                          "patterns use RE2 syntax and match case-insensitively");
            else
                label.patterns.push_back((*patterns)[i]);
        }
        if (auto v = r.integer("minMatches", 1, static_cast<std::int64_t>(patterns->size())))
            label.min_matches = static_cast<int>(*v);
        out.push_back(std::move(label));
    }
    return out;
}

// A semantic router's `routes`: label -> {utterances, threshold}, in the order written.
std::vector<SemanticRoute> read_semantic_routes(Context& ctx, const Node& node, const std::string& path) {
    std::vector<SemanticRoute> out;
    if (!node.is_object()) {
        ctx.error(path, fmt::format("expected an object of routes by label, got {}", describe(node.kind)));
        return out;
    }
    for (const auto& [label, body] : node.members) {
        SemanticRoute route;
        route.label = label;
        ObjectReader r(ctx, body, child_path(path, label), {"utterances", "threshold"});
        if (!r.valid()) continue;
        auto utterances = r.string_list("utterances");
        if (!utterances || utterances->empty()) {
            if (!utterances && r.has("utterances")) continue;  // a wrong type, already reported
            ctx.error(r.path_of("utterances"), "a route needs at least one example utterance",
                      "list a few requests that should get this label");
            continue;
        }
        for (std::size_t i = 0; i < utterances->size(); ++i)
            if ((*utterances)[i].find_first_not_of(" \t\r\n") == std::string::npos)
                ctx.error(index_path(r.path_of("utterances"), i), "an utterance is empty",
                          "remove it, or write an example request");
        route.utterances = std::move(*utterances);
        route.threshold = r.number("threshold", 0, 1);
        out.push_back(std::move(route));
    }
    return out;
}

// One of the file embedder's files: the key's value, else the environment's, made absolute
// against the working directory and checked to be a readable file. Its content is read when the
// router is built (FileEmbedder), so a load stays cheap. Empty after reporting a problem.
std::string embedding_file(Context& ctx, ObjectReader& r, std::string_view key, const char* env_name,
                           std::string_view what) {
    const std::string at = r.path_of(key);
    auto blank = [](const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; };
    std::optional<std::string> value = r.string(key);
    if (!value && r.has(key)) return {};  // a wrong type, already reported
    // Shown whole, unlike other values (quote() shortens them): a path is not a secret, and its
    // end is the part that tells files apart.
    std::string shown = value ? fmt::format("\"{}\"", *value) : std::string();
    if (!value)
        if (auto v = ctx.env(env_name); v && !blank(*v)) {
            value = *v;
            shown = fmt::format("\"{}\" (from {})", *v, env_name);
        }
    if (!value || blank(*value)) {
        ctx.error(at, fmt::format("the file embedder needs a {}; set {} or {}", what, key, env_name),
                  "wordllama's files are in its package: pip install wordllama (docs/prompt-routing.md)");
        return {};
    }
    std::error_code ec;
    const std::filesystem::path file = std::filesystem::absolute(*value, ec);
    const std::string relative_hint =
        std::filesystem::path(*value).is_relative()
            ? fmt::format("a relative path is read from the working directory, {}",
                          quote(std::filesystem::current_path(ec).string()))
            : std::string();
    if (ec || !std::filesystem::exists(file, ec)) {
        ctx.error(at, fmt::format("the {} {} does not exist", what, shown), relative_hint);
        return {};
    }
    if (!std::filesystem::is_regular_file(file, ec)) {
        ctx.error(at, fmt::format("the {} {} is not a regular file", what, shown));
        return {};
    }
    if (std::ifstream in(file, std::ios::binary); !in) {
        ctx.error(at, fmt::format("the {} {} cannot be read: {}", what, shown, std::strerror(errno)),
                  "check its permissions");
        return {};
    }
    return file.string();
}

SemanticRouterConfig read_semantic(Context& ctx, const Node& node, const std::string& path) {
    SemanticRouterConfig semantic;
    ObjectReader r(ctx, node, path, {"embedder", "model", "tokenizer", "pool", "routes", "defaultRoutes"});
    if (!r.valid()) return semantic;
    static const std::vector<std::string_view> kEmbedders = {"builtin", "callback", "file", "pool"};
    if (auto v = r.string("embedder")) {
        if (std::find(kEmbedders.begin(), kEmbedders.end(), *v) != kEmbedders.end())
            semantic.embedder = *v;
        else
            ctx.error(r.path_of("embedder"),
                      fmt::format("unknown embedder {}; expected builtin, callback, file or pool", quote(*v)),
                      did_you_mean(*v, kEmbedders));
    }
    if (semantic.embedder == "file") {
        semantic.model_file = embedding_file(ctx, r, "model", "SWITCH_EMBEDDING_MODEL", "model file");
        semantic.tokenizer_file = embedding_file(ctx, r, "tokenizer", "SWITCH_EMBEDDING_TOKENIZER", "tokenizer file");
    } else {
        for (const char* key : {"model", "tokenizer"})
            if (r.has(key))
                ctx.warning(r.path_of(key), fmt::format("only the file embedder reads {}", quote(key)),
                            "set \"embedder\" to \"file\", or remove it");
    }
    if (semantic.embedder == "pool") {
        if (auto v = r.string("pool")) semantic.pool = *v;  // that it exists is a cross-check
        else if (!r.has("pool"))
            ctx.error(r.path(), "the pool embedder needs the pool to embed through",
                      "add \"pool\": the id of a pool of OpenAI-compatible embeddings providers");
    } else if (r.has("pool")) {
        ctx.warning(r.path_of("pool"), "only the pool embedder reads \"pool\"",
                    "set \"embedder\" to \"pool\", or remove it");
    }
    if (auto v = r.boolean("defaultRoutes")) semantic.default_routes = *v;
    if (const Node* routes = r.get("routes")) semantic.routes = read_semantic_routes(ctx, *routes, r.path_of("routes"));
    if (!semantic.default_routes && semantic.routes.empty())
        ctx.error(r.path(), "a semantic router without its default routes needs routes of its own",
                  "add \"routes\", or drop \"defaultRoutes\": false");
    return semantic;
}

HybridWeights read_hybrid(Context& ctx, const Node& node, const std::string& path) {
    HybridWeights weights;
    ObjectReader r(ctx, node, path, {"heuristic", "semantic"});
    if (!r.valid()) return weights;
    if (auto v = r.number("heuristic", 0, 1e6)) weights.heuristic = *v;
    if (auto v = r.number("semantic", 0, 1e6)) weights.semantic = *v;
    if (weights.heuristic + weights.semantic <= 0)
        ctx.error(r.path(), "the weights add up to 0, so no router's vote would count", "give one a positive weight");
    return weights;
}

CascadeConfig read_cascade(Context& ctx, const Node& node, const std::string& path) {
    CascadeConfig cascade;
    ObjectReader r(ctx, node, path, {"steps", "judge", "qualityThreshold", "confidenceThreshold", "maxBudget"});
    if (!r.valid()) return cascade;
    if (const Node* steps = r.get("steps")) {
        if (!steps->is_array() || steps->items.empty())
            ctx.error(r.path_of("steps"), "expected a non-empty array of targets",
                      "list the pools to try, e.g. [{\"pool\": \"cheap\"}, {\"pool\": \"strong\"}]");
        else
            for (std::size_t i = 0; i < steps->items.size(); ++i)
                if (auto t = read_target(ctx, steps->items[i], index_path(r.path_of("steps"), i)))
                    cascade.steps.push_back(std::move(*t));
    }
    if (auto v = r.string("judge")) {
        if (*v == "builtin" || *v == "callback") cascade.judge = *v;
        else ctx.error(r.path_of("judge"), fmt::format("unknown judge {}; expected builtin or callback", quote(*v)),
                       did_you_mean(*v, {"builtin", "callback"}));
    }
    cascade.quality_threshold = r.number("qualityThreshold", 0, 1);
    cascade.confidence_threshold = r.number("confidenceThreshold", 0, 1);
    cascade.max_budget = r.number("maxBudget", 0, 1e6);
    return cascade;
}

// A model's `router`: how it routes by prompt (docs/prompt-routing.md).
PromptRouterConfig read_prompt_router(Context& ctx, const Node& node, const std::string& path) {
    PromptRouterConfig router;
    ObjectReader r(ctx, node, path,
                   {"strategy", "rules", "semantic", "hybrid", "cascade", "labels", "routes", "defaultLabel"});
    if (!r.valid()) return router;
    if (auto v = r.string("strategy")) {
        if (is_intelligence_strategy(*v))
            router.strategy = *v;
        else
            ctx.error(r.path_of("strategy"),
                      fmt::format("unknown strategy {}; expected heuristic, semantic, cascade or hybrid", quote(*v)),
                      did_you_mean(*v, {"hybrid", "cascade", "semantic", "heuristic"}));
    }
    if (auto v = r.string("rules")) {
        if (*v == "standard" || *v == "modelmuxer") router.rules = *v;
        else ctx.error(r.path_of("rules"), fmt::format("unknown rule set {}; expected standard or modelmuxer", quote(*v)),
                       did_you_mean(*v, {"standard", "modelmuxer"}));
    }
    if (const Node* semantic = r.get("semantic")) {
        router.semantic = read_semantic(ctx, *semantic, r.path_of("semantic"));
        if (router.strategy == "heuristic")
            ctx.warning(r.path_of("semantic"), "a heuristic router does not read its semantic settings",
                        "set \"strategy\" to \"semantic\" or \"hybrid\", or remove them");
    }
    if (const Node* hybrid = r.get("hybrid")) {
        router.hybrid = read_hybrid(ctx, *hybrid, r.path_of("hybrid"));
        if (router.strategy != "hybrid")
            ctx.warning(r.path_of("hybrid"), fmt::format("a {} router does not read hybrid weights", router.strategy),
                        "set \"strategy\" to \"hybrid\", or remove them");
    }
    if (const Node* cascade = r.get("cascade")) {
        router.cascade = read_cascade(ctx, *cascade, r.path_of("cascade"));
        if (router.strategy != "cascade")
            ctx.warning(r.path_of("cascade"), fmt::format("a {} router does not read cascade settings", router.strategy),
                        "set \"strategy\" to \"cascade\", or remove them");
    }
    if (const Node* labels = r.get("labels")) router.labels = read_user_labels(ctx, *labels, r.path_of("labels"));
    if (const Node* routes = r.get("routes")) router.routes = read_label_targets(ctx, *routes, r.path_of("routes"));
    if (auto v = r.string("defaultLabel")) router.default_label = *v;
    return router;
}

ModelConfig read_virtual_model(Context& ctx, const std::string& name, const Node& node, const std::string& path) {
    ModelConfig model;
    model.name = name;
    ObjectReader r(ctx, node, path, {"primaryPoolId", "router", "defaultParameters", "description"});
    if (const Node* router = r.get("router")) model.router = read_prompt_router(ctx, *router, r.path_of("router"));
    // A prompt-routed model needs no primary pool: its routes say where requests go.
    if (auto v = r.string("primaryPoolId", !model.router)) model.primary_pool_id = *v;
    (void)r.string("description");
    if (auto params = r.json_members("defaultParameters")) {
        for (auto& member : *params) {
            std::string wire = wire_parameter_name(member.key);
            if (std::any_of(model.default_parameters.begin(), model.default_parameters.end(),
                            [&](const JsonMember& m) { return m.key == wire; }))
                ctx.error(child_path(r.path_of("defaultParameters"), member.key),
                          fmt::format("sets \"{}\" a second time", wire));
            else
                model.default_parameters.push_back({std::move(wire), std::move(member.json)});
        }
    }
    return model;
}

void read_catalog_provider(Context& ctx, const std::string& provider, const Node& node, const std::string& path,
                           Config& config) {
    for (const auto& [model_name, body] : node.members) {
        const std::string model_path = child_path(path, model_name);
        CatalogModel entry;
        entry.provider = provider;
        entry.model = model_name;
        ObjectReader r(ctx, body, model_path, {"pricing", "max_tokens", "temperature"});
        if (!r.valid()) continue;
        if (auto v = r.integer("max_tokens", 1, 10'000'000)) entry.max_tokens = static_cast<int>(*v);
        if (auto v = r.number("temperature", 0, 2)) entry.temperature = *v;
        if (const Node* pricing = r.get("pricing")) {
            ObjectReader p(ctx, *pricing, r.path_of("pricing"), {"input", "output"});
            if (auto v = p.number("input", 0, 1000)) entry.pricing.input_per_1k = *v;
            if (auto v = p.number("output", 0, 1000)) entry.pricing.output_per_1k = *v;
            p.require("input");
            p.require("output");
        } else {
            r.require("pricing");
        }
        config.catalog.push_back(std::move(entry));
    }
}

// A catalog entry maps model names to objects; a virtual model uses its own keys.
bool looks_like_catalog(const Node& body) {
    if (!body.is_object() || body.members.empty()) return false;
    for (const auto& [key, value] : body.members)
        if (key == "primaryPoolId" || key == "router" || key == "defaultParameters" || key == "description" ||
            !value.is_object())
            return false;
    return true;
}

}  // namespace

void read_models(Context& ctx, const Node& node, Config& config) {
    if (!node.is_object()) {
        ctx.error("models", fmt::format("expected an object of models by name, got {}", describe(node.kind)));
        return;
    }
    for (const auto& [name, body] : node.members) {
        const std::string path = child_path("models", name);
        if (looks_like_catalog(body)) {
            read_catalog_provider(ctx, name, body, path, config);
        } else {
            config.models.push_back(read_virtual_model(ctx, name, body, path));
            ctx.model_paths.push_back(path);
        }
    }
}

void read_routing_preferences(Context& ctx, const Node& node, Config& config) {
    config.routing_preferences = read_label_targets(ctx, node, "routing_preferences");
}

void read_muxer_routing(Context& ctx, const Node& node, Config& config) {
    IntelligenceConfig& in = config.intelligence;
    ObjectReader r(ctx, node, "routing", {"default_strategy", "strategies"});
    if (!r.valid()) return;
    if (auto v = r.string("default_strategy")) {
        if (is_intelligence_strategy(*v)) in.default_strategy = *v;
        else ctx.error(r.path_of("default_strategy"),
                       fmt::format("unknown strategy {}; expected hybrid, cascade, semantic or heuristic", quote(*v)),
                       did_you_mean(*v, {"hybrid", "cascade", "semantic", "heuristic"}));
    }
    const Node* strategies = r.get("strategies");
    if (!strategies) return;
    ObjectReader s(ctx, *strategies, r.path_of("strategies"), {"cascade", "semantic", "heuristic"});
    if (const Node* n = s.get("cascade")) {
        ObjectReader c(ctx, *n, s.path_of("cascade"), {"enabled", "quality_threshold", "confidence_threshold", "max_budget"});
        if (auto v = c.boolean("enabled")) in.cascade_enabled = *v;
        if (auto v = c.number("quality_threshold", 0, 1)) in.cascade_quality_threshold = *v;
        if (auto v = c.number("confidence_threshold", 0, 1)) in.cascade_confidence_threshold = *v;
        if (auto v = c.number("max_budget", 0, 1e6)) in.cascade_max_budget = *v;
    }
    if (const Node* n = s.get("semantic")) {
        ObjectReader c(ctx, *n, s.path_of("semantic"), {"enabled", "model", "similarity_threshold", "cache_embeddings"});
        if (auto v = c.boolean("enabled")) in.semantic_enabled = *v;
        if (auto v = c.string("model")) in.semantic_model = *v;
        if (auto v = c.number("similarity_threshold", 0, 1)) in.similarity_threshold = *v;
        if (auto v = c.boolean("cache_embeddings")) in.cache_embeddings = *v;
    }
    if (const Node* n = s.get("heuristic")) {
        ObjectReader c(ctx, *n, s.path_of("heuristic"),
                       {"enabled", "rules", "code_detection_threshold", "complexity_threshold",
                        "simple_query_threshold", "simple_query_max_length"});
        if (auto v = c.boolean("enabled")) in.heuristic_enabled = *v;
        if (auto v = c.string("rules")) {
            if (*v == "standard" || *v == "modelmuxer") in.heuristic_rules = *v;
            else ctx.error(c.path_of("rules"), fmt::format("unknown rule set {}; expected standard or modelmuxer", quote(*v)));
        }
        if (auto v = c.number("code_detection_threshold", 0, 1)) in.code_detection_threshold = *v;
        if (auto v = c.number("complexity_threshold", 0, 1)) in.complexity_threshold = *v;
        if (auto v = c.number("simple_query_threshold", 0, 1)) in.simple_query_threshold = *v;
        if (auto v = c.integer("simple_query_max_length", 1, 1'000'000)) in.simple_query_max_length = static_cast<int>(*v);
    }
}

void add_muxer_auto_model(Context& ctx, Config& config) {
    if (config.routing_preferences.empty() || config.find_model("auto")) return;
    // A fragment whose targets no pool serves yet (models.yaml alone) routes nothing: each
    // target has its warning already.
    const RoutingPreference* first_served = nullptr;
    for (const auto& pref : config.routing_preferences)
        for (const auto& target : pref.targets)
            if (!first_served && config.find_target_pool(target)) first_served = &pref;
    if (!first_served) return;
    ModelConfig model;
    model.name = "auto";
    model.router = PromptRouterConfig{};
    model.router->rules = config.intelligence.heuristic_rules;
    // ModelMuxer sends a label without preferences where "general" goes; without a "general"
    // preference, to the first label that has a served target.
    const bool has_general = std::any_of(config.routing_preferences.begin(), config.routing_preferences.end(),
                                         [](const RoutingPreference& p) { return p.label == "general"; });
    if (!has_general) model.router->default_label = first_served->label;
    const IntelligenceConfig& in = config.intelligence;
    model.router->strategy = in.default_strategy;
    // A disabled router has no vote; with neither enabled, the heuristic decides alone.
    model.router->hybrid.heuristic = in.heuristic_enabled ? 0.5 : 0.0;
    model.router->hybrid.semantic = in.semantic_enabled ? 0.5 : 0.0;
    if (model.router->strategy == "hybrid" && !in.heuristic_enabled && !in.semantic_enabled)
        model.router->strategy = "heuristic";
    config.models.push_back(std::move(model));
    ctx.model_paths.emplace_back("routing_preferences");
}

// ModelMuxer's `providers:` names each provider once, with its key and model list. Each
// (provider, model) becomes a one-provider pool and a virtual model, both named
// "<provider>/<model>", so that routing_preferences targets resolve to real pools.
void read_muxer_providers(Context& ctx, const Node& node, Config& config) {
    if (!node.is_object()) {
        ctx.error("providers", fmt::format("expected an object of providers by name, got {}", describe(node.kind)));
        return;
    }
    const auto names = providers::provider_names();
    for (const auto& [name, body] : node.members) {
        const std::string path = child_path("providers", name);
        ObjectReader r(ctx, body, path, {"api_key", "base_url", "timeout", "max_retries", "models"});
        if (!r.valid()) continue;
        const providers::ProviderSpec* spec = providers::find_provider_spec(name);
        if (!spec) {
            ctx.error(path, fmt::format("provider {} is not supported", quote(name)), did_you_mean(name, names));
            continue;
        }
        ProviderConfig base;
        base.type = std::string(spec->name);
        base.api_base = std::string(spec->default_api_base);
        base.api_version = std::string(spec->api_version);
        if (auto v = r.string("base_url")) {
            if (std::string reason = check_api_base(*v); !reason.empty()) ctx.error(r.path_of("base_url"), reason);
            else base.api_base = *v;
        }
        if (auto v = r.number("timeout", 0.001, 86'400)) base.timeout = Millis(static_cast<std::int64_t>(*v * 1000));
        if (auto v = r.integer("max_retries", 0, 10)) base.max_retries = static_cast<int>(*v);
        if (auto key = r.secret("api_key")) {
            CredentialStoreConfig store;
            store.name = name;
            store.type = CredentialType::simple;
            store.source = CredentialSource::inline_value;
            store.details = SimpleCredentials{ValueRef{{}, {}, std::move(*key)}};
            config.credential_stores.push_back(std::move(store));
            ctx.store_paths.push_back(r.path_of("api_key"));
            base.credentials_ref = name;
        }
        auto models = r.string_list("models");
        if (!models) {
            r.require("models");
            continue;
        }
        for (std::size_t i = 0; i < models->size(); ++i) {
            const std::string& model = (*models)[i];
            const std::string id = name + "/" + model;
            PoolConfig pool;
            pool.id = id;
            pool.name = id;
            pool.circuit_breaker.permanent = ctx.permanent_defaults;
            ProviderConfig provider = base;
            provider.name = id;
            provider.model_name = model;
            pool.providers.push_back(std::move(provider));
            config.pools.push_back(std::move(pool));
            config.models.push_back(ModelConfig{id, id, {}, std::nullopt});
            ctx.pool_paths.push_back(index_path(r.path_of("models"), i));
            ctx.model_paths.push_back(index_path(r.path_of("models"), i));
        }
    }
}

}  // namespace sw::config
