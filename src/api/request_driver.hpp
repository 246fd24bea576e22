// request_driver.hpp — one request's life on one I/O thread: it steps the routing state machine,
// sends each attempt through the HTTP engine, reads the answer through the provider's adapter,
// and delivers stream chunks under the contract's streaming rules.
#pragma once

#include <switch/router.hpp>
#include <switch/sys/router_core.hpp>

#include "credentials/credential_cache.hpp"
#include "providers/adapter.hpp"
#include "providers/rate_limit_headers.hpp"
#include "transport/event_framer.hpp"
#include "transport/io.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sw::api {

class AttemptHandler;

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

// The routing options of a request that passed its check: what the router's core is begun with.
RequestOptions routing_options(RequestId id, const providers::RequestCheck& check, const ChatOptions& chat);

// Reports a request's end to `observer`: the one place a request_finished event is built.
void report_request_finished(RouterObserver& observer, RequestId id, providers::Endpoint endpoint, bool streaming,
                             const ChatResponse& response, TimePoint submitted,
                             std::optional<TimePoint> first_content, TimePoint now);

// One configuration and what a router builds from it. Router::reload() replaces the router's
// generation; a request keeps the one it began on to its end, so a reload never changes a
// request in flight. Members are destroyed in reverse order: the cache before its config.
struct Generation {
    std::shared_ptr<const Config> config;
    std::shared_ptr<RouterCore> core;
    // One token exchange per store serves every I/O thread. A token exchange in flight keeps
    // the generation alive through the requests waiting for it, which hold their generation.
    std::unique_ptr<credentials::TokenSource> tokens;
    // One per I/O thread, by DriverHost::io_thread_index(), each used on its thread only: a
    // cached credential is read without a lock.
    std::vector<std::unique_ptr<credentials::CredentialCache>> credentials;
};

class RequestDriver : public std::enable_shared_from_this<RequestDriver> {
public:
    // `loop` was begun on `generation`'s core at `submitted`.
    RequestDriver(DriverHost& host, RequestId id, std::shared_ptr<const Generation> generation,
                  providers::Endpoint endpoint, std::string request_json, providers::RequestCheck check,
                  AttemptLoop loop, ChunkCallback on_chunk, DoneCallback done, TimePoint submitted);

    // All three run on the host's I/O thread.
    void start() { step(); }
    void cancel();
    void attempt_finished(AttemptHandler& attempt, const transport::HttpResult& result);

    // Called by the current attempt for each chunk the caller may see.
    void deliver(std::string_view chunk_json);
    bool content_delivered() const { return content_delivered_; }
    void mark_content_delivered();
    bool streaming() const { return check_.stream; }
    const providers::Adapter& adapter() const { return *adapter_; }

private:
    void step();
    void send(const AttemptRequest& attempt);
    void send_with(const AttemptRequest& attempt, const credentials::CredentialResult& credentials);
    void credentials_late(std::uint64_t wait);
    void report(const Outcome& outcome);
    // Reports an attempt libswitch failed before any network call, keeping the reason for the
    // caller: such reasons are libswitch's own words, never a provider's, so never a secret.
    void report_local_failure(Outcome& outcome, std::string reason);
    void finish(ChatResponse response);
    ChatResponse response_from(RouteResult trace);

    DriverHost& host_;
    RequestId id_;
    std::shared_ptr<const Generation> generation_;
    providers::Endpoint endpoint_;
    std::string request_json_;
    providers::RequestCheck check_;
    AttemptLoop loop_;
    ChunkCallback on_chunk_;
    DoneCallback done_;
    const providers::Adapter* adapter_ = nullptr;
    const ProviderConfig* provider_ = nullptr;  // of the current attempt
    providers::ResponseStamp stamp_;            // of the current attempt's translated answers
    transport::HttpClient::Id exchange_ = 0;
    bool in_flight_ = false;
    bool timers_cut_to_deadline_ = false;  // the current attempt's timeout is the time left
    bool deadline_spent_ = false;          // the last attempt timed out on the deadline
    bool cancelled_ = false;
    bool finished_ = false;
    bool content_delivered_ = false;
    // The serving attempt's results.
    std::string body_, text_, finish_reason_;
    std::string local_failures_;  // "; provider "a": reason" for each distinct local failure
    std::uint64_t credential_wait_ = 0;  // bumped when a wait for credentials ends, either way
    TimePoint submitted_;
    std::optional<TimePoint> first_content_;  // when the first content chunk reached the caller
};

// One attempt's HTTP exchange: collects the status, headers and body, and for streams parses
// events as they arrive, holding back chunks until the first one with content.
class AttemptHandler : public transport::HttpHandler {
public:
    // `decoder` is null for a request that does not stream.
    AttemptHandler(std::shared_ptr<RequestDriver> driver, std::unique_ptr<providers::StreamDecoder> decoder,
                   std::size_t max_error_body);
    void on_status(int status) override;
    void on_header(std::string_view name, std::string_view value) override;
    bool on_body(std::string_view bytes) override;
    bool response_started() const override;
    void on_complete(const transport::HttpResult& result) override;

    std::shared_ptr<RequestDriver> driver;
    int status = 0;
    providers::RateLimitHeaders limits;  // Retry-After, retry-after-ms and x-ratelimit-*
    std::string body;  // non-streaming, or a streaming request's error body
    // Streaming state.
    bool done_seen = false, finish_seen = false, malformed = false, stream_error = false;
    std::string error_type, error_code, error_message;
    int error_status = 0;  // the stream error's HTTP meaning; 0 for a protocol failure
    std::string text, finish_reason;
    TokenUsage usage;
    std::vector<std::string> held;  // chunks before the first content, dropped if this attempt fails

private:
    void on_event(std::string_view type, std::string_view data);
    bool streaming_body() const;
    std::size_t max_error_body_;
    std::unique_ptr<providers::StreamDecoder> decoder_;
    std::unique_ptr<transport::EventFramer> framer_;
};

}  // namespace sw::api
