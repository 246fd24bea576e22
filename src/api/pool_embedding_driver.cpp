// pool_embedding_driver.cpp — embed, route, then send.
#include "api/pool_embedding_driver.hpp"

#include "api/sub_request_host.hpp"
#include "common/json_writer.hpp"
#include "prompt/prompt.hpp"

#include <simdjson.h>

#include <fmt/format.h>

#include <algorithm>

namespace sw::api {

bool read_embeddings(std::string_view body, std::size_t count, std::vector<std::vector<float>>& out,
                     std::string& error) {
    simdjson::dom::parser parser;
    simdjson::dom::array data;
    if (parser.parse(body).at_key("data").get_array().get(data)) {
        error = "the embeddings answer has no \"data\" array";
        return false;
    }
    out.assign(count, {});
    std::size_t seen = 0;
    for (simdjson::dom::element item : data) {
        std::uint64_t index = seen;  // OpenAI gives each its index; without one, answer order
        if (item["index"].error() != simdjson::NO_SUCH_FIELD && item["index"].get(index)) index = count;
        simdjson::dom::array values;
        if (index >= count || !out[index].empty() || item["embedding"].get_array().get(values)) {
            error = fmt::format("the embeddings answer's item {} is not an embedding of one of the {} inputs", seen,
                                count);
            return false;
        }
        for (simdjson::dom::element v : values) {
            double x = 0;
            if (v.get(x)) {
                error = fmt::format("the embeddings answer's item {} has a value that is not a number", seen);
                return false;
            }
            out[index].push_back(static_cast<float>(x));
        }
        ++seen;
    }
    if (seen != count || std::any_of(out.begin(), out.end(), [](const auto& v) { return v.empty(); })) {
        error = fmt::format("the embeddings answer has {} embeddings for {} inputs", seen, count);
        return false;
    }
    return true;
}

PoolEmbeddingDriver::PoolEmbeddingDriver(DriverHost& host, RequestId id, std::shared_ptr<const Generation> generation,
                                         const prompt::PromptRouter& router, std::string request_json,
                                         providers::RequestCheck check, const ChatOptions& chat, RequestOrigin origin,
                                         ChunkCallback on_chunk, DoneCallback done, TimePoint submitted)
    : host_(host),
      embedding_host_(std::make_unique<SubRequestHost>(host)),
      id_(id),
      generation_(std::move(generation)),
      router_(router),
      request_json_(std::move(request_json)),
      check_(std::move(check)),
      chat_(chat),
      origin_(std::move(origin)),
      on_chunk_(std::move(on_chunk)),
      done_(std::move(done)),
      submitted_(submitted) {
    started_ = host_.io().loop.clock().now();
    deadline_ = started_ + generation_->config->deadlines.whole(check_.stream, chat.deadline);
}

PoolEmbeddingDriver::~PoolEmbeddingDriver() = default;

void PoolEmbeddingDriver::cancel() {
    cancelled_ = true;
    if (embedding_) embedding_->cancel();  // its end sends nothing further: see embedded()
    else if (request_) request_->cancel();
}

void PoolEmbeddingDriver::start() {
    prompt::Prompt prompt;
    std::string error;
    prompt::read_prompt(request_json_, prompt, error);  // the request passed its check
    const std::vector<std::string> utterances = router_.utterances_to_embed();
    utterances_sent_ = utterances.size();
    JsonWriter w;
    w.begin_object().key("model").string(check_.model).key("input").begin_array();
    for (const std::string& u : utterances) w.string(u);
    w.string(prompt.last_user()).end_array().end_object();
    std::string json = w.take();
    providers::RequestCheck check = providers::check_request(providers::Endpoint::embeddings, json);
    ChatOptions chat;
    chat.deadline = std::max(Millis(1), std::chrono::duration_cast<Millis>(deadline_ - started_));
    AttemptLoop loop =
        generation_->core->begin_pool(router_.embeddings_pool(), routing_options(id_, check, chat), check_.model);
    // The answer is handled after the embedding's driver has returned: it is then released, and
    // must not be destroyed inside its own done callback.
    auto self = shared_from_this();
    auto done = [self](ChatResponse r) {
        self->host_.io().loop.post([self, r = std::move(r)]() mutable { self->embedded(std::move(r)); });
    };
    embedding_ = std::make_shared<RequestDriver>(*embedding_host_, id_, generation_, providers::Endpoint::embeddings,
                                                 std::move(json), std::move(check),
                                                 BegunRequest{std::move(loop), std::nullopt, {}}, nullptr, std::move(done),
                                                 started_);
    embedding_->start();
}

void PoolEmbeddingDriver::embedded(ChatResponse response) {
    embedding_.reset();
    if (cancelled_ || response.error_class == ErrorClass::cancelled) {
        // Cancelled (or the router is shutting down) before the request was sent: it ends here.
        ChatResponse r;
        r.status = 499;
        r.error_class = ErrorClass::cancelled;
        r.error = "cancelled while its prompt was being embedded";
        r.trace.model = check_.model;
        if (RouterObserver* o = host_.observer())
            report_request_finished(*o, id_, origin_, providers::Endpoint::chat_completions, check_.stream, r, submitted_,
                                    std::nullopt, host_.io().loop.clock().now());
        if (done_) done_(std::move(r));
        host_.finished(id_);
        return;
    }
    prompt::PoolEmbedding embedding;
    std::vector<std::vector<float>> vectors;
    const std::string& pool = router_.embeddings_pool();
    if (!response.ok()) {
        embedding.error = fmt::format("pool \"{}\" answered {}: {}", pool, response.status, response.error);
    } else if (!read_embeddings(response.body, utterances_sent_ + 1, vectors, embedding.error)) {
        embedding.error = fmt::format("pool \"{}\": {}", pool, embedding.error);
    } else {
        embedding.vector = std::move(vectors.back());
        vectors.pop_back();
        if (utterances_sent_ > 0 && !router_.learn_utterances(vectors, embedding.error))
            embedding.error = fmt::format("pool \"{}\": {}", pool, embedding.error);
    }
    prompt::Prompt prompt;
    std::string error;
    prompt::read_prompt(request_json_, prompt, error);
    PromptRoute route = router_.route(prompt, embedding);
    const TimePoint now = host_.io().loop.clock().now();
    route.decision_time = now - started_;  // the embedding's round trip included
    ChatOptions chat = chat_;
    chat.deadline = std::max(Millis(1), std::chrono::duration_cast<Millis>(deadline_ - now));
    const RequestOptions options = routing_options(id_, check_, chat);
    BegunRequest begun = begin_on_route(*generation_, options, check_.model, std::move(route));
    begun.origin = origin_;
    request_ = std::make_shared<RequestDriver>(host_, id_, generation_, providers::Endpoint::chat_completions,
                                               std::move(request_json_), std::move(check_), std::move(begun),
                                               std::move(on_chunk_), std::move(done_), submitted_);
    request_->start();
}

}  // namespace sw::api
