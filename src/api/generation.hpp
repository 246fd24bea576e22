// generation.hpp — one configuration and what a router builds from it, and how a request
// begins on it: its check, its prompt route when its model routes by prompt, and its routing loop.
#pragma once

#include <switch/router.hpp>
#include <switch/sys/router_core.hpp>

#include "credentials/credential_cache.hpp"
#include "credentials/token_source.hpp"
#include "api/cascade_plan.hpp"
#include "api/request_origin.hpp"
#include "prompt/prompt_router.hpp"
#include "providers/adapter.hpp"
#include "transport/io.hpp"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sw::state {
class SharedState;
}
namespace sw::routing {
class BudgetBook;
}

namespace sw::api {

// Router::reload() replaces the router's generation; a request keeps the one it began on to its
// end, so a reload never changes a request in flight. Members are destroyed in reverse order:
// the caches before their config.
struct Generation {
    std::shared_ptr<const Config> config;
    std::shared_ptr<RouterCore> core;
    // One token exchange per store serves every I/O thread. A token exchange in flight keeps
    // the generation alive through the requests waiting for it, which hold their generation.
    std::unique_ptr<credentials::TokenSource> tokens;
    // One per I/O thread, by DriverHost::io_thread_index(), each used on its thread only: a
    // cached credential is read without a lock.
    std::vector<std::unique_ptr<credentials::CredentialCache>> credentials;
    // The prompt routers of the models that route by prompt, by model name. Read-only.
    std::unordered_map<std::string, std::unique_ptr<prompt::PromptRouter>> prompt_routers;
    // The cascade models' plans, by model name; they hold pointers into `config`. Read-only.
    std::unordered_map<std::string, CascadePlan> cascades;
    // The router's state shared through Redis, or null (docs/scaling.md). The router keeps it
    // alive longer than any request.
    state::SharedState* shared = nullptr;
    // This process's count of the config's budgets (docs/budgets.md), kept by the router across
    // reloads; null for none (a generation with budgets then refuses to build).
    routing::BudgetBook* budgets = nullptr;
};

// A generation for `config` on `core`, with one credential cache per I/O thread in `threads`.
// `budgets` counts the config's budgets; a config with budgets and no book throws
// std::invalid_argument. `embedder` serves the prompt routers configured with "embedder": "callback"; without one, such
// a config throws std::invalid_argument (as require_embedder would).
std::shared_ptr<const Generation> make_generation(std::shared_ptr<const Config> config,
                                                  std::shared_ptr<RouterCore> core, const EnvLookup& env,
                                                  const std::vector<transport::Io>& threads,
                                                  const EmbedFunction& embedder,
                                                  state::SharedState* shared = nullptr,
                                                  routing::BudgetBook* budgets = nullptr);

// Throws std::invalid_argument, naming the model, when a prompt router of `config` embeds with a
// callback and `options` has no embedder, or a cascade judges with a callback and `options` has
// no judge: checked before a router starts its threads.
void require_callbacks(const Config& config, const RouterOptions& options);

// The tokens a checked request is estimated to use, for a budget and a route's estimated cost:
// the prompt estimate, and max_tokens, or a 1,000-token answer without it.
TokenUsage estimated_usage(const providers::RequestCheck& check);

// The routing options of a request that passed its check: what the router's core is begun with.
RequestOptions routing_options(RequestId id, const providers::RequestCheck& check, const ChatOptions& chat);

// A checked request to a model that is not a cascade (start_request begins those), begun: its
// routing loop, and its prompt route when its model routes by prompt (the decision timed on
// `clock`).
struct BegunRequest {
    AttemptLoop loop;
    std::optional<PromptRoute> route;
    RequestOrigin origin;
};
BegunRequest begin_request(const Generation& generation, RequestId id, providers::Endpoint endpoint,
                           std::string_view request_json, const providers::RequestCheck& check,
                           const ChatOptions& chat, Clock& clock);
// A request to `model` begun on the pool its prompt route decided (`route.target`), with the
// route's estimated cost at that pool.
BegunRequest begin_on_route(const Generation& generation, const RequestOptions& options, const std::string& model,
                            PromptRoute route);

}  // namespace sw::api
