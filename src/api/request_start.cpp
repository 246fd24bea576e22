// request_start.cpp — which driver a request gets.
#include "api/request_start.hpp"

#include "api/cascade_driver.hpp"
#include "api/pool_embedding_driver.hpp"

#include <algorithm>
#include <optional>

namespace sw::api {

std::shared_ptr<LiveRequest> start_request(DriverHost& host, RequestId id, std::shared_ptr<const Generation> generation,
                                           providers::Endpoint endpoint, std::string request_json,
                                           providers::RequestCheck check, const ChatOptions& options,
                                           RequestOrigin origin, ChunkCallback on_chunk, DoneCallback done, TimePoint submitted,
                                           Clock& clock) {
    // A budget in the request itself ("max_cost_usd") and one in the options: the tighter one holds.
    ChatOptions chat = options;
    if (check.max_cost_usd) chat.max_cost_usd = std::min(options.max_cost_usd.value_or(*check.max_cost_usd),
                                                         *check.max_cost_usd);
    std::optional<BegunRequest> begun;
    if (auto c = generation->cascades.find(check.model); c != generation->cascades.end()) {
        const CascadePlan& plan = c->second;  // the generation, which the driver holds, owns it
        if (endpoint == providers::Endpoint::chat_completions)
            return std::make_shared<CascadeDriver>(host, id, std::move(generation), plan, std::move(request_json),
                                                   std::move(check), chat, std::move(origin), std::move(on_chunk),
                                                   std::move(done), submitted);
        // An embeddings request goes to the cascade's first step: there is no answer to judge.
        begun.emplace(BegunRequest{
            generation->core->begin_pool(plan.steps.front()->id, routing_options(id, check, chat), check.model),
            std::nullopt, {}});
    } else if (auto r = generation->prompt_routers.find(check.model);
               endpoint == providers::Endpoint::chat_completions && r != generation->prompt_routers.end() &&
               !r->second->embeddings_pool().empty()) {
        const prompt::PromptRouter& router = *r->second;  // the generation, which the driver holds, owns it
        return std::make_shared<PoolEmbeddingDriver>(host, id, std::move(generation), router, std::move(request_json),
                                                     std::move(check), chat, std::move(origin), std::move(on_chunk),
                                                     std::move(done), submitted);
    } else {
        begun.emplace(begin_request(*generation, id, endpoint, request_json, check, chat, clock));
    }
    begun->origin = std::move(origin);
    return std::make_shared<RequestDriver>(host, id, std::move(generation), endpoint, std::move(request_json),
                                           std::move(check), std::move(*begun), std::move(on_chunk), std::move(done),
                                           submitted);
}

}  // namespace sw::api
