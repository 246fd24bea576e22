// config_state.hpp — the configuration the server runs on, and how it changes while serving:
// SIGHUP reloads it from its source, and the runtime config endpoints edit one section of it.
// Every change is validated exactly like a config file (sw::load_config_string), and the
// server's own sections (`server`, `auth`) by the server's readers, in one report; it is then
// applied with Router::reload, which drops no request, and to the server. An invalid one
// changes nothing.
#pragma once

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include "client_auth.hpp"
#include "config/document.hpp"
#include "server_section.hpp"
#include "settings.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace server {

// What the server reads from the configuration's own sections, with the environment.
struct ServerConfig {
    ServerSection server;  // `server`, and RATE_LIMIT_*
    std::shared_ptr<const AuthPolicy> auth;  // `auth`, and AUTH_ENABLED, JWT_*
};

class ConfigState {
public:
    // `config_file` empty: the library's default load order. `env` gives the server's
    // variables (RATE_LIMIT_*, AUTH_ENABLED, JWT_*).
    ConfigState(std::string config_file, EnvGetter env) : config_file_(std::move(config_file)), env_(std::move(env)) {}

    // Loads the configuration the first time. The caller prints the diagnostics and gives up
    // when it is not ok(); otherwise server_config() holds the server's part.
    sw::LoadResult load_initial();
    ServerConfig server_config() const;

    // Called with the server's part of every change applied after the first load, while the
    // change is being made (so changes are applied in order).
    void on_server_config(std::function<void(const ServerConfig&)> apply) { apply_ = std::move(apply); }

    // SIGHUP: loads the source again the same way. Valid: applied to `router`. Invalid: every
    // problem is written to stderr and the running configuration stays.
    void reload_from_source(sw::Router& router);

    struct Outcome {
        int status = 200;
        std::string json;
    };
    // PUT /api/v1/config/{routing,models,rate-limits}: merges `body` into the section `section`
    // of the current document ("routing", "routing_preferences" or "server.rate_limits": a dot
    // goes one object down), validates the whole and applies it. 200 with what changed, or 400
    // with every diagnostic.
    Outcome edit_section(sw::Router& router, std::string_view section, std::string_view body);

    // GET /api/v1/config/status.
    std::string status_json() const;

private:
    // Reads the server's sections of `root` (null: no document) into `result`'s report: their
    // errors make it not ok(). nullopt when there are errors.
    std::optional<ServerConfig> read_server_config(const sw::config::Node* root, sw::LoadResult& result) const;
    // Applies a valid change: the router's part, then the server's.
    void apply(sw::Router& router, const sw::LoadResult& result, ServerConfig server);
    // The current document, parsed; nullopt when there is none or it no longer parses.
    std::optional<sw::config::Node> document() const;

    // Reads the text of what `result` was loaded from, when it came from a file or
    // MODEL_DEFINITIONS; nullopt for a config generated from provider keys.
    void remember_source(const sw::LoadResult& result);

    mutable std::mutex mutex_;  // one change at a time; status reads a consistent picture
    const std::string config_file_;
    const EnvGetter env_;
    std::function<void(const ServerConfig&)> apply_;
    ServerConfig server_config_;
    std::optional<std::string> text_;  // the current document, as JSON or YAML
    bool text_is_json_ = true;
    std::string origin_;
    std::string current_report_;        // format_diagnostics_json of what runs now
    std::string last_rejected_report_;  // the same for the last rejected change, or empty
    int applied_changes_ = 0;
    int rejected_changes_ = 0;
};

}  // namespace server
