// loader.cpp — where a configuration comes from (file, string, the default load order) and how
// its text becomes a validated Config.
#include <switch/config_loader.hpp>

#include "common/json_writer.hpp"
#include "config/schema.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>
#include <variant>

namespace sw {

std::optional<std::string> process_env(const std::string& name) {
    // getenv is safe here: libswitch never calls setenv, and callers that do must not race it.
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
}

std::size_t LoadResult::error_count() const {
    std::size_t n = 0;
    for (const auto& d : diagnostics) n += d.severity == Severity::error;
    return n;
}
std::size_t LoadResult::warning_count() const { return diagnostics.size() - error_count(); }

namespace {

LoadResult failure(std::string origin, std::string message, std::string suggestion = {}) {
    LoadResult result;
    result.origin = std::move(origin);
    result.diagnostics.push_back({Severity::error, "", std::move(message), std::move(suggestion)});
    return result;
}

ConfigFormat detect_format(std::string_view text) {
    std::size_t i = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte-order mark
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
    return i < text.size() && (text[i] == '{' || text[i] == '[') ? ConfigFormat::json : ConfigFormat::yaml;
}

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// A file's content, or a LoadResult describing why it could not be read.
std::variant<std::string, LoadResult> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
    const std::string origin = path.string();
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) return failure(origin, "cannot read the file: it does not exist");
    if (!std::filesystem::is_regular_file(status)) return failure(origin, "cannot read the file: not a regular file");
    auto size = std::filesystem::file_size(path, ec);
    if (ec) return failure(origin, fmt::format("cannot read the file: {}", ec.message()));
    if (size > max_bytes)
        return failure(origin, fmt::format("the file is {:.1f} MiB; configurations are limited to {:.1f} MiB",
                                           static_cast<double>(size) / (1 << 20),
                                           static_cast<double>(max_bytes) / (1 << 20)));
    std::ifstream in(path, std::ios::binary);
    if (!in) return failure(origin, "cannot read the file: permission denied or I/O error");
    std::string text(size, '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

struct KeyedProvider {
    const char* env_var;
    const char* provider;
    const char* model;
};

// The providers whose keys the last step of the load order looks for, in fallback order.
constexpr KeyedProvider kKeyedProviders[] = {
    {"OPENAI_API_KEY", "openai", "gpt-4o-mini"},
    {"ANTHROPIC_API_KEY", "anthropic", "claude-3-5-haiku-20241022"},
    {"GOOGLE_API_KEY", "google", "gemini-1.5-flash"},
    {"MISTRAL_API_KEY", "mistral", "mistral-small-latest"},
    {"GROQ_API_KEY", "groq", "llama-3.1-8b-instant"},
    {"TOGETHER_API_KEY", "together", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo"},
};

// A config with one pool per provider key found, chained in the order above, a model named
// after each provider, and "default" on the first pool. Empty when no key is set.
std::string config_from_provider_keys(const EnvLookup& env) {
    std::vector<const KeyedProvider*> found;
    for (const auto& kp : kKeyedProviders) {
        auto value = env(kp.env_var);
        if (value && !value->empty()) found.push_back(&kp);
    }
    if (found.empty()) return {};
    JsonWriter w;
    w.begin_object().key("credentialStores").begin_object();
    for (const auto* kp : found) {
        w.key(kp->provider).begin_object().key("type").string("simple").key("source").string("env");
        w.key("config").begin_object().key("apiKeyVar").string(kp->env_var).end_object().end_object();
    }
    w.end_object().key("pools").begin_array();
    for (std::size_t i = 0; i < found.size(); ++i) {
        const auto* kp = found[i];
        w.begin_object().key("id").string(kp->provider).key("providers").begin_array().begin_object();
        w.key("name").string(kp->provider).key("provider").string(kp->provider);
        w.key("credentialsRef").string(kp->provider).key("modelName").string(kp->model).end_object().end_array();
        w.key("fallbackPoolIds").begin_array();
        if (i + 1 < found.size()) w.string(found[i + 1]->provider);
        w.end_array().end_object();
    }
    w.end_array().key("models").begin_object();
    w.key("default").begin_object().key("primaryPoolId").string(found.front()->provider).end_object();
    for (const auto* kp : found) w.key(kp->provider).begin_object().key("primaryPoolId").string(kp->provider).end_object();
    w.end_object().end_object();
    return w.take();
}

}  // namespace

LoadResult load_config_string(std::string_view text, ConfigFormat format, std::string origin,
                              const LoadOptions& options) {
    if (text.size() > options.max_bytes)
        return failure(std::move(origin), fmt::format("the configuration is {:.1f} MiB; the limit is {:.1f} MiB",
                                                      static_cast<double>(text.size()) / (1 << 20),
                                                      static_cast<double>(options.max_bytes) / (1 << 20)));
    if (is_blank(text)) return failure(std::move(origin), "the configuration is empty");
    if (format == ConfigFormat::detect) format = detect_format(text);
    config::ParsedDocument doc = format == ConfigFormat::json ? config::parse_json(text) : config::parse_yaml(text);
    if (!doc.root) return failure(std::move(origin), doc.error);

    config::Context ctx(options);
    Config config = config::read_document(ctx, *doc.root);
    LoadResult result;
    result.origin = std::move(origin);
    result.summary = {config.credential_stores.size(), config.pools.size(), config.provider_count(),
                      config.models.size()};
    result.diagnostics = std::move(ctx.diagnostics);
    if (result.error_count() == 0) result.config = std::make_shared<const Config>(std::move(config));
    return result;
}

LoadResult load_config_file(const std::filesystem::path& path, const LoadOptions& options) {
    auto content = read_file(path, options.max_bytes);
    if (auto* failed = std::get_if<LoadResult>(&content)) return std::move(*failed);
    const auto ext = path.extension().string();
    ConfigFormat format = ext == ".json"                    ? ConfigFormat::json
                          : (ext == ".yaml" || ext == ".yml") ? ConfigFormat::yaml
                                                              : ConfigFormat::detect;
    return load_config_string(std::get<std::string>(content), format, path.string(), options);
}

LoadResult load_config_default(const LoadOptions& options) {
    for (const char* name : {"definitions.json", "definitions.yaml", "definitions.yml"}) {
        auto path = options.working_dir / name;
        std::error_code ec;
        if (std::filesystem::exists(path, ec)) return load_config_file(path, options);
    }
    // An empty MODEL_DEFINITIONS counts as unset, as `MODEL_DEFINITIONS=` in a .env file means.
    if (auto text = options.env("MODEL_DEFINITIONS"); text && !is_blank(*text))
        return load_config_string(*text, ConfigFormat::detect, "MODEL_DEFINITIONS", options);
    std::string generated = config_from_provider_keys(options.env);
    if (!generated.empty())
        return load_config_string(generated, ConfigFormat::json, "environment (provider keys)", options);
    std::string keys;
    for (const auto& kp : kKeyedProviders) keys += (keys.empty() ? "" : ", ") + std::string(kp.env_var);
    return failure("<default>",
                   fmt::format("no configuration found: looked for {} in {}, then MODEL_DEFINITIONS, then provider "
                               "keys ({})",
                               "definitions.json/.yaml", options.working_dir.string(), keys),
                   "create definitions.json, or set MODEL_DEFINITIONS");
}

}  // namespace sw
