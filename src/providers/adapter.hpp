// adapter.hpp — what the router needs from a provider protocol. The caller always speaks
// OpenAI's format; an adapter builds the upstream request and reads the upstream response,
// translating both ways when the provider speaks another protocol.
#pragma once

#include <switch/clock.hpp>
#include <switch/config.hpp>
#include <switch/outcome.hpp>

#include "credentials/credential_view.hpp"
#include "transport/event_framer.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sw::providers {

enum class Endpoint : std::uint8_t { chat_completions, embeddings };

struct PreparedRequest {
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    std::string body;
};

// The caller's request, checked once before routing.
struct RequestCheck {
    std::string error;  // empty when the request is acceptable
    std::string model;  // the requested (virtual) model
    bool stream = false;
    std::uint64_t estimated_tokens = 0;  // prompt estimate plus max_tokens, for rate limits
    std::uint64_t prompt_tokens = 0;     // the prompt estimate alone: about 4 bytes of JSON a token
    // max_tokens or max_completion_tokens, when given; 0 for an embeddings request (no output)
    std::optional<std::uint64_t> max_tokens;
    // The request's own budget in USD, its "max_cost_usd" member: libswitch's, so build_request
    // never forwards it upstream.
    std::optional<double> max_cost_usd;
};

// A whole (non-streaming) upstream response, success or error.
struct ParsedResponse {
    bool parsed = false;   // the body was the JSON the protocol promises
    std::string body;      // the response in OpenAI form; empty means "the upstream body as is"
    std::string text;
    std::string finish_reason;
    TokenUsage usage;
    std::string error_type, error_code, error_message;
    // A 2xx body that is an error with a meaning (e.g. Gemini's blocked prompt: 400,
    // content_filter) is classified as this status; 0 means a protocol failure.
    int error_status = 0;
};

// One streamed event.
struct ParsedChunk {
    bool done = false;       // the end-of-stream marker ([DONE] or the protocol's equivalent)
    bool malformed = false;  // not the JSON the protocol promises
    bool skip = false;       // nothing for the caller (e.g. a protocol ping)
    bool has_content = false;
    std::string content;
    std::string finish_reason;
    std::optional<TokenUsage> usage;
    bool has_error = false;  // an error reported inside the stream
    std::string error_type, error_code, error_message;
    int error_status = 0;    // as in ParsedResponse: the error's HTTP meaning, 0 for a protocol failure
    std::string translated;  // the chunk in OpenAI form; empty means "the event data as is"
};

// What a translated answer is stamped with where the upstream gives nothing: its id and its
// `created` time. The caller draws it once per attempt, from the router's random source and the
// wall-clock time it reads for the attempt, so that translators read neither a clock nor a
// random source, and a test can fix both.
struct ResponseStamp {
    std::int64_t created = 0;  // unix seconds
    std::uint64_t nonce_high = 0;  // 96 random bits, for an id unique to the attempt
    std::uint32_t nonce_low = 0;

    static ResponseStamp draw(std::chrono::system_clock::time_point wall_time, Random& random) noexcept;
    // `prefix` and the nonce as 24 hex digits, e.g. "chatcmpl-bedrock-0123456789abcdef01234567".
    std::string id(std::string_view prefix) const;
};

// Everything about one attempt that shapes its upstream request.
struct AttemptContext {
    const ProviderConfig& provider;
    const ModelConfig* model = nullptr;  // the requested model's config, when it has one
    credentials::CredentialView credentials;  // borrowed for the call
    // Wall-clock time, for protocols that sign requests (SigV4) or tokens (JWT).
    std::chrono::system_clock::time_point wall_time;
    ResponseStamp stamp = {};  // for the answers translated in this attempt
};

// What reading a whole answer needs: the attempt's provider (Bedrock's answers do not name the
// model, which the OpenAI body then takes from modelName) and its stamp.
struct AnswerContext {
    const ProviderConfig& provider;
    const ResponseStamp& stamp;
};

// How a provider frames its streamed events on the wire.
enum class StreamFraming : std::uint8_t {
    sse,               // text/event-stream: OpenAI, Anthropic, Gemini
    aws_event_stream,  // application/vnd.amazon.eventstream: Bedrock ConverseStream
};

// Reads one streamed response, event by event; one decoder per attempt, so it may keep state
// (the tool call being streamed, the usage seen so far) between events.
class StreamDecoder {
public:
    virtual ~StreamDecoder() = default;
    // `event_type` is the SSE `event` field ("message" when absent) or the AWS `:event-type`
    // header; `data` is the SSE data or the AWS message payload.
    virtual ParsedChunk next(std::string_view event_type, std::string_view data) = 0;
};

class Adapter {
public:
    virtual ~Adapter() = default;
    // Builds the upstream request. Returns nullopt with `error` set when the request cannot be
    // expressed for this provider. `error` must never hold a credential.
    virtual std::optional<PreparedRequest> prepare(Endpoint endpoint, std::string_view request_json,
                                                   const AttemptContext& attempt, std::string& error) const = 0;
    // Reads a whole response, translating it to OpenAI's form and mapping errors to OpenAI's
    // error codes (context_length_exceeded, content_filter, ...) so that one classifier serves
    // every protocol.
    virtual ParsedResponse parse_response_from(const AnswerContext& answer, Endpoint endpoint, int http_status,
                                               std::string_view body) const = 0;
    // The same for tools and tests: a default provider and a zero stamp.
    ParsedResponse parse_response(Endpoint endpoint, int http_status, std::string_view body) const;
    virtual StreamFraming stream_framing() const { return StreamFraming::sse; }
    virtual std::unique_ptr<StreamDecoder> open_stream(const AttemptContext& attempt) const = 0;
};

// Checks a caller's OpenAI request: a JSON object with a model, and messages (chat) or input
// (embeddings).
// The request member that carries its budget (RequestCheck::max_cost_usd).
inline constexpr std::string_view kBudgetMember = "max_cost_usd";

RequestCheck check_request(Endpoint endpoint, std::string_view request_json);

// The adapter for a provider type (a spec name of specs.hpp), or for a provider entry; the
// openai adapter for an unknown type. The table is in registry.cpp.
const Adapter& adapter_for(std::string_view type) noexcept;
const Adapter& adapter_for(const ProviderConfig& provider) noexcept;

// The framer that reads a stream framed as `framing`.
std::unique_ptr<transport::EventFramer> make_framer(StreamFraming framing, transport::EventFramer::EventCallback on_event);

// One adapter per protocol, each in its own file.
const Adapter& openai_adapter();
const Adapter& bedrock_adapter();
const Adapter& gemini_adapter();  // provider type google: the Gemini API
const Adapter& vertex_adapter();  // provider type vertex: Gemini on Vertex AI
const Adapter& anthropic_adapter();
const Adapter& azure_adapter();

}  // namespace sw::providers
