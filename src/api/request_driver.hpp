// request_driver.hpp — one request's life on one I/O thread, and what it needs from that thread.
#pragma once

#include <switch/router.hpp>
#include <switch/sys/router_core.hpp>

#include "api/attempt_exchange.hpp"
#include "api/attempt_outcome.hpp"
#include "api/budget_admission.hpp"
#include "api/response_builder.hpp"
#include "api/stream_gate.hpp"
#include "api/generation.hpp"
#include "api/live_request.hpp"
#include "api/shared_admission.hpp"
#include "providers/adapter.hpp"
#include "transport/io.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sw::api {

// What the driver needs from the I/O thread it runs on; implemented by each of a router's
// I/O threads.
class DriverHost {
public:
    virtual ~DriverHost() = default;
    // The thread's event loop and HTTP client: a libcurl engine, or a simulated one in tests.
    virtual transport::Io io() = 0;
    virtual const RouterOptions& options() const = 0;
    // Null when nobody listens.
    virtual RouterObserver* observer() const = 0;
    // This thread's position among the router's I/O threads: its credential cache's index.
    virtual std::size_t io_thread_index() const = 0;
    virtual void finished(RequestId id) = 0;
};

// Reports a request's end to `observer`: the one place a request_finished event is built.
void report_request_finished(RouterObserver& observer, RequestId id, const RequestOrigin& origin,
                             providers::Endpoint endpoint, bool streaming,
                             const ChatResponse& response, TimePoint submitted,
                             std::optional<TimePoint> first_content, TimePoint now);

// One request's life on its I/O thread: it steps the routing state machine, waits for
// credentials, and sends each attempt as an AttemptExchange, whose result it judges
// (attempt_outcome.hpp) and reports to routing. The stream gate decides what the caller sees,
// and the response builder what the request ends with.
class RequestDriver final : public LiveRequest, public std::enable_shared_from_this<RequestDriver>, private AttemptSink {
public:
    // `begun` was begun on `generation` at `submitted`.
    RequestDriver(DriverHost& host, RequestId id, std::shared_ptr<const Generation> generation,
                  providers::Endpoint endpoint, std::string request_json, providers::RequestCheck check,
                  BegunRequest begun, ChunkCallback on_chunk, DoneCallback done, TimePoint submitted);

    // Both run on the host's I/O thread.
    void start() override { step(); }
    void cancel() override;

private:
    void step();
    void send(const AttemptRequest& attempt);
    // Shared state through Redis (docs/scaling.md), before any network call to the provider:
    // the one probe across processes, then the shared limits' room, then the credentials.
    void claim_probe(const AttemptRequest& attempt);
    void probe_claimed(const AttemptRequest& attempt, std::uint64_t wait, redis::ProbeClaim claim);
    // The attempt's worst-case cost from its budgets (docs/budgets.md), locally and in Redis.
    void reserve_budget(const AttemptRequest& attempt);
    void budget_reserved(const AttemptRequest& attempt, std::uint64_t wait, BudgetReservation reservation);
    // Settles the current attempt's budget hold to its real cost: what `outcome`'s usage costs;
    // the whole reservation when the provider answered, or may have, without usage; nothing
    // when it was never asked.
    void settle_budget_hold(const Outcome* outcome);
    void admit(const AttemptRequest& attempt);
    void shared_admission(const AttemptRequest& attempt, std::uint64_t wait, const SharedAdmission& admission);
    void send_with_credentials(const AttemptRequest& attempt);
    void send_with(const AttemptRequest& attempt, const credentials::CredentialResult& credentials);
    void credentials_late(std::uint64_t wait);
    // W3C traceparent (and tracestate) for the attempt about to be sent, when the request is in
    // a trace and the config passes it on (docs/tracing.md).
    void add_trace_headers(std::vector<std::string>& headers) const;
    void attempt_finished(AttemptResult result) override;
    // Reports an attempt libswitch failed before any network call, keeping the reason for the
    // caller.
    void report_local_failure(Outcome& outcome, std::string reason);
    void report(const Outcome& outcome);
    void finish(ChatResponse response);

    DriverHost& host_;
    RequestId id_;
    std::shared_ptr<const Generation> generation_;
    providers::Endpoint endpoint_;
    std::string request_json_;
    providers::RequestCheck check_;
    AttemptLoop loop_;
    DoneCallback done_;
    StreamGate gate_;
    ResponseBuilder response_;
    const providers::Adapter* adapter_ = nullptr;
    const ProviderConfig* provider_ = nullptr;  // of the current attempt
    providers::ResponseStamp stamp_;            // of the current attempt's translated answers
    transport::HttpClient::Id exchange_ = 0;
    bool in_flight_ = false;
    bool timers_cut_to_deadline_ = false;  // the current attempt's timeout is the time left
    bool cancelled_ = false;
    bool finished_ = false;
    std::uint64_t credential_wait_ = 0;  // bumped when a wait for credentials ends, either way
    std::uint64_t shared_wait_ = 0;      // bumped when a wait for Redis ends, either way
    // The current attempt's units were taken from the shared limits: its usage corrects them.
    std::optional<AttemptRequest> shared_taken_;
    // What the current attempt holds of its budgets, until it ends.
    std::optional<BudgetHold> budget_hold_;
    TimePoint submitted_;
    RequestOrigin origin_;  // reported with the request's end
};

}  // namespace sw::api
