// adapter.hpp — what the router needs from a provider protocol. The caller always speaks
// OpenAI's format; an adapter builds the upstream request and reads the upstream response,
// translating both ways when the provider speaks another protocol.
#pragma once

#include <switch/config.hpp>
#include <switch/outcome.hpp>

#include <cstdint>
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
};

// A whole (non-streaming) upstream response, success or error.
struct ParsedResponse {
    bool parsed = false;   // the body was the JSON the protocol promises
    std::string body;      // the response in OpenAI form; empty means "the upstream body as is"
    std::string text;
    std::string finish_reason;
    TokenUsage usage;
    std::string error_type, error_code, error_message;
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
    std::string translated;  // the chunk in OpenAI form; empty means "the event data as is"
};

class Adapter {
public:
    virtual ~Adapter() = default;
    // Builds the upstream request. `api_key` is empty for providers without credentials.
    // Returns nullopt with `error` set when the request cannot be expressed for this provider.
    virtual std::optional<PreparedRequest> prepare(Endpoint endpoint, std::string_view request_json,
                                                   const ProviderConfig& provider, const ModelConfig* model,
                                                   std::string_view api_key, std::string& error) const = 0;
    virtual ParsedResponse parse_response(Endpoint endpoint, int http_status, std::string_view body) const = 0;
    virtual ParsedChunk parse_chunk(std::string_view event_type, std::string_view data) const = 0;
};

// Checks a caller's OpenAI request: a JSON object with a model, and messages (chat) or input
// (embeddings).
RequestCheck check_request(Endpoint endpoint, std::string_view request_json);

// The adapter for a provider kind.
const Adapter& adapter_for(ProviderKind kind);

}  // namespace sw::providers
