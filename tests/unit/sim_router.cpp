// sim_router.cpp — RequestDriver on a SimIo: the intake Router::Impl::submit does, minus threads.
#include "sim_router.hpp"

#include "api/observer_list.hpp"
#include "api/request_start.hpp"

namespace swtest {

SimRouter::SimRouter(SimIo& io, std::shared_ptr<const sw::Config> config, std::shared_ptr<sw::RouterCore> core,
                     sw::RouterOptions options)
    : io_(io), options_(std::move(options)) {
    if (!options_.clock) options_.clock = std::shared_ptr<sw::Clock>(&io.clock(), [](sw::Clock*) {});
    if (!options_.random) options_.random = std::make_shared<sw::SplitMixRandom>(7);
    if (!options_.env) options_.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    observer_ = sw::api::combine(options_.observers);
    generation_ = sw::api::make_generation(std::move(config), std::move(core), options_.env, {io_.io()}, options_.embedder);
}

std::shared_ptr<sw::api::LiveRequest> SimRouter::start(std::string request_json, SimResult& out,
                                                       const sw::ChatOptions& chat) {
    sw::providers::RequestCheck check = checked(request_json);
    auto request = sw::api::start_request(*this, next_id_++, generation_, sw::providers::Endpoint::chat_completions,
                                          std::move(request_json), std::move(check), chat,
                                          sw::api::make_origin(chat, {generation_->config->monitoring.tracing.enabled, false},
                                                               *options_.random),
                                          chunks_into(out),
                                          done_into(out), io_.clock().now(), *options_.clock);
    io_.post([request] { request->start(); });
    return request;
}

std::shared_ptr<sw::api::RequestDriver> SimRouter::start(sw::AttemptLoop loop, std::string request_json,
                                                         SimResult& out) {
    sw::providers::RequestCheck check = checked(request_json);
    return start(next_id_++, sw::api::BegunRequest{std::move(loop), std::nullopt, {}}, std::move(request_json),
                 std::move(check), out);
}

sw::ChunkCallback SimRouter::chunks_into(SimResult& out) {
    return [&out](std::string_view chunk) { out.chunks.emplace_back(chunk); };
}

sw::DoneCallback SimRouter::done_into(SimResult& out) {
    return [&out](sw::ChatResponse r) {
        out.response = std::move(r);
        out.done = true;
    };
}

sw::providers::RequestCheck SimRouter::checked(const std::string& request_json) {
    sw::providers::RequestCheck check = sw::providers::check_request(sw::providers::Endpoint::chat_completions, request_json);
    if (!check.error.empty()) throw std::invalid_argument("SimRouter: a malformed request: " + check.error);
    return check;
}

std::shared_ptr<sw::api::RequestDriver> SimRouter::start(sw::RequestId id, sw::api::BegunRequest begun,
                                                         std::string request_json, sw::providers::RequestCheck check,
                                                         SimResult& out) {
    auto request = std::make_shared<sw::api::RequestDriver>(
        *this, id, generation_, sw::providers::Endpoint::chat_completions, std::move(request_json), std::move(check),
        std::move(begun), chunks_into(out), done_into(out), io_.clock().now());
    io_.post([request] { request->start(); });
    return request;
}

SimResult SimRouter::chat(std::string request_json, const sw::ChatOptions& chat) {
    SimResult out;
    start(std::move(request_json), out, chat);
    io_.run();
    if (!out.done) throw std::logic_error("SimRouter::chat: the request never finished");
    return out;
}

}  // namespace swtest
