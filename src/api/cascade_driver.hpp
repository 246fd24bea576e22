// cascade_driver.hpp — one request to a cascade model (docs/prompt-routing.md, "The cascade"):
// its steps asked one at a time, cheapest first, each a whole (non-streamed) request through its
// pool's machinery on this I/O thread; each answer judged; the first good enough returned.
#pragma once

#include "api/cascade_plan.hpp"
#include "api/live_request.hpp"
#include "api/request_driver.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sw::api {

class CascadeDriver final : public LiveRequest, public std::enable_shared_from_this<CascadeDriver> {
public:
    // `plan` belongs to `generation`. A streaming request gets the accepted answer as chunks.
    CascadeDriver(DriverHost& host, RequestId id, std::shared_ptr<const Generation> generation, const CascadePlan& plan,
                  std::string request_json, providers::RequestCheck check, const ChatOptions& chat,
                  RequestOrigin origin, ChunkCallback on_chunk, DoneCallback done, TimePoint submitted);
    ~CascadeDriver() override;

    void start() override { next_step(); }
    void cancel() override;

private:
    void next_step();
    // Sends `pool` the request, if what it could cost fits what the budget has left.
    bool try_step(const PoolConfig& pool);
    void step_done(ChatResponse response);
    // No step was accepted: the last answer, else why none came.
    void finish_unaccepted();
    void finish(ChatResponse response);
    void deliver_stream(const ChatResponse& response);
    double budget_left() const;
    // A step's origin: the request's client (for its budgets) and trace, after the attempts of
    // the steps before it.
    RequestOrigin step_origin() const;

    DriverHost& host_;
    std::unique_ptr<DriverHost> step_host_;  // a SubRequestHost: steps report nothing of their own
    RequestId id_;
    std::shared_ptr<const Generation> generation_;
    const CascadePlan& plan_;
    std::string request_json_;
    providers::RequestCheck check_;
    ChatOptions chat_;
    RequestOrigin origin_;
    ChunkCallback on_chunk_;
    DoneCallback done_;
    TimePoint submitted_;
    TimePoint deadline_;
    std::string prompt_;  // the last user message, for the judge

    std::size_t next_ = 0;
    std::shared_ptr<RequestDriver> step_;
    std::optional<ChatResponse> last_answer_;   // the last step that answered, unaccepted
    std::optional<ChatResponse> last_failure_;  // the last step that failed
    std::vector<AttemptRecord> attempts_;  // every step's
    PromptRoute route_;
    bool include_usage_ = false;
    bool deadline_passed_ = false;
    bool cancelled_ = false;
    bool finished_ = false;
};

}  // namespace sw::api
