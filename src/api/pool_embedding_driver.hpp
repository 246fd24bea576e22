// pool_embedding_driver.hpp — one chat request to a model whose semantic (or hybrid) router
// embeds through a pool (docs/prompt-routing.md, "The pool embedder"). First an embeddings
// request goes through that pool's machinery on this I/O thread, with the last user message
// (and, until the router has learned them, its routes' utterances); the answer decides the
// route, and the request is then sent on it as any other. If the embedding fails, the heuristic
// decides and the route says why: the request itself never fails for it.
#pragma once

#include "api/live_request.hpp"
#include "api/request_driver.hpp"

#include <memory>
#include <string>

namespace sw::api {

class PoolEmbeddingDriver final : public LiveRequest, public std::enable_shared_from_this<PoolEmbeddingDriver> {
public:
    // `router` belongs to `generation`.
    PoolEmbeddingDriver(DriverHost& host, RequestId id, std::shared_ptr<const Generation> generation,
                        const prompt::PromptRouter& router, std::string request_json, providers::RequestCheck check,
                        const ChatOptions& chat, RequestOrigin origin, ChunkCallback on_chunk, DoneCallback done,
                        TimePoint submitted);
    ~PoolEmbeddingDriver() override;

    void start() override;
    void cancel() override;

private:
    void embedded(ChatResponse response);

    DriverHost& host_;
    std::unique_ptr<DriverHost> embedding_host_;  // a SubRequestHost: the embedding reports nothing
    RequestId id_;
    std::shared_ptr<const Generation> generation_;
    const prompt::PromptRouter& router_;
    std::string request_json_;
    providers::RequestCheck check_;
    ChatOptions chat_;
    RequestOrigin origin_;
    ChunkCallback on_chunk_;
    DoneCallback done_;
    TimePoint submitted_;
    TimePoint started_;
    TimePoint deadline_;
    std::size_t utterances_sent_ = 0;  // how many of the embedding's inputs are the routes' utterances
    std::shared_ptr<RequestDriver> embedding_;  // the embeddings request, until it ends
    std::shared_ptr<RequestDriver> request_;    // then the request itself
    bool cancelled_ = false;
};

// The vectors of an OpenAI embeddings answer, in input order; false with `error` unless there are
// exactly `count`, each a non-empty array of numbers.
bool read_embeddings(std::string_view body, std::size_t count, std::vector<std::vector<float>>& out,
                     std::string& error);

}  // namespace sw::api
