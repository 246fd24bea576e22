// config_state.hpp — the configuration the server runs on, and how it changes while serving:
// SIGHUP reloads it from its source, and the runtime config endpoints edit one section of it.
// Every change is validated exactly like a config file (sw::load_config_string) and applied
// with Router::reload, which drops no request; an invalid one changes nothing.
#pragma once

#include <switch/config_loader.hpp>
#include <switch/router.hpp>

#include "config/document.hpp"

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace server {

class ConfigState {
public:
    // `config_file` empty: the library's default load order.
    explicit ConfigState(std::string config_file) : config_file_(std::move(config_file)) {}

    // Loads the configuration the first time. The caller prints the diagnostics and gives up
    // when it is not ok().
    sw::LoadResult load_initial();

    // SIGHUP: loads the source again the same way. Valid: applied to `router`. Invalid: every
    // problem is written to stderr and the running configuration stays.
    void reload_from_source(sw::Router& router);

    struct Outcome {
        int status = 200;
        std::string json;
    };
    // PUT /api/v1/config/{routing,models}: merges `body` into the section `section` of the
    // current document ("routing" or "routing_preferences"), validates the whole and applies
    // it. 200 with what changed, or 400 with every diagnostic.
    Outcome edit_section(sw::Router& router, std::string_view section, std::string_view body);

    // GET /api/v1/config/status.
    std::string status_json() const;

    // The top-level section `name` of the current document, unexpanded; nullopt when there is
    // none (or no document). The server reads its own sections (`auth`) from here.
    std::optional<sw::config::Node> section(std::string_view name) const;

private:
    // Reads the text of what `result` was loaded from, when it came from a file or
    // MODEL_DEFINITIONS; nullopt for a config generated from provider keys.
    void remember_source(const sw::LoadResult& result);

    mutable std::mutex mutex_;  // one change at a time; status reads a consistent picture
    const std::string config_file_;
    std::optional<std::string> text_;  // the current document, as JSON or YAML
    bool text_is_json_ = true;
    std::string origin_;
    std::string current_report_;        // format_diagnostics_json of what runs now
    std::string last_rejected_report_;  // the same for the last rejected change, or empty
    int applied_changes_ = 0;
    int rejected_changes_ = 0;
};

}  // namespace server
