// catalog.hpp — the read-only endpoints' bodies: the model list and the health report.
#pragma once

#include <switch/router.hpp>

#include <string>

namespace server {

// OpenAI's list shape: {"object":"list","data":[{"id","object":"model","created","owned_by"}]},
// one entry per virtual model of the config, prompt-routed models and cascades included.
std::string models_json(const sw::Config& config);

struct Health {
    bool ready = false;  // every model has a usable provider in some pool it can reach
    std::string json;    // {"status","live","ready","unready_models":[..],"router":<status JSON>}
};
Health health(const sw::Config& config, const sw::RouterStatus& status);

}  // namespace server
