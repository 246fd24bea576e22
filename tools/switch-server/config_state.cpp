// config_state.cpp — reloading and editing the configuration (docs/server.md, "Changing the
// configuration").
#include "config_state.hpp"

#include "common/json_writer.hpp"
#include "config/document.hpp"
#include "http_reply.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <tuple>

namespace server {

namespace {

using sw::config::Node;

constexpr std::string_view kGenerated = "environment (provider keys)";

std::optional<std::string> read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The library's rule: JSON when the first non-blank character opens an object or array.
bool looks_like_json(std::string_view text) {
    const std::size_t i = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    return i != std::string_view::npos && (text[i] == '{' || text[i] == '[');
}

bool is_json_path(const std::string& path) {
    return path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
}

// OpenAI's error shape, as the gateway writes it, with the validator's report added to the
// error object: {"error":{"message","type","code","param","validation":{...}}}.
std::string error_with_report(int status, std::string_view message, std::string_view report) {
    std::string json = gateway_error_json(status, message);
    if (!report.empty() && json.size() >= 2 && json.compare(json.size() - 2, 2, "}}") == 0) {
        json.resize(json.size() - 2);
        json += ",\"validation\":";
        json += report;
        json += "}}";
    }
    return json;
}

ConfigState::Outcome bad_request(std::string message) { return {400, gateway_error_json(400, message)}; }

// The server's readers write "PATH: reason"; a Diagnostic keeps the two apart, as the
// library's do.
sw::Diagnostic diagnostic(sw::Severity severity, const std::string& text) {
    const std::size_t colon = text.find(": ");
    if (colon == std::string::npos || text.find(' ') < colon) return {severity, "", text, ""};
    return {severity, text.substr(0, colon), text.substr(colon + 2), ""};
}

Node* member(Node& object, std::string_view key) {
    for (auto& [k, v] : object.members)
        if (k == key) return &v;
    return nullptr;
}

}  // namespace

std::optional<ServerConfig> ConfigState::read_server_config(const Node* root, sw::LoadResult& result) const {
    std::vector<std::string> errors;
    std::string env_error;
    const std::optional<RateLimits> env_limits = read_rate_limits(env_, env_error);
    if (!env_limits) errors.push_back(env_error);
    ServerConfig out;
    out.server = read_server_section(root ? root->find("server") : nullptr, env_limits.value_or(RateLimits{}));
    AuthLoad auth = read_auth(root ? root->find("auth") : nullptr, env_);
    out.auth = auth.policy;
    errors.insert(errors.end(), out.server.errors.begin(), out.server.errors.end());
    errors.insert(errors.end(), auth.errors.begin(), auth.errors.end());
    for (const std::string& e : errors) result.diagnostics.push_back(diagnostic(sw::Severity::error, e));
    for (const std::string& n : out.server.notes) result.diagnostics.push_back(diagnostic(sw::Severity::warning, n));
    for (const std::string& n : auth.notes) result.diagnostics.push_back(diagnostic(sw::Severity::warning, n));
    if (errors.empty()) return out;
    result.config.reset();  // not ok(): nothing of it may be applied
    return std::nullopt;
}

std::optional<Node> ConfigState::document() const {
    if (!text_) return std::nullopt;
    sw::config::ParsedDocument doc = text_is_json_ ? sw::config::parse_json(*text_) : sw::config::parse_yaml(*text_);
    if (!doc.root || !doc.root->is_object()) return std::nullopt;
    return std::move(*doc.root);
}

void ConfigState::apply(sw::Router& router, const sw::LoadResult& result, ServerConfig server) {
    router.reload(result.config);
    current_report_ = sw::format_diagnostics_json(result);
    ++applied_changes_;
    server_config_ = std::move(server);
    if (apply_) apply_(server_config_);
}

sw::LoadResult ConfigState::load_initial() {
    sw::LoadResult result =
        config_file_.empty() ? sw::load_config_default() : sw::load_config_file(config_file_);
    std::lock_guard lock(mutex_);
    if (!result.ok()) return result;
    remember_source(result);
    const std::optional<Node> root = document();
    std::optional<ServerConfig> server = read_server_config(root ? &*root : nullptr, result);
    if (!server) return result;
    server_config_ = std::move(*server);
    current_report_ = sw::format_diagnostics_json(result);
    return result;
}

ServerConfig ConfigState::server_config() const {
    std::lock_guard lock(mutex_);
    return server_config_;
}

void ConfigState::remember_source(const sw::LoadResult& result) {
    origin_ = result.origin;
    text_.reset();
    if (result.origin == kGenerated) return;  // nothing to edit: there is no document
    if (result.origin == "MODEL_DEFINITIONS") {
        if (const char* text = std::getenv("MODEL_DEFINITIONS")) text_ = text;
    } else {
        // Read again after the load: a file replaced in between is read whole at the next
        // SIGHUP, and an edit merged into a text that no longer validates is refused.
        text_ = read_text(result.origin);
    }
    if (text_) text_is_json_ = is_json_path(result.origin) || looks_like_json(*text_);
}

void ConfigState::reload_from_source(sw::Router& router) {
    std::lock_guard lock(mutex_);
    sw::LoadResult result =
        config_file_.empty() ? sw::load_config_default() : sw::load_config_file(config_file_);
    // The server's sections are read from the source as it is now; the running one comes back
    // if the change is refused.
    auto running = std::tuple(text_, text_is_json_, origin_);
    std::optional<ServerConfig> server;
    if (result.ok()) {
        remember_source(result);
        const std::optional<Node> root = document();
        server = read_server_config(root ? &*root : nullptr, result);
    }
    // Diagnostics never echo a key, header value or expanded variable.
    std::fputs(sw::format_diagnostics_text(result).c_str(), stderr);
    if (!result.ok()) {
        std::tie(text_, text_is_json_, origin_) = std::move(running);
        ++rejected_changes_;
        last_rejected_report_ = sw::format_diagnostics_json(result);
        std::fprintf(stderr, "switch-server: SIGHUP: the configuration has %zu error(s); the running one stays\n",
                     result.error_count());
        return;
    }
    apply(router, result, std::move(*server));
    std::fprintf(stderr, "switch-server: SIGHUP: reloaded the configuration from %s\n", result.origin.c_str());
}

ConfigState::Outcome ConfigState::edit_section(sw::Router& router, std::string_view section, std::string_view body) {
    sw::config::ParsedDocument patch_doc = sw::config::parse_json(body);
    if (!patch_doc.root) return bad_request("the body is not valid JSON: " + patch_doc.error);
    if (!patch_doc.root->is_object()) return bad_request("the body must be a JSON object");
    Node patch = std::move(*patch_doc.root);
    if (section == "routing_preferences") {
        // ModelMuxer's form: {"preferences": {LABEL: [{"provider", "model"}, ...]}}.
        if (patch.members.size() != 1 || patch.members[0].first != "preferences" ||
            !patch.members[0].second.is_object())
            return bad_request("expected {\"preferences\": {LABEL: [{\"provider\": ..., \"model\": ...}]}}");
        Node inner = std::move(patch.members[0].second);
        patch = std::move(inner);
    }

    std::lock_guard lock(mutex_);
    if (!text_)
        return {409, gateway_error_json(409, "the configuration was generated from provider keys, so there is no "
                                             "document to edit; start the server with a config file")};
    std::optional<Node> root = document();
    if (!root) return {409, gateway_error_json(409, "the configuration source no longer parses; fix it and send SIGHUP")};
    // Down the dotted path, making the objects that are missing.
    Node* target = &*root;
    for (std::string_view rest = section; !rest.empty();) {
        const std::string key(rest.substr(0, rest.find('.')));
        rest = rest.size() > key.size() ? rest.substr(key.size() + 1) : std::string_view{};
        Node* next = member(*target, key);
        if (next == nullptr) {
            Node empty;
            empty.kind = Node::Kind::object;
            target->members.emplace_back(key, std::move(empty));
            next = &target->members.back().second;
        } else if (!next->is_object()) {
            return bad_request("the configuration's " + std::string(section) + " is not an object");
        }
        target = next;
    }

    sw::JsonWriter changed;
    changed.begin_object();
    for (auto& [key, value] : patch.members) {
        Node* old = member(*target, key);
        const std::string before = old ? sw::config::to_json(*old) : "null";
        const std::string after = sw::config::to_json(value);
        if (before != after) changed.key(key).begin_object().key("from").raw(before).key("to").raw(after).end_object();
        if (old) *old = value;
        else target->members.emplace_back(key, value);
    }
    changed.end_object();

    std::string merged = sw::config::to_json(*root);
    const std::string origin = origin_ + " with PUT " + std::string(section);
    sw::LoadResult result = sw::load_config_string(merged, sw::ConfigFormat::json, origin);
    std::optional<ServerConfig> server;
    if (result.ok()) server = read_server_config(&*root, result);
    if (!result.ok()) {
        ++rejected_changes_;
        last_rejected_report_ = sw::format_diagnostics_json(result);
        return {400, error_with_report(400,
                                       "the change is invalid (" + std::to_string(result.error_count()) +
                                           " error(s), listed in validation.diagnostics); nothing was applied",
                                       last_rejected_report_)};
    }
    apply(router, result, std::move(*server));
    text_ = std::move(merged);
    text_is_json_ = true;

    sw::JsonWriter w;
    w.begin_object().key("applied").boolean(true).key("section").string(section);
    w.key("changed").raw(changed.str()).key("validation").raw(current_report_).end_object();
    return {200, w.take()};
}

std::string ConfigState::status_json() const {
    std::lock_guard lock(mutex_);
    sw::JsonWriter w;
    w.begin_object().key("origin").string(origin_).key("editable").boolean(text_.has_value());
    w.key("applied_changes").integer(applied_changes_).key("rejected_changes").integer(rejected_changes_);
    w.key("current").raw(current_report_.empty() ? "null" : current_report_);
    w.key("last_rejected").raw(last_rejected_report_.empty() ? "null" : last_rejected_report_);
    w.end_object();
    return w.take();
}

}  // namespace server
